"""An offline lock: Nuki accepts every write, queues it, and applies it when the lock is back.

The seed: "If a command is sent to an offline device, the Nuki API will accept the command
successfully and queue it until the device resumes its connectivity. Once the command is
processed by Nuki, Yonomi Platform will send a webhook event with the result."
"""

from __future__ import annotations

from typing import Any

from tests.time.helpers import CFG, DAY, HOUR, UNKNOWN_CODE, Rig

SERVER_OK, SERVER_OFFLINE = 0, 4
KEEP, KEEP_CODE = "Keep me", 345_678
RENAMED, RENAMED_CODE = "Kept and renamed", 678_912
GONE, GONE_CODE = "Remove me", 456_789
FRESH, FRESH_CODE = "Offline new", 567_891
TWIN = "Offline twin"  # same code as FRESH: the cloud cannot see FRESH yet
LOCKED, UNLOCKING, UNLOCKED = 1, 2, 3


def summary(listing: list[dict[str, Any]]) -> dict[str, tuple[int, bool]]:
    """name → (code, has error)."""
    return {a["name"]: (a["code"], "error" in a) for a in listing}


async def go_offline(rig: Rig, lock: int) -> None:
    await rig.set_online(lock, False)
    assert (await rig.smartlock(lock))["serverState"] == SERVER_OFFLINE


async def test_writes_to_an_offline_lock_are_accepted_and_wait_in_the_queue_in_order(rig: Rig):
    """Offline, a create, an update, a delete and a duplicate all return 204 and queue in order."""
    lock = await rig.new_lock()
    keep = await rig.add_listed_code(lock, KEEP, KEEP_CODE)
    gone = await rig.add_listed_code(lock, GONE, GONE_CODE)
    await go_offline(rig, lock)

    assert (await rig.create_code(lock, FRESH, FRESH_CODE)).status == 204
    assert (
        await rig.update_auth(lock, keep, {"name": RENAMED, "code": RENAMED_CODE})
    ).status == 204
    assert (await rig.delete_auth(lock, gone)).status == 204
    assert (await rig.create_code(lock, TWIN, FRESH_CODE)).status == 204
    await rig.advance(10 * CFG.push_delay)

    queue = (await rig.device(lock))["queue"]
    assert [(c["command"], c.get("name"), c.get("authorizationId")) for c in queue] == [
        ("CreateAuth", FRESH, queue[0]["authorizationId"]),
        ("UpdateAuth", None, keep),
        ("DeleteAuth", None, gone),
        ("CreateAuth", TWIN, queue[3]["authorizationId"]),
    ]
    listing = await rig.codes(lock)
    assert summary(listing) == {KEEP: (KEEP_CODE, False), GONE: (GONE_CODE, False)}
    assert all(a.get("operationId") for a in listing)  # both listed codes have a change pending
    assert await rig.keypad(lock, FRESH_CODE) == (False, UNKNOWN_CODE)
    assert await rig.keypad(lock, RENAMED_CODE) == (False, UNKNOWN_CODE)
    assert await rig.device_codes(lock) == {KEEP_CODE: KEEP, GONE_CODE: GONE}


async def test_the_daily_sync_is_skipped_while_the_lock_is_offline(rig: Rig):
    """While offline the daily auto sync is skipped: listing and lastSync stay as they were."""
    lock = await rig.new_lock()
    await rig.add_listed_code(lock, KEEP, KEEP_CODE)
    last_sync = (await rig.device(lock))["lastSync"]
    await go_offline(rig, lock)
    assert (await rig.create_code(lock, FRESH, FRESH_CODE)).status == 204
    before = await rig.codes(lock)

    await rig.advance(DAY + HOUR)

    device = await rig.device(lock)
    assert device["lastSync"] == last_sync
    assert device["nextAutoSync"] == "2026-01-07T03:00:00.000Z"  # the skipped one is behind us
    assert len(device["queue"]) == 1
    assert await rig.codes(lock) == before
    await rig.sync(lock)  # a manual sync needs the lock too: accepted, but nothing happens
    assert (await rig.device(lock))["lastSync"] == last_sync
    assert await rig.codes(lock) == before


async def test_on_reconnect_the_queue_is_applied_in_order_and_the_outcome_is_listed_at_once(
    rig: Rig,
):
    """On reconnect the queued commands run in order; the listing shows their outcome at once, the duplicate with error."""
    lock = await rig.new_lock()
    keep = await rig.add_listed_code(lock, KEEP, KEEP_CODE)
    gone = await rig.add_listed_code(lock, GONE, GONE_CODE)
    await go_offline(rig, lock)
    assert (await rig.create_code(lock, FRESH, FRESH_CODE)).status == 204
    assert (
        await rig.update_auth(lock, keep, {"name": RENAMED, "code": RENAMED_CODE})
    ).status == 204
    assert (await rig.delete_auth(lock, gone)).status == 204
    assert (await rig.create_code(lock, TWIN, FRESH_CODE)).status == 204
    await rig.advance(HOUR)

    back = await rig.set_online(lock, True)

    delivered = [(d["command"], d["error"] is not None) for d in back["delivered"]]
    assert delivered == [
        ("CreateAuth", False),
        ("UpdateAuth", False),
        ("DeleteAuth", False),
        ("CreateAuth", True),
    ]
    assert "ALREADY_EXISTS" in back["delivered"][3]["error"]
    assert back["queue"] == []
    assert (await rig.smartlock(lock))["serverState"] == SERVER_OK
    listing = await rig.codes(lock)
    assert summary(listing) == {
        RENAMED: (RENAMED_CODE, False),
        FRESH: (FRESH_CODE, False),
        TWIN: (FRESH_CODE, True),
    }
    twin = next(a for a in listing if a["name"] == TWIN)
    assert "ALREADY_EXISTS" in twin["error"]
    assert not any("operationId" in a for a in listing)
    assert await rig.device_codes(lock) == {RENAMED_CODE: RENAMED, FRESH_CODE: FRESH}
    assert await rig.keypad(lock, FRESH_CODE) == (True, "granted")
    assert (await rig.logs(lock, 1))[0]["name"] == FRESH  # the first create won, not its twin
    assert await rig.keypad(lock, GONE_CODE) == (False, UNKNOWN_CODE)
    assert await rig.keypad(lock, KEEP_CODE) == (False, UNKNOWN_CODE)


async def test_a_failed_create_stays_listed_with_its_error_after_later_syncs(rig: Rig):
    """The duplicate that failed on the device stays listed with error through the next daily sync."""
    lock = await rig.new_lock()
    await go_offline(rig, lock)
    assert (await rig.create_code(lock, FRESH, FRESH_CODE)).status == 204
    assert (await rig.create_code(lock, TWIN, FRESH_CODE)).status == 204
    await rig.set_online(lock, True)

    await rig.advance(DAY + HOUR)

    assert summary(await rig.codes(lock)) == {FRESH: (FRESH_CODE, False), TWIN: (FRESH_CODE, True)}
    again = await rig.create_code(lock, "Third try", FRESH_CODE)
    assert again.status == 409  # now the cloud knows the code is taken


async def test_keypad_entries_made_offline_reach_the_cloud_log_on_reconnect(rig: Rig):
    """A keypad entry on an offline lock opens it at once, but its log entry is uploaded only on reconnect."""
    lock = await rig.new_lock()
    await rig.add_listed_code(lock, KEEP, KEEP_CODE)
    await go_offline(rig, lock)

    assert await rig.keypad(lock, KEEP_CODE) == (True, "granted")
    await rig.advance(CFG.motor_seconds)
    assert await rig.logs(lock) == []

    await rig.set_online(lock, True)

    assert [(e["name"], e["trigger"]) for e in await rig.logs(lock)] == [(KEEP, 255)]


async def test_an_action_sent_offline_runs_on_reconnect(rig: Rig):
    """An unlock sent to an offline lock returns 204, waits, and runs when the lock is back."""
    lock = await rig.new_lock()
    await go_offline(rig, lock)

    assert (await rig.action(lock, 1)).status == 204
    await rig.advance(HOUR)
    assert (await rig.device(lock))["state"]["state"] == LOCKED
    assert [c["command"] for c in (await rig.device(lock))["queue"]] == ["LockAction"]
    assert (await rig.action(lock, 2)).status == 423  # one action at a time, queued or running

    await rig.set_online(lock, True)
    assert await rig.state(lock) == UNLOCKING
    await rig.advance(CFG.motor_seconds)
    assert await rig.state(lock) == UNLOCKED
