"""Carry webhooks out: one task per subscription POSTs what the domain says is due.

A task sleeps on an event until the world wakes it (a new event, time moved, a
reactivation), sends every item that is due, in order, one at a time, and reports each
answer back to the world, which decides about retries on the simulator's clock. A slow or
dead receiver holds up only its own task; API requests never wait for a delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from simulator.domain.webhooks import SIGNATURE_HEADER, sign
from simulator.domain.world import World
from simulator.http.keys import DISPATCHER, WORLD

CONTENT_TYPE = "application/json; charset=UTF-8"


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
            if sub_id not in self.tasks:
                self.wakeups[sub_id] = asyncio.Event()
                self.tasks[sub_id] = asyncio.get_running_loop().create_task(self._run(sub_id))
            self.wakeups[sub_id].set()
        for sub_id in list(self.tasks):
            if sub_id not in self.world.subscriptions:
                self.tasks.pop(sub_id).cancel()
                self.wakeups.pop(sub_id, None)

    def quiet(self) -> bool:
        """Nothing is being sent and nothing is due now."""
        if self.busy or any(e.is_set() for e in self.wakeups.values()):
            return False
        return all(self.world.due_delivery(sub_id) is None for sub_id in self.world.subscriptions)

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
                while (due := self.world.due_delivery(sub_id)) is not None:
                    sub, item = due
                    await self._post(sub_id, sub.url, sub.secret, item.seq, item.body)
            finally:
                self.busy.discard(sub_id)
                await self._announce()

    async def _post(self, sub_id: int, url: str, secret: str, seq: int, body: str) -> None:
        assert self.session is not None
        raw = body.encode("utf-8")
        headers = {"Content-Type": CONTENT_TYPE, SIGNATURE_HEADER: sign(secret, raw)}
        started = time.perf_counter()
        status, error, answer = 0, "", ""
        try:
            async with self.session.post(url, data=raw, headers=headers) as response:
                status = response.status
                answer = (await response.content.read(1000)).decode("utf-8", "replace")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        duration = round((time.perf_counter() - started) * 1000)
        self.world.record_attempt(
            sub_id, seq, status=status, duration_ms=duration, error=error, response_body=answer
        )


async def dispatcher_ctx(app: web.Application) -> AsyncIterator[None]:
    dispatcher = Dispatcher(app[WORLD])
    app[DISPATCHER] = dispatcher
    await dispatcher.start()
    yield
    await dispatcher.stop()
