"""Running the simulator under freezegun: refused with a clear message unless the loop keeps real time.

``freeze_time(...)`` without ``real_asyncio=True`` freezes ``time.monotonic``, which the event
loop reads for every timer, so the first real wait would hang forever. Nothing here awaits a
sleep while time is frozen that way.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from nuki_sim.simulator.domain.clock import SystemClock
from nuki_sim.simulator.http.freeze_guard import FrozenLoopError
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator
from tests.time.helpers import (
    CFG,
    DAY,
    FREEZE_AT,
    HOUR,
    Rig,
    SimControlClient,
    frozen_rig,
    virtual_rig,
)

UNLOCKING, UNLOCKED = 2, 3


async def test_starting_under_freeze_time_without_real_asyncio_is_refused():
    """start_simulator under freeze_time without real_asyncio=True raises FrozenLoopError naming the fix."""
    with freeze_time(FREEZE_AT), pytest.raises(FrozenLoopError, match=r"real_asyncio=True"):
        await start_simulator(clock=SystemClock())


async def test_the_guard_refuses_a_virtual_clock_too_and_lets_go_after_the_freeze():
    """The frozen loop is refused whatever clock the simulator would use; after the freeze it starts."""
    with freeze_time(FREEZE_AT), pytest.raises(FrozenLoopError, match=r"real_asyncio=True"):
        await start_simulator()  # a virtual clock, but the loop's timers are still frozen

    sim = await start_simulator()
    try:
        assert sim.url.startswith("http://127.0.0.1:")
    finally:
        await sim.close()


async def test_with_real_asyncio_the_simulator_follows_the_frozen_clock(
    frozen_sim: tuple[RunningSimulator, Any], http: Any
):
    """Under freeze_time(..., real_asyncio=True) the simulator's clock is the frozen one and tick() moves it."""
    sim, frozen = frozen_sim
    control = SimControlClient(http, sim.url)
    lock = sim.demo.locks[0].smartlock_id
    headers = {"Authorization": f"Bearer {sim.token}"}

    clock = await control.get("/clock")
    assert (clock["kind"], clock["now"]) == ("system", "2026-01-05T09:00:00.000Z")
    refused = await control.post("/clock/advance", {"seconds": 1}, expect=400)
    assert "freezegun" in refused["detailMessage"]

    async with http.post(f"{sim.url}/smartlock/{lock}/action/unlock", headers=headers) as reply:
        assert reply.status == 204
    frozen.tick(timedelta(seconds=CFG.push_delay))
    async with http.get(f"{sim.url}/smartlock/{lock}", headers=headers) as reply:
        state = (await reply.json())["state"]["state"]  # this request itself catches up
    frozen.move_to("2026-01-05 09:00:05")
    after = (await control.get(f"/smartlocks/{lock}/device"))["state"]["state"]

    assert (state, after) == (UNLOCKING, UNLOCKED)
    assert (await control.get("/clock"))["now"] == "2026-01-05T09:00:05.000Z"


async def test_the_same_script_builds_the_same_world_in_both_modes(http: Any):
    """A script that moves time and then changes the world ends in the same snapshot on both clocks."""
    virtual = await start_simulator()
    try:
        expected = await _script(virtual_rig(virtual, http, []))
    finally:
        await virtual.close()
    with freeze_time(FREEZE_AT, real_asyncio=True) as frozen:
        sim = await start_simulator(clock=SystemClock())
        try:
            got = await _script(frozen_rig(sim, frozen, http, []))
        finally:
            await sim.close()

    assert got["answers"] == expected["answers"]
    assert got["world"] == expected["world"]


async def _script(rig: Rig) -> dict[str, Any]:
    """Actions and codes; then, each first thing after time has passed, a lock, an account, a token."""
    lock = rig.sim.demo.locks[0].smartlock_id
    owner = rig.sim.demo.account.account_id
    assert (await rig.action(lock, 1)).status == 204
    assert (await rig.create_code(lock, "Guest", 345_678)).status == 204
    await rig.advance(CFG.push_delay + CFG.motor_seconds)
    new_lock = (await rig.ctl.post("/smartlocks", {"accountId": owner}, expect=201))["smartlockId"]
    assert (await rig.action(lock, 2)).status == 204
    await rig.advance(DAY)
    account = await rig.ctl.post("/accounts", {"name": "Second"}, expect=201)
    assert (await rig.action(lock, 1)).status == 204
    await rig.advance(HOUR)
    token = await rig.ctl.post(f"/accounts/{account['accountId']}/tokens", expect=201)
    await rig.advance(HOUR)
    other_lock = await rig.new_lock(timezone="America/New_York")
    answers = {
        "account": account,
        "token": token,
        "locks": [new_lock, other_lock],
        "log": [(e["id"], e["date"]) for e in await rig.logs(lock)],
        "codes": [(a["id"], a["authId"]) for a in await rig.codes(lock)],
    }
    await rig.ctl.get("/clock")  # catch up, so the agenda holds only what is still ahead
    snapshot = await rig.ctl.get("/snapshot")
    # everything but the clock reading, which only a virtual clock stores
    world = [pair for pair in snapshot["state"]["$dict"] if pair[0] != "now"]
    assert len(world) == len(snapshot["state"]["$dict"]) - 1
    return {"answers": answers, "world": world}
