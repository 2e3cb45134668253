"""Carry webhooks out: one task per subscription POSTs what the domain says is due.

A task sleeps on an event until the world wakes it (a new event, time moved, a
reactivation), sends every item that is due, in order, one at a time, and reports each
answer back to the world, which decides about retries on the simulator's clock. A slow or
dead receiver holds up only its own task; API requests never wait for a delivery.

Hardening (docs/security.md): redirects are not followed (a 3xx is a failed delivery); a
URL that breaks the webhook URL rule, or a host name that resolves to an address it forbids
(a private one, the simulator itself), is never connected to; the logs say only *that* no
answer came, never why (refused, timed out, unresolvable), so they are no port scanner. A
bug in a delivery is logged once and counted as a failed attempt: the task carries on, and
a task that died anyway is started again by the next wake-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from nuki_sim.simulator.domain import quirks, webhooks
from nuki_sim.simulator.domain.webhooks import ATTEMPT_HEADER, EVENT_ID_HEADER, signatures
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.keys import DISPATCHER, WORLD

CONTENT_TYPE = "application/json; charset=UTF-8"
NO_ANSWER = "no HTTP answer from the webhook URL"
REFUSED_URL = "the webhook URL is not allowed (see the simulator's webhook URL rule)"
INTERNAL = "the simulator failed to send this webhook (see its log)"
log = logging.getLogger("nuki_sim.webhooks")


class GuardedResolver(AbstractResolver):
    """Resolve as usual, then drop every address the webhook URL rule forbids.

    Checking the URL at registration is not enough for a host name: it may resolve to a
    private address, or to this machine, at delivery time.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self.inner.resolve(host, port, family)
        allow, own = self.world.config.webhook_allow_private, self.world.own_ports
        kept = [
            r
            for r in found
            if webhooks.address_allowed(r["host"], port, allow_private=allow, own_ports=own)
        ]
        if not kept:
            raise OSError(f"{host} resolves only to addresses webhooks may not reach")
        return kept

    async def close(self) -> None:
        await self.inner.close()


class Dispatcher:
    def __init__(self, world: World) -> None:
        self.world = world
        self.session: aiohttp.ClientSession | None = None
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.wakeups: dict[int, asyncio.Event] = {}
        self.busy: set[int] = set()
        self.changed = asyncio.Condition()

    async def start(self) -> None:
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(resolver=GuardedResolver(self.world)),
            timeout=aiohttp.ClientTimeout(total=self.world.config.webhook_timeout),
            headers={"User-Agent": "nuki-sim webhooks"},
        )
        self.world.listeners.append(self.wake)
        self.wake()

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.world.listeners.remove(self.wake)
        for task in self.tasks.values():
            task.cancel()
        for task in self.tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.tasks.clear()
        if self.session is not None:
            await self.session.close()

    def wake(self) -> None:
        """Called by the world: make sure every subscription has a task, and nudge them."""
        if self.session is None:
            return
        for sub_id in list(self.world.subscriptions):
            if sub_id not in self.tasks or self.tasks[sub_id].done():  # new, or died: (re)start
                self.wakeups[sub_id] = asyncio.Event()
                task = asyncio.get_running_loop().create_task(self._run(sub_id))
                task.add_done_callback(_report_death)
                self.tasks[sub_id] = task
            self.wakeups[sub_id].set()
        for sub_id in list(self.tasks):
            if sub_id not in self.world.subscriptions:
                self.tasks.pop(sub_id).cancel()
                self.wakeups.pop(sub_id, None)

    def quiet(self) -> bool:
        """Nothing is being sent and nothing is due now."""
        if self.busy or any(e.is_set() for e in self.wakeups.values()):
            return False
        return all(
            self.world.outbox.due_delivery(sub_id) is None for sub_id in self.world.subscriptions
        )

    async def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every due delivery was attempted; False if that took over ``timeout``."""
        self.wake()
        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(self.quiet), timeout)
            except TimeoutError:
                return False
        return True

    async def _announce(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def _run(self, sub_id: int) -> None:
        wakeup = self.wakeups[sub_id]
        while True:
            await wakeup.wait()
            wakeup.clear()
            self.busy.add(sub_id)
            try:
                await self._send_due(sub_id)
            except Exception:  # a bug of ours: say so once, then wait for the next wake-up
                log.exception("webhook %s: delivery failed inside the simulator", sub_id)
            finally:
                self.busy.discard(sub_id)
                await self._announce()

    async def _send_due(self, sub_id: int) -> None:
        """Send what is due, in order. A delivery that raises is logged and recorded as a
        failed attempt, so it is retried on the simulator's clock like any other failure."""
        while (due := self.world.outbox.due_delivery(sub_id)) is not None:
            sub, item = due
            try:
                await self._post(sub, item)
            except Exception:
                log.exception("webhook %s: cannot send event %s", sub_id, item.seq)
                self.world.outbox.record_attempt(
                    sub_id, item.seq, status=0, duration_ms=0, error=INTERNAL
                )

    async def _post(self, sub: webhooks.Subscription, item: webhooks.Pending) -> None:
        assert self.session is not None
        raw = item.body.encode("utf-8")
        second = quirks.SECOND_SIGNATURE_HEADER in self.world.config.quirks
        headers = {
            "Content-Type": CONTENT_TYPE,
            **signatures(sub.secret, raw, second),
            EVENT_ID_HEADER: str(item.seq),
            ATTEMPT_HEADER: str(item.attempts + 1),
        }
        started = time.perf_counter()
        status, error, answer = 0, "", ""
        allowed = webhooks.url_allowed(
            sub.url,
            allow_private=self.world.config.webhook_allow_private,
            own_ports=self.world.own_ports,
        )
        if not allowed:  # e.g. restored from a snapshot taken before the rule was stricter
            error = REFUSED_URL
        else:
            try:
                async with self.session.post(
                    sub.url, data=raw, headers=headers, allow_redirects=False
                ) as response:
                    status = response.status
                    answer = (await response.content.read(1000)).decode("utf-8", "replace")
            except (aiohttp.ClientError, TimeoutError, OSError):
                error = NO_ANSWER
        duration = round((time.perf_counter() - started) * 1000)
        self.world.outbox.record_attempt(
            sub.id, item.seq, status=status, duration_ms=duration, error=error,
            response_body=answer,
        )  # fmt: skip


def _report_death(task: asyncio.Task[None]) -> None:
    """A delivery task should never end but by cancellation: make any other end loud."""
    if not task.cancelled() and task.exception() is not None:
        log.error("a webhook delivery task died", exc_info=task.exception())


async def dispatcher_ctx(app: web.Application) -> AsyncIterator[None]:
    dispatcher = Dispatcher(app[WORLD])
    app[DISPATCHER] = dispatcher
    await dispatcher.start()
    yield
    await dispatcher.stop()
