"""Fixtures of the adapter tests: the reference adapter against a real simulator over HTTP.

Time moves in one of two ways, and every lifecycle test runs in both:

* ``virtual``: the ``nuki_sim`` fixture's virtual clock, moved with ``POST /_sim/clock/advance``,
  and the adapter's :class:`~nuki_sim.adapters.clock.ManualClock` shifted by the same amount;
* ``freezegun``: a simulator on the system clock under ``freeze_time(..., real_asyncio=True)``
  and an adapter on :class:`~nuki_sim.adapters.clock.SystemClock`, both moved by ``frozen.tick()``.

After time moves, the simulator's dispatcher is drained so that every webhook due now has
reached the adapter's receiver. Nothing here sleeps for real.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from freezegun import freeze_time

from nuki_sim.adapters.clock import Clock, ManualClock, SystemClock
from nuki_sim.adapters.nuki.adapter import NukiTraitAdapter
from nuki_sim.adapters.nuki.client import NukiWebClient
from nuki_sim.adapters.nuki.receiver import Receiver, start_receiver
from nuki_sim.adapters.traits import Action, ActionName, Event, TraitName
from nuki_sim.simulator.domain.clock import SystemClock as SimSystemClock
from nuki_sim.simulator.http.keys import DISPATCHER
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator

FREEZE_AT = "2026-01-05 09:00:00"  # the virtual simulator's start, too
DRAIN_SECONDS = 5.0  # real seconds a drain may take (local receivers answer in milliseconds)
KEYPAD_LOCK, BARE_LOCK = 0, 1  # indexes of the demo locks: with and without a keypad


class RecordingSleep:
    """The client's ``sleep``: records each delay and only yields to the loop."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


@dataclass
class TimeMode:
    name: str
    sim: RunningSimulator
    clock: Clock  # the adapter's
    move: Callable[[timedelta], Awaitable[None]]  # moves the simulator (and adapter) clock


@dataclass
class Rig:
    """One simulator, one started adapter with its own receiver, and the means to steer them."""

    mode: TimeMode
    http: aiohttp.ClientSession
    adapter: NukiTraitAdapter
    receiver: Receiver
    sleep: RecordingSleep
    marks: list[int] = field(default_factory=list)

    @property
    def sim(self) -> RunningSimulator:
        return self.mode.sim

    def lock_id(self, index: int = KEYPAD_LOCK) -> int:
        return self.sim.demo.locks[index].smartlock_id

    def device_id(self, index: int = KEYPAD_LOCK) -> str:
        return str(self.lock_id(index))

    async def deliver(self) -> None:
        """Wait until every webhook due now has been delivered to the adapter."""
        drained = await self.sim.runner.app[DISPATCHER].drain(DRAIN_SECONDS)
        assert drained, "the simulator's webhooks did not drain"

    async def pass_time(self, delta: timedelta) -> None:
        await self.mode.move(delta)
        await self.deliver()

    async def send(
        self, method: str, path: str, body: Any = None, *, params: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        return await send(self.http, self.sim, method, path, body, params=params)

    async def control(self, path: str, body: Any = None, method: str = "POST") -> Any:
        """A control-plane call (``/_sim`` + path) that must succeed; then deliver webhooks."""
        status, answer = await self.send(method, "/_sim" + path, body)
        assert 200 <= status < 300, (path, status, answer)
        await self.deliver()
        return answer

    async def lock_control(self, verb: str, body: Any, index: int = KEYPAD_LOCK) -> Any:
        return await self.control(f"/smartlocks/{self.lock_id(index)}/{verb}", body)

    async def lock_view(self, index: int = KEYPAD_LOCK) -> dict[str, Any]:
        """The control plane's view of a lock: device truth, queue, last sync."""
        return dict(await self.control(f"/smartlocks/{self.lock_id(index)}/device", method="GET"))

    async def journal(self, method: str | None = None, path: str | None = None) -> list[Any]:
        """Nuki API requests the simulator received since the journal was last cleared."""
        query = {k: v for k, v in {"method": method, "path": path}.items() if v}
        status, entries = await self.send("GET", "/_sim/requests", params=query)
        assert status == 200
        return list(entries)

    async def clear_journal(self) -> None:
        await self.control("/requests", method="DELETE")

    async def execute(
        self, trait: TraitName, action: ActionName, params: dict[str, Any], index: int = 0
    ) -> Action:
        return await self.adapter.execute(self.device_id(index), trait, action, params)

    def mark(self) -> None:
        """Remember where the event log stands (see :meth:`since`)."""
        self.marks.append(len(self.adapter.events()))

    def since(self, *kinds: type) -> list[Event]:
        """Events after the last mark, of the given kinds (all kinds if none given)."""
        start = self.marks[-1] if self.marks else 0
        return [e for e in self.adapter.events()[start:] if not kinds or isinstance(e, kinds)]

    def reported(self, trait: TraitName, name: str, index: int = KEYPAD_LOCK) -> Any:
        state = self.adapter.records[self.device_id(index)].device.traits[trait].state[name]
        assert state.reported is not None, f"{trait}.{name} was never reported"
        return state.reported.value


async def send(
    http: aiohttp.ClientSession,
    sim: RunningSimulator,
    method: str,
    path: str,
    body: Any = None,
    *,
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """One raw request to the simulator (Nuki API with the demo token, or ``/_sim``)."""
    headers = {"Authorization": f"Bearer {sim.token}"}
    async with http.request(
        method, sim.url + path, json=body, params=params, headers=headers
    ) as response:
        raw = await response.read()
        return response.status, (json.loads(raw) if raw else None)


@pytest_asyncio.fixture
async def frozen_sim() -> AsyncIterator[tuple[RunningSimulator, Any]]:
    """A simulator on the system clock, with time frozen (and the event loop left running)."""
    freezer = freeze_time(FREEZE_AT, real_asyncio=True)
    frozen = freezer.start()
    try:
        sim = await start_simulator(clock=SimSystemClock())
        try:
            yield sim, frozen
        finally:
            await sim.close()
    finally:
        freezer.stop()


def virtual_mode(sim: RunningSimulator, http: aiohttp.ClientSession) -> TimeMode:
    clock = ManualClock(sim.world.clock.now())

    async def move(delta: timedelta) -> None:
        body = {"seconds": delta.total_seconds()}
        async with http.post(sim.url + "/_sim/clock/advance", json=body) as response:
            assert response.status == 200, await response.text()
        clock.shift(delta)

    return TimeMode("virtual", sim, clock, move)


def freezegun_mode(sim: RunningSimulator, frozen: Any, http: aiohttp.ClientSession) -> TimeMode:
    async def move(delta: timedelta) -> None:
        frozen.tick(delta)
        async with http.get(sim.url + "/_sim/clock") as response:  # the simulator catches up
            assert response.status == 200, await response.text()

    return TimeMode("freezegun", sim, SystemClock(), move)


@pytest.fixture(params=["virtual", "freezegun"])
def time_mode(request: pytest.FixtureRequest, http: aiohttp.ClientSession) -> TimeMode:
    """The simulator and the adapter's clock, in each of the two time modes."""
    if request.param == "virtual":
        return virtual_mode(request.getfixturevalue("nuki_sim"), http)
    sim, frozen = request.getfixturevalue("frozen_sim")
    return freezegun_mode(sim, frozen, http)


@pytest.fixture
def virtual(nuki_sim: RunningSimulator, http: aiohttp.ClientSession) -> TimeMode:
    return virtual_mode(nuki_sim, http)


Connect = Callable[..., Awaitable[Rig]]


@pytest_asyncio.fixture
async def connect(http: aiohttp.ClientSession) -> AsyncIterator[Connect]:
    """Build and start adapters (each with its own receiver); all are closed after the test."""
    made: list[Rig] = []

    async def make(mode: TimeMode, **adapter_options: Any) -> Rig:
        sleep = RecordingSleep()
        client = NukiWebClient(http, mode.sim.url, mode.sim.token, sleep=sleep)
        adapter = NukiTraitAdapter(client, clock=mode.clock, **adapter_options)
        receiver = await start_receiver(adapter)
        await adapter.start(receiver.url)
        rig = Rig(mode, http, adapter, receiver, sleep)
        made.append(rig)
        await rig.deliver()
        return rig

    yield make
    for rig in reversed(made):
        await rig.adapter.close()
        await rig.receiver.close()


@pytest_asyncio.fixture
async def rig(time_mode: TimeMode, connect: Connect) -> Rig:
    """A started adapter in each time mode."""
    return await connect(time_mode)


@pytest_asyncio.fixture
async def vrig(virtual: TimeMode, connect: Connect) -> Rig:
    """A started adapter on the virtual clock only."""
    return await connect(virtual)
