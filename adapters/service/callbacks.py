"""The callback hub: the adapter's events pushed, in order, to every registered URL.

One task per URL reads the adapter's event log from its own cursor, so a slow or dead
receiver delays only its own deliveries, and an action call never waits for any of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp

from nuki_sim.adapters.codec import event_json
from nuki_sim.adapters.traits import Event

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Listener = Callable[[Event], None]


class EventFeed(Protocol):
    """What the hub reads from an adapter: its event log, and a hook to hear of new events."""

    @property
    def log(self) -> Sequence[Event]: ...

    @property
    def listeners(self) -> list[Listener]: ...


@dataclass(frozen=True)
class CallbackPolicy:
    """How hard a callback URL is tried: each event gets ``attempts`` POSTs at most."""

    attempts: int = 5
    base: float = 0.5  # seconds before the first retry; doubles each time
    ceiling: float = 10.0
    timeout: float = 5.0  # seconds one POST may take


@dataclass
class Callback:
    """One registered URL and how far it got: ``cursor`` is the last seq it was sent."""

    url: str
    cursor: int
    delivered: int = 0
    failed: int = 0  # events given up on after every attempt
    last_error: str | None = None
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "cursor": self.cursor,
            "delivered": self.delivered,
            "failed": self.failed,
            "lastError": self.last_error,
        }


class CallbackHub:
    """Pushes the adapter's events to callback URLs: one task per URL, events in order.

    The adapter's listener only sets a flag, so an action call never waits for a delivery.
    An event that fails ``policy.attempts`` times is counted in ``failed`` and skipped, so a
    dead receiver delays only its own deliveries and never grows a backlog of retries.
    """

    def __init__(
        self, adapter: EventFeed, policy: CallbackPolicy, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.adapter = adapter
        self.policy = policy
        self.sleep = sleep
        self.callbacks: dict[str, Callback] = {}
        self.session: aiohttp.ClientSession | None = None
        self.changed = asyncio.Condition()

    @property
    def last_seq(self) -> int:
        return len(self.adapter.log)

    def register(self, url: str, after: int | None = None) -> tuple[Callback, bool]:
        """Add ``url`` (events after seq ``after``; default: only new ones). True if new."""
        if url in self.callbacks:
            return self.callbacks[url], False
        callback = Callback(url, self.last_seq if after is None else min(after, self.last_seq))
        self.callbacks[url] = callback
        self._spawn(callback)
        return callback, True

    def remove(self, url: str | None = None) -> int:
        """Stop pushing to ``url`` (every URL when None); how many were removed."""
        urls = list(self.callbacks) if url is None else [url] if url in self.callbacks else []
        for gone in urls:
            task = self.callbacks.pop(gone).task
            if task is not None:
                task.cancel()
        return len(urls)

    def wake(self, event: Event | None = None) -> None:
        """The adapter's listener: nudge every task (it reads the event from the log)."""
        del event
        for callback in self.callbacks.values():
            callback.wakeup.set()

    def quiet(self) -> bool:
        return all(c.cursor >= self.last_seq for c in self.callbacks.values())

    async def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every callback was sent every event; False if that took over ``timeout``."""
        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(self.quiet), timeout)
            except TimeoutError:
                return False
        return True

    async def start(self) -> None:
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.policy.timeout),
            headers={"User-Agent": "nuki-sim adapter callbacks"},
        )
        self.adapter.listeners.append(self.wake)
        for callback in self.callbacks.values():
            self._spawn(callback)

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.adapter.listeners.remove(self.wake)
        tasks = [c.task for c in self.callbacks.values() if c.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.session is not None:
            await self.session.close()
            self.session = None

    def _spawn(self, callback: Callback) -> None:
        if self.session is not None and callback.task is None:
            callback.task = asyncio.get_running_loop().create_task(self._run(callback))

    async def _run(self, callback: Callback) -> None:
        while True:
            if callback.cursor >= self.last_seq:
                callback.wakeup.clear()
                await callback.wakeup.wait()
                continue
            seq = callback.cursor + 1
            try:
                body = event_json(seq, self.adapter.log[seq - 1])
            except Exception as exc:  # a value without a JSON form: skip it, keep going
                log.exception("callback %s: cannot encode event %s", callback.url, seq)
                callback.failed += 1
                callback.last_error = f"seq {seq}: {type(exc).__name__}: {exc}"
            else:
                await self._deliver(callback, body)
            callback.cursor = seq
            async with self.changed:
                self.changed.notify_all()

    async def _deliver(self, callback: Callback, body: dict[str, Any]) -> None:
        assert self.session is not None
        data = json.dumps(body)
        headers = {"Content-Type": "application/json"}
        for attempt in range(1, self.policy.attempts + 1):
            try:
                async with self.session.post(callback.url, data=data, headers=headers) as reply:
                    await reply.read()
                    if 200 <= reply.status < 300:
                        callback.delivered += 1
                        return
                    callback.last_error = f"seq {body['seq']}: HTTP {reply.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                callback.last_error = f"seq {body['seq']}: {type(exc).__name__}: {exc}"
            if attempt < self.policy.attempts:
                delay = min(self.policy.ceiling, self.policy.base * 2.0 ** (attempt - 1))
                await self.sleep(delay)
        callback.failed += 1
        log.warning("callback %s: gave up on event %s", callback.url, body["seq"])
