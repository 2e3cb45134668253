"""Live updates: ``GET /_dashboard/events`` tells every open page "something changed".

The stream carries no data, only a ``changed`` event; the page then re-reads what it shows
through ``/_sim`` and the Nuki API. Events come from the same places the webhooks do: the
world's wake-up call (an event was emitted, time moved, due jobs ran), plus every answered
request of another client (a write changes the world, any request changes the journal) and
every batch of webhook deliveries. Bursts are folded into one event per debounce interval,
and a wake-up that changed nothing a page shows (every read catches up the clock and wakes
the world) sends nothing, so a page's own reads never echo back as events.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools

from aiohttp import web

from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.front import DASHBOARD
from nuki_sim.simulator.http.keys import DISPATCHER

PREFIX = DASHBOARD

DEBOUNCE_SECONDS = 0.1  # real time: at most one event per page per 100 ms
KEEPALIVE_SECONDS = 15.0  # a comment line keeps proxies from closing an idle stream
PAGE_HEADER = "X-Nuki-Sim-Dashboard"  # the page's own requests carry it
READS = frozenset({"GET", "HEAD", "OPTIONS"})

Fingerprint = tuple[object, ...]


def fingerprint(world: World) -> Fingerprint:
    """What moves when time passes or work runs outside a request. Reads attributes only:
    anything that catches up the clock would wake the world, and the hub with it."""
    clock = world.clock
    subscriptions = tuple(
        (s.id, s.active, s.failures, s.sent_ok, s.sent_failed, len(s.outbox))
        for s in world.subscriptions.values()
    )
    return (
        clock.now() if isinstance(clock, VirtualClock) else None,
        world.scheduler.seq,
        len(world.scheduler),
        len(world.locks),
        subscriptions,
    )


class Hub:
    """The open event streams, and when to tell them about a change."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: set[asyncio.Event] = set()
        self.version = 0
        self.closing = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self._forced = False
        self._last: Fingerprint = ()
        self._timer: asyncio.TimerHandle | None = None
        self._watcher: asyncio.Task[None] | None = None

    # --- clients ------------------------------------------------------------------------

    def join(self) -> asyncio.Event:
        signal = asyncio.Event()
        if not self.clients:
            self._last = fingerprint(self.world)
        self.clients.add(signal)
        return signal

    def leave(self, signal: asyncio.Event) -> None:
        self.clients.discard(signal)

    # --- what counts as a change ----------------------------------------------------------

    def wake(self) -> None:
        """The world's listener: maybe something changed (the fingerprint decides)."""
        self.poke(force=False)

    def poke(self, *, force: bool) -> None:
        if not self.clients or self.closing:
            return  # nobody watches: no cost
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # woken from another thread: hand over to the server's loop
            if self.loop is not None:
                self.loop.call_soon_threadsafe(functools.partial(self.poke, force=force))
            return
        self._forced = self._forced or force
        if self._timer is None:
            self._timer = loop.call_later(DEBOUNCE_SECONDS, self._flush)

    def _flush(self) -> None:
        self._timer = None
        now = fingerprint(self.world)
        if not (self._forced or now != self._last):
            return
        self._forced = False
        self._last = now
        self.version += 1
        for signal in self.clients:
            signal.set()

    async def on_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Another client's request was answered: the world or the journal changed."""
        if not self.clients:
            return  # nobody watches (what poke would find, after more work)
        if request.path.startswith(PREFIX):
            return  # the page, its assets and the stream itself
        if request.method in READS and request.headers.get(PAGE_HEADER):
            return  # the page reading what it shows
        self.poke(force=True)

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self, app: web.Application) -> None:
        self.loop = asyncio.get_running_loop()
        self.world.listeners.append(self.wake)
        if DISPATCHER in app:  # webhook outcomes are reported without waking the world
            self._watcher = asyncio.create_task(self._watch(app[DISPATCHER].changed))

    async def _watch(self, changed: asyncio.Condition) -> None:
        async with changed:
            while True:
                await changed.wait()
                self.poke(force=False)

    async def stop(self, app: web.Application) -> None:
        """On shutdown: end every stream (a server waits for open handlers)."""
        self.closing = True
        for signal in self.clients:
            signal.set()
        with contextlib.suppress(ValueError):
            self.world.listeners.remove(self.wake)
        if self._timer is not None:
            self._timer.cancel()
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher


def frame(version: int) -> bytes:
    return f"event: changed\ndata: {version}\n\n".encode()


async def stream(request: web.Request, hub: Hub) -> web.StreamResponse:
    """``text/event-stream``: one ``changed`` at once (the page loads), then one per change."""
    response = web.StreamResponse(headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    response.content_type = "text/event-stream"
    await response.prepare(request)
    signal = hub.join()
    try:
        await response.write(b"retry: 1000\n" + frame(hub.version))
        while not hub.closing:
            try:
                await asyncio.wait_for(signal.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            signal.clear()
            if not hub.closing:
                await response.write(frame(hub.version))
    except ConnectionError:
        pass  # the page went away
    finally:
        hub.leave(signal)
    return response
