"""An opener over time, in both time modes: its own state walk, 423 while the door is open, and
a keypad code that opens rather than unlocks (docs/behaviour.md, "Device models")."""

from __future__ import annotations

from tests.time.helpers import CFG, Rig

RTO_ON, RTO_OFF, OPEN, CONTINUOUS_ON, CONTINUOUS_OFF = 1, 2, 3, 6, 7
ONLINE, RTO_ACTIVE, OPENED, OPENING = 1, 3, 5, 7  # an opener's Smartlock.State.state
DOOR_MODE, CONTINUOUS_MODE = 2, 3
GUEST_CODE = 345_678


async def test_an_opener_opens_for_its_time_and_is_busy_meanwhile(rig: Rig):
    opener = await rig.new_lock(model="Opener")
    assert (await rig.action(opener, OPEN)).status == 204
    seen = []
    for step in (CFG.push_delay - 1, 1, CFG.motor_seconds - 1, 1, CFG.unlatch_seconds - 1, 1):
        await rig.advance(step)
        seen.append(await rig.state(opener))
        if seen[-1] == OPENED:
            assert (await rig.action(opener, RTO_ON)).status == 423  # still open
    assert seen == [ONLINE, OPENING, OPENING, OPENED, OPENED, ONLINE]


async def test_ring_to_open_and_continuous_mode_stay_until_switched_off(rig: Rig):
    opener = await rig.new_lock(model="Opener")
    assert (await rig.action(opener, RTO_ON)).status == 204
    await rig.advance(CFG.push_delay)
    assert await rig.state(opener) == RTO_ACTIVE
    await rig.advance(3600)
    assert await rig.state(opener) == RTO_ACTIVE  # no timeout is simulated
    assert (await rig.action(opener, RTO_OFF)).status == 204
    assert (await rig.action(opener, CONTINUOUS_ON)).status == 423  # one queued action at a time
    await rig.advance(CFG.push_delay)
    assert await rig.state(opener) == ONLINE
    assert (await rig.action(opener, CONTINUOUS_ON)).status == 204
    await rig.advance(CFG.push_delay)
    assert (await rig.smartlock(opener))["state"]["mode"] == CONTINUOUS_MODE
    assert (await rig.action(opener, CONTINUOUS_OFF)).status == 204
    await rig.advance(CFG.push_delay)
    assert (await rig.smartlock(opener))["state"]["mode"] == DOOR_MODE


async def test_a_keypad_code_opens_an_opener(rig: Rig):
    opener = await rig.new_lock(model="Opener")
    assert (await rig.create_code(opener, "Guest", GUEST_CODE)).status == 204
    await rig.advance(CFG.push_delay)
    assert await rig.keypad(opener, GUEST_CODE) == (True, "granted")
    assert await rig.state(opener) == OPENING
    logged = await rig.logs(opener)
    assert logged[0]["action"] == OPEN
    assert logged[0]["deviceType"] == 2
