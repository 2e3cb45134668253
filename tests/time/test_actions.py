"""Lock actions over time: the motor's transitional states, 423 while busy, a jam, the log, the battery.

Durations come from :class:`SimConfig`'s defaults: push delay 3 s, motor 2 s, unlatch 3 s,
lock 'n' go 20 s. Each walk is read one second before and at every transition.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.config import SimConfig
from tests.time.helpers import CFG, UNKNOWN_CODE, Rig

UNLOCK, LOCK, UNLATCH, LOCK_N_GO = 1, 2, 3, 4
LOCKED, UNLOCKING, UNLOCKED, LOCKING, UNLATCHED, LNG_UNLOCKED, UNLATCHING = 1, 2, 3, 4, 5, 6, 7
MOTOR_BLOCKED = 254
TRIGGER_WEB, TRIGGER_KEYPAD = 4, 255
LOG_SUCCESS, LOG_MOTOR_BLOCKED, LOG_INVALID_CODE = 0, 1, 224
SOURCE_DEFAULT, SOURCE_KEYPAD = 0, 1
GUEST, GUEST_CODE = "Dog walker", 345_678

# action → the states it walks through, each with how long it lasts (None: the walk ends)
WALKS = {
    UNLOCK: [(UNLOCKING, CFG.motor_seconds), (UNLOCKED, None)],
    LOCK: [(LOCKING, CFG.motor_seconds), (LOCKED, None)],
    UNLATCH: [(UNLATCHING, CFG.motor_seconds), (UNLATCHED, CFG.unlatch_seconds), (UNLOCKED, None)],
    LOCK_N_GO: [
        (UNLOCKING, CFG.motor_seconds),
        (LNG_UNLOCKED, CFG.lock_n_go_seconds),
        (LOCKING, CFG.motor_seconds),
        (LOCKED, None),
    ],
}


@pytest.mark.parametrize("action", list(WALKS), ids=["unlock", "lock", "unlatch", "lock-n-go"])
async def test_an_action_walks_through_its_transitional_states(rig: Rig, action: int):
    """After the push delay the motor walks the action's states, each for its configured time."""
    lock = await rig.new_lock()
    before = await rig.state(lock)
    assert (await rig.action(lock, action)).status == 204

    walk = WALKS[action]
    seen = [await rig.state(lock)]
    for step in [CFG.push_delay - 1, 1, *(s for _, lasts in walk[:-1] for s in (lasts - 1, 1))]:
        await rig.advance(step)  # to a second before each change, then to the change
        seen.append(await rig.state(lock))

    states = [state for state, _ in walk]
    expected = [before, before, states[0]]
    for current, following in pairwise(states):
        expected += [current, following]
    assert seen == expected
    assert (await rig.smartlock(lock))["state"]["lastAction"] == action
    logged = [(e["action"], e["trigger"], e["state"]) for e in await rig.logs(lock)]
    assert logged == [(action, TRIGGER_WEB, LOG_SUCCESS)]  # one entry, when the motor started
    await rig.advance(60)
    assert await rig.state(lock) == WALKS[action][-1][0]  # and there it stays


async def test_another_action_while_one_is_queued_or_running_is_refused_with_423(rig: Rig):
    """A second action is 423 while the first waits for the lock or its motor still runs."""
    lock = await rig.new_lock()
    assert (await rig.action(lock, UNLOCK)).status == 204

    queued = await rig.action(lock, LOCK)
    await rig.advance(CFG.push_delay)
    running = await rig.api.post(f"/smartlock/{lock}/action/lock")
    await rig.advance(CFG.motor_seconds)
    done = await rig.action(lock, LOCK)

    assert queued.status == 423
    assert queued.body == {"stackTrace": [], "suppressedExceptions": []}
    assert running.status == 423
    assert done.status == 204
    await rig.advance(CFG.push_delay + CFG.motor_seconds)
    assert await rig.state(lock) == LOCKED
    assert [(e["action"], e["state"]) for e in await rig.logs(lock)] == [
        (LOCK, LOG_SUCCESS),
        (UNLOCK, LOG_SUCCESS),
    ]  # the refused requests never reached the lock


async def test_a_keypad_entry_keeps_the_motor_busy_for_web_actions(rig: Rig):
    """While a keypad entry's unlock runs, a web action is 423 and a second entry is refused as busy."""
    lock = await rig.new_lock()
    await rig.add_listed_code(lock, GUEST, GUEST_CODE)

    assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")
    web = await rig.action(lock, LOCK)
    granted, reason = await rig.keypad(lock, GUEST_CODE)
    await rig.advance(CFG.motor_seconds)

    assert web.status == 423
    assert not granted
    assert "BUSY" in reason
    assert await rig.state(lock) == UNLOCKED
    assert (await rig.action(lock, LOCK)).status == 204


async def test_a_jammed_motor_ends_in_state_254_and_logs_motor_blocked(rig: Rig):
    """With the motor jammed a lock action ends in state 254 and its log entry has state 1."""
    lock = await rig.new_lock()
    await rig.ctl.post(f"/smartlocks/{lock}/jam", {"jammed": True})

    assert (await rig.action(lock, UNLOCK)).status == 204
    await rig.advance(CFG.push_delay)

    assert await rig.state(lock) == MOTOR_BLOCKED
    entry = (await rig.logs(lock))[0]
    assert (entry["action"], entry["trigger"], entry["state"]) == (
        UNLOCK,
        TRIGGER_WEB,
        LOG_MOTOR_BLOCKED,
    )
    await rig.ctl.post(f"/smartlocks/{lock}/jam", {"jammed": False})
    assert (await rig.action(lock, UNLOCK)).status == 204  # a blocked motor is not busy
    await rig.advance(CFG.push_delay + CFG.motor_seconds)
    assert await rig.state(lock) == UNLOCKED


async def test_every_action_and_keypad_entry_writes_a_log_entry(rig: Rig):
    """Web actions log trigger 4; keypad entries trigger 255, source 1 and the code's name; a wrong code state 224."""
    lock = await rig.new_lock()
    auth_id = await rig.add_listed_code(lock, GUEST, GUEST_CODE)
    api_name = rig.sim.demo.token.name

    assert (await rig.action(lock, UNLOCK)).status == 204
    assert await rig.logs(lock) == []  # nothing happened on the lock yet
    await rig.advance(CFG.push_delay)
    web_at = await rig.now()
    await rig.advance(CFG.motor_seconds)
    assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")
    await rig.advance(CFG.motor_seconds)
    assert await rig.keypad(lock, 987_654) == (False, UNKNOWN_CODE)

    newest_first = await rig.logs(lock)
    rows = [
        (e["action"], e["trigger"], e["state"], e["source"], e["name"], e["authId"])
        for e in newest_first
    ]
    web_auth = rows[2][5]
    assert rows == [
        (UNLOCK, TRIGGER_KEYPAD, LOG_INVALID_CODE, SOURCE_KEYPAD, "", ""),
        (UNLOCK, TRIGGER_KEYPAD, LOG_SUCCESS, SOURCE_KEYPAD, GUEST, auth_id),
        (UNLOCK, TRIGGER_WEB, LOG_SUCCESS, SOURCE_DEFAULT, api_name, web_auth),
    ]
    assert web_auth
    assert web_auth != auth_id
    assert newest_first[2]["date"] == isoformat(web_at)  # when the lock ran it, not the request
    assert (await rig.smartlock(lock))["state"]["state"] == UNLOCKED


async def test_each_motor_action_drains_the_battery(rig: Rig):
    """Every motor action, from the web or the keypad, costs battery_drain_per_action percent."""
    lock = await rig.new_lock()
    await rig.add_listed_code(lock, GUEST, GUEST_CODE)
    drain = CFG.battery_drain_per_action

    assert (await rig.action(lock, UNLOCK)).status == 204
    assert (await rig.device(lock))["batteryCharge"] == 100  # not yet: the lock has not moved
    await rig.advance(CFG.push_delay + CFG.motor_seconds)
    assert (await rig.device(lock))["batteryCharge"] == pytest.approx(100 - drain)
    assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")
    assert (await rig.device(lock))["batteryCharge"] == pytest.approx(100 - 2 * drain)
    assert await rig.keypad(lock, 987_654) == (False, UNKNOWN_CODE)  # no motor, no drain
    assert (await rig.device(lock))["batteryCharge"] == pytest.approx(100 - 2 * drain)
    state = (await rig.smartlock(lock))["state"]
    assert (state["batteryCharge"], state["batteryCritical"]) == (100, False)  # whole percent


@pytest.mark.nuki_sim(config=SimConfig(battery_drain_per_action=3))
async def test_a_battery_below_20_percent_is_critical(rig: Rig):
    """A charge below 20 % makes batteryCritical true, whether set directly or drained by the motor."""
    lock = await rig.new_lock()

    await rig.ctl.post(f"/smartlocks/{lock}/battery", {"charge": 15})
    low = (await rig.smartlock(lock))["state"]
    await rig.ctl.post(f"/smartlocks/{lock}/battery", {"charge": 20})
    edge = (await rig.smartlock(lock))["state"]
    await rig.ctl.post(f"/smartlocks/{lock}/battery", {"charge": 22})
    assert (await rig.action(lock, LOCK)).status == 204
    await rig.advance(CFG.push_delay)
    drained = (await rig.smartlock(lock))["state"]

    assert (low["batteryCharge"], low["batteryCritical"]) == (15, True)
    assert (edge["batteryCharge"], edge["batteryCritical"]) == (20, False)
    assert (drained["batteryCharge"], drained["batteryCritical"]) == (19, True)
