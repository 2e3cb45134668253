"""Keypad codes reach the lock after the push delay but the API lists them only after a sync.

The seed: "if a new pin code is created, it will work manually on the lock but it won't be
visible with an API call until the next sync happens"; Nuki Web syncs once a day.
"""

from __future__ import annotations

import pytest

from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.config import SimConfig
from tests.time.helpers import CFG, DAY, FIRST_AUTO_SYNC, HOUR, START, UNKNOWN_CODE, Rig

GUEST, GUEST_CODE = "Guest Anna", 345_678
NEW_NAME, NEW_CODE = "Guest Anna B", 456_789
CAPACITY = 3
EXTRA_CODES = [(f"Guest {i}", int(str(i + 3) * 6)) for i in range(CAPACITY + 1)]  # 333333…


async def test_a_new_code_works_after_the_push_delay_but_is_listed_only_after_the_daily_sync(
    rig: Rig,
):
    """A created code opens the keypad after the push delay and is listed after the daily auto sync."""
    lock = await rig.new_lock()
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204

    await rig.advance(CFG.push_delay - 1)
    assert await rig.keypad(lock, GUEST_CODE) == (False, UNKNOWN_CODE)

    await rig.advance(1)
    assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")
    assert await rig.device_codes(lock) == {GUEST_CODE: GUEST}
    assert await rig.codes(lock) == []

    await rig.advance_to("2026-01-06T02:59:59Z")  # a second before the lock's daily sync
    assert await rig.codes(lock) == []
    device = await rig.device(lock)
    assert device["lastSync"] == isoformat(START)
    assert device["nextAutoSync"] == FIRST_AUTO_SYNC

    await rig.advance_to(isoformat(START.replace(day=6, hour=10)))  # 25 hours after the start
    listed = await rig.codes(lock)
    assert [(a["name"], a["code"]) for a in listed] == [(GUEST, GUEST_CODE)]
    assert "operationId" not in listed[0]
    assert "error" not in listed[0]
    assert listed[0]["lockCount"] == 1  # the keypad entry above, as the lock counted it
    assert (await rig.device(lock))["lastSync"] == FIRST_AUTO_SYNC


async def test_a_manual_sync_lists_a_new_code_at_once(rig: Rig):
    """POST /smartlock/{id}/sync lists a created code at once, without waiting for the daily sync."""
    lock = await rig.new_lock()
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204
    await rig.advance(CFG.push_delay)
    assert await rig.codes(lock) == []

    await rig.sync(lock)

    assert [(a["name"], a["code"]) for a in await rig.codes(lock)] == [(GUEST, GUEST_CODE)]
    assert (await rig.device(lock))["lastSync"] == isoformat(await rig.now())


async def test_a_sync_before_the_push_delay_delivers_and_lists_the_code(rig: Rig):
    """A sync right after the create hands the queued code to the lock and lists it."""
    lock = await rig.new_lock()
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204
    assert len((await rig.device(lock))["queue"]) == 1

    await rig.sync(lock)

    assert (await rig.device(lock))["queue"] == []
    assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")
    assert [a["code"] for a in await rig.codes(lock)] == [GUEST_CODE]


async def test_an_update_works_on_the_keypad_at_once_but_is_listed_only_after_the_sync(rig: Rig):
    """An updated name and code work on the keypad after the push delay; the listing shows the old until the sync."""
    lock = await rig.new_lock()
    auth_id = await rig.add_listed_code(lock, GUEST, GUEST_CODE)

    reply = await rig.update_auth(lock, auth_id, {"name": NEW_NAME, "code": NEW_CODE})
    assert reply.status == 204
    pending = await rig.listed(lock, GUEST)
    assert pending is not None
    assert pending["code"] == GUEST_CODE
    assert pending["operationId"]  # the pending change, as Nuki shows it
    again = await rig.update_auth(lock, auth_id, {"name": "Too soon", "code": NEW_CODE})
    assert again.status == 423  # further edits wait until the change reached the lock
    assert await rig.keypad(lock, NEW_CODE) == (False, UNKNOWN_CODE)

    await rig.advance(CFG.push_delay)

    assert await rig.keypad(lock, NEW_CODE) == (True, "granted")
    assert (await rig.logs(lock, 1))[0]["name"] == NEW_NAME
    assert await rig.keypad(lock, GUEST_CODE) == (False, UNKNOWN_CODE)
    stale = await rig.listed(lock, GUEST)
    assert stale is not None
    assert stale["code"] == GUEST_CODE
    assert "operationId" not in stale
    assert await rig.listed(lock, NEW_NAME) is None

    await rig.advance(DAY + HOUR)  # past the daily auto sync
    assert await rig.listed(lock, GUEST) is None
    fresh = await rig.listed(lock, NEW_NAME)
    assert fresh is not None
    assert (fresh["id"], fresh["code"]) == (auth_id, NEW_CODE)


async def test_a_deleted_code_stops_at_once_but_stays_listed_until_the_sync(rig: Rig):
    """A deleted code stops opening the keypad after the push delay and stays listed until the sync."""
    lock = await rig.new_lock()
    auth_id = await rig.add_listed_code(lock, GUEST, GUEST_CODE)

    assert (await rig.delete_auth(lock, auth_id)).status == 204
    await rig.advance(CFG.push_delay - 1)
    assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")  # not on the lock yet

    await rig.advance(1)

    assert await rig.keypad(lock, GUEST_CODE) == (False, UNKNOWN_CODE)
    assert await rig.device_codes(lock) == {}
    assert [a["id"] for a in await rig.codes(lock)] == [auth_id]

    await rig.advance(DAY + HOUR)
    assert await rig.codes(lock) == []


async def test_a_manual_sync_shows_an_update_and_a_delete_at_once(rig: Rig):
    """After an update of one code and the delete of another, POST /sync lists the outcome at once."""
    lock = await rig.new_lock()
    kept = await rig.add_listed_code(lock, GUEST, GUEST_CODE)
    gone = await rig.add_listed_code(lock, "Cleaner", 567_891)
    assert (await rig.update_auth(lock, kept, {"name": NEW_NAME, "code": NEW_CODE})).status == 204
    assert (await rig.delete_auth(lock, gone)).status == 204
    await rig.advance(CFG.push_delay)
    assert {a["name"] for a in await rig.codes(lock)} == {GUEST, "Cleaner"}

    await rig.sync(lock)

    assert [(a["id"], a["name"], a["code"]) for a in await rig.codes(lock)] == [
        (kept, NEW_NAME, NEW_CODE)
    ]


@pytest.mark.nuki_sim(config=SimConfig(max_keypad_codes=CAPACITY))
async def test_capacity_is_enforced_by_the_lock_and_reported_only_at_the_sync(rig: Rig):
    """Creating one code more than the lock holds is accepted; after the sync it is listed with error."""
    lock = await rig.new_lock()
    for name, code in EXTRA_CODES:
        assert (await rig.create_code(lock, name, code)).status == 204
    await rig.advance(CFG.push_delay)
    assert await rig.codes(lock) == []
    assert len(await rig.device_codes(lock)) == CAPACITY

    await rig.advance(DAY + HOUR)

    assert await rig.device_codes(lock) == {code: name for name, code in EXTRA_CODES[:CAPACITY]}
    listing = {a["name"]: a for a in await rig.codes(lock)}
    assert set(listing) == {name for name, _ in EXTRA_CODES}
    failed = [name for name, auth in listing.items() if "error" in auth]
    assert failed == [EXTRA_CODES[-1][0]]
    assert "MAX_USER" in listing[failed[0]]["error"]
    assert await rig.keypad(lock, EXTRA_CODES[-1][1]) == (False, UNKNOWN_CODE)
    more = await rig.create_code(lock, "One more", 987_654)
    assert more.status == 409  # now the cloud sees the lock is full
    assert more.detail is not None
    assert "maximum" in more.detail
