"""Helpers of the time tests: a ``/_sim`` client and a rig that moves time in either mode.

A :class:`Rig` is one running simulator plus the means to steer it over HTTP: the Nuki API
with the demo token (every response checked against the OpenAPI document), the control plane,
and :meth:`Rig.advance`, which moves time the way its mode does (``POST /_sim/clock/advance``
on the virtual clock, ``frozen.tick()`` under freezegun). Nothing here sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from nuki_sim.simulator.domain.clock import SystemClock, parse_instant
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import DEFAULT_START, RunningSimulator, start_simulator
from tests.client import ApiClient, Reply

START = DEFAULT_START  # 2026-01-05T09:00Z, a Monday; the freezegun mode freezes here too
FREEZE_AT = "2026-01-05 09:00:00"
CFG = SimConfig()  # the defaults every test relies on: push 3 s, motor 2 s, unlatch 3 s, lng 20 s
KEYPAD = 13
SYNC_TIME = "03:00"  # locks made by Rig.new_lock sync daily at 03:00 UTC
FIRST_AUTO_SYNC = "2026-01-06T03:00:00.000Z"
HOUR = 3600
DAY = 24 * HOUR
UNKNOWN_CODE = "unknown code"
MON_TO_FRI = 64 | 32 | 16 | 8 | 4


def utc(text: str) -> datetime:
    return parse_instant(text)


class SimControlClient:
    """Calls ``/_sim/...`` and returns the decoded JSON, asserting the expected status."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/") + "/_sim"

    async def call(self, method: str, path: str, body: Any = None, *, expect: int = 200) -> Any:
        async with self.session.request(method, self.base_url + path, json=body) as response:
            raw = await response.read()
            data = json.loads(raw) if raw else None
        assert response.status == expect, (method, path, response.status, data)
        return data

    async def get(self, path: str, **kw: Any) -> Any:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return await self.call("POST", path, body, **kw)

    async def delete(self, path: str, **kw: Any) -> Any:
        return await self.call("DELETE", path, expect=kw.pop("expect", 204), **kw)


Mover = Callable[[float], Awaitable[None]]
Starter = Callable[..., Awaitable[RunningSimulator]]


@dataclass
class Rig:
    """One simulator in one time mode, steered only through HTTP."""

    mode: str
    sim: RunningSimulator
    http: aiohttp.ClientSession
    move: Mover
    starter: Starter
    others: list[RunningSimulator] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.api = ApiClient(self.http, self.sim.url, self.sim.token)
        self.ctl = SimControlClient(self.http, self.sim.url)

    # --- time ---------------------------------------------------------------------------

    async def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass (the mode's own mechanism)."""
        assert seconds >= 0
        await self.move(seconds)

    async def now(self) -> datetime:
        return utc((await self.ctl.get("/clock"))["now"])

    async def advance_to(self, instant: str) -> None:
        """Let time pass until ``instant`` (ISO-8601 UTC); it must not lie in the past."""
        await self.advance((utc(instant) - await self.now()).total_seconds())

    async def start_another(self, **options: Any) -> RunningSimulator:
        """A second, fresh simulator in the same time mode (closed after the test)."""
        other = await self.starter(**options)
        self.others.append(other)
        return other

    # --- locks --------------------------------------------------------------------------

    async def new_lock(self, **body: Any) -> int:
        """A fresh keypad lock of the demo account (no codes yet; daily sync at 03:00 UTC)."""
        account = await self.api.get("/account")
        assert account.status == 200
        created = await self.ctl.post(
            "/smartlocks",
            {"accountId": account.body["accountId"], "syncTime": SYNC_TIME, **body},
            expect=201,
        )
        return int(created["smartlockId"])

    async def smartlock(self, lock: int) -> dict[str, Any]:
        reply = await self.api.get(f"/smartlock/{lock}")
        assert reply.status == 200
        return dict(reply.body)

    async def state(self, lock: int) -> int:
        return int((await self.smartlock(lock))["state"]["state"])

    async def device(self, lock: int) -> dict[str, Any]:
        return dict(await self.ctl.get(f"/smartlocks/{lock}/device"))

    async def set_online(self, lock: int, online: bool) -> dict[str, Any]:
        return dict(await self.ctl.post(f"/smartlocks/{lock}/connectivity", {"online": online}))

    async def keypad(self, lock: int, code: int) -> tuple[bool, str]:
        """Someone types ``code`` on the lock's keypad."""
        answer = await self.ctl.post(f"/smartlocks/{lock}/keypad", {"code": code})
        return answer["granted"], answer["reason"]

    async def action(self, lock: int, action: int) -> Reply:
        return await self.api.post(f"/smartlock/{lock}/action", {"action": action})

    async def sync(self, lock: int) -> None:
        """``POST /smartlock/{id}/sync`` (Nuki's "Update now")."""
        assert (await self.api.post(f"/smartlock/{lock}/sync")).status == 204

    async def logs(self, lock: int, limit: int = 50) -> list[dict[str, Any]]:
        reply = await self.api.get(f"/smartlock/{lock}/log", params={"limit": str(limit)})
        assert reply.status == 200
        return list(reply.body)

    # --- keypad codes -------------------------------------------------------------------

    async def create_code(self, lock: int, name: str, code: int, **extra: Any) -> Reply:
        body = {"type": KEYPAD, "name": name, "code": code, **extra}
        return await self.api.put(f"/smartlock/{lock}/auth", body)

    async def update_auth(self, lock: int, auth_id: str, body: dict[str, Any]) -> Reply:
        return await self.api.post(f"/smartlock/{lock}/auth/{auth_id}", body)

    async def delete_auth(self, lock: int, auth_id: str) -> Reply:
        return await self.api.delete(f"/smartlock/{lock}/auth/{auth_id}")

    async def codes(self, lock: int) -> list[dict[str, Any]]:
        """The keypad codes ``GET /smartlock/{id}/auth`` lists (the cloud's copy)."""
        reply = await self.api.get(f"/smartlock/{lock}/auth", params={"types": str(KEYPAD)})
        assert reply.status == 200
        return list(reply.body)

    async def listed(self, lock: int, name: str) -> dict[str, Any] | None:
        found = [a for a in await self.codes(lock) if a["name"] == name]
        assert len(found) <= 1, found
        return found[0] if found else None

    async def listed_id(self, lock: int, name: str) -> str:
        auth = await self.listed(lock, name)
        assert auth is not None, f"{name} is not listed"
        return str(auth["id"])

    async def add_listed_code(self, lock: int, name: str, code: int, **extra: Any) -> str:
        """Create a code and sync at once, so it is on the lock and listed; return its id."""
        assert (await self.create_code(lock, name, code, **extra)).status == 204
        await self.sync(lock)
        return await self.listed_id(lock, name)

    async def device_codes(self, lock: int) -> dict[int, str]:
        """The keypad codes on the lock itself, code → name."""
        auths = (await self.device(lock))["auths"]
        return {a["code"]: a["name"] for a in auths if a["type"] == KEYPAD}


def virtual_rig(
    sim: RunningSimulator, http: aiohttp.ClientSession, others: list[RunningSimulator]
) -> Rig:
    """A rig on the virtual clock: time moves with ``POST /_sim/clock/advance``."""
    control = SimControlClient(http, sim.url)

    async def move(seconds: float) -> None:
        await control.post("/clock/advance", {"seconds": seconds})

    async def start(**options: Any) -> RunningSimulator:
        return await start_simulator(**options)

    return Rig("virtual", sim, http, move, start, others)


def frozen_rig(
    sim: RunningSimulator, frozen: Any, http: aiohttp.ClientSession, others: list[RunningSimulator]
) -> Rig:
    """A rig under freezegun: time moves with ``frozen.tick()`` and nothing else; the next
    request to the simulator catches its scheduler up."""

    async def move(seconds: float) -> None:
        frozen.tick(timedelta(seconds=seconds))

    async def start(**options: Any) -> RunningSimulator:
        return await start_simulator(clock=SystemClock(), **options)

    return Rig("freezegun", sim, http, move, start, others)
