"""The adapter service on a real socket, in front of a real simulator on a virtual clock.

``svc`` starts :func:`nuki_sim.adapters.service.start_adapter_service` against the ``nuki_sim``
fixture with a :class:`ManualClock` kept in step with the simulator, and with callback
retries that record their delays instead of sleeping. ``Sink`` is a callback receiver: a
real aiohttp app on 127.0.0.1 that answers with the statuses it is told to.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web

from nuki_sim.adapters.clock import ManualClock
from nuki_sim.adapters.service import AdapterService, CallbackPolicy, start_adapter_service
from nuki_sim.simulator.http.keys import DISPATCHER
from nuki_sim.simulator.http.server import RunningSimulator

CALLBACK_ATTEMPTS = 3
CALLBACK_BASE = 0.5
TRAITS = ["Lock", "BatteryLevel", "BetaPinCodeCredentials", "BetaConnectivity"]


@dataclass
class Reply:
    status: int
    body: Any


@dataclass
class Harness:
    sim: RunningSimulator
    service: AdapterService
    http: aiohttp.ClientSession
    clock: ManualClock
    delays: list[float]  # what the callback retries would have slept

    @property
    def keypad_lock(self) -> str:
        return str(self.sim.demo.locks[0].smartlock_id)

    async def request(self, method: str, path: str, body: Any = None, **kw: Any) -> Reply:
        url = path if path.startswith("http") else self.service.url + path
        data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        async with self.http.request(method, url, data=data, **kw) as response:
            raw = await response.read()
            return Reply(response.status, json.loads(raw) if raw else None)

    async def act(self, device_id: str, trait: str, action: str, params: Any) -> Reply:
        body = {"trait": trait, "action": action, "parameters": params}
        return await self.request("POST", f"/devices/{device_id}/actions", body)

    async def events(self, after: int = 0) -> list[dict[str, Any]]:
        reply = await self.request("GET", f"/events?after={after}")
        assert reply.status == 200, reply
        return list(reply.body)

    async def last_seq(self) -> int:
        return int((await self.request("GET", "/health")).body["lastSeq"])

    async def advance(self, seconds: float) -> None:
        """Move the simulator and the adapter's clock together; wait for the webhooks."""
        self.sim.world.advance(timedelta(seconds=seconds))
        self.clock.shift(timedelta(seconds=seconds))
        assert await self.sim.runner.app[DISPATCHER].drain()


@pytest_asyncio.fixture
async def svc(nuki_sim: RunningSimulator, http: aiohttp.ClientSession) -> AsyncIterator[Harness]:
    clock = ManualClock(nuki_sim.world.clock.now())
    delays: list[float] = []

    async def no_sleep(seconds: float) -> None:
        delays.append(seconds)

    policy = CallbackPolicy(attempts=CALLBACK_ATTEMPTS, base=CALLBACK_BASE, timeout=5.0)
    service = await start_adapter_service(
        nuki_sim.url, nuki_sim.token, clock=clock, callback_policy=policy, sleep=no_sleep
    )
    try:
        yield Harness(nuki_sim, service, http, clock, delays)
    finally:
        await service.close()


@dataclass
class Sink:
    """A callback receiver: records every JSON body; answers ``statuses`` first, then 200."""

    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    hold: asyncio.Event | None = None  # set: answers wait until it is set
    runner: web.AppRunner | None = None
    url: str = ""

    async def _handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.hold is not None:
            await self.hold.wait()
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            self.received.append(await request.json())
        return web.Response(status=status)

    async def __aenter__(self) -> Sink:
        app = web.Application()
        app.router.add_post("/events", self._handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/events"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.hold is not None:
            self.hold.set()
        assert self.runner is not None
        await self.runner.cleanup()
