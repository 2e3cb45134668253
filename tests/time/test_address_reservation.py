"""The address flow end to end, in both time modes: an address with a keypad lock, a
reservation booked through ``/_sim``, issued; the guest's code reaches the lock after the
push delay (an offline lock: when it reconnects) and opens it only from check-in to
check-out; once revoked (and the delete applied) it opens nothing."""

from __future__ import annotations

from typing import Any

from tests.time.helpers import CFG, DAY, HOUR, START, UNKNOWN_CODE, Rig

CHECK_IN = START.replace(day=START.day + 1, hour=15)  # 2026-01-06T15:00Z
CHECK_OUT = START.replace(day=START.day + 3, hour=10)  # 2026-01-08T10:00Z


def iso(at: Any) -> str:
    return at.isoformat().replace("+00:00", "Z")


async def address_with_booking(rig: Rig) -> tuple[int, int, str]:
    """A fresh keypad lock at a new address, and a guest's booking there."""
    lock = await rig.new_lock(name="Front door")
    made = await rig.api.put("/address", {"name": "Harbour flat", "smartlockIds": [lock]})
    assert made.status == 200, made.body
    address = int(made.body["addressId"])
    booking = {"name": "Grace", "email": "grace@example.com", "checkIn": iso(CHECK_IN),
               "checkOut": iso(CHECK_OUT)}  # fmt: skip
    booked = await rig.ctl.call("PUT", f"/addresses/{address}/reservations", booking, expect=201)
    return lock, address, str(booked["reservation"]["id"])


async def guest_code(rig: Rig, address: int) -> int:
    [reservation] = await rig.ctl.get(f"/addresses/{address}/reservations")
    return int(reservation["code"])


async def test_guest_code_opens_only_during_the_stay(rig: Rig):
    lock, address, rid = await address_with_booking(rig)
    await rig.set_online(lock, False)
    issue = await rig.api.post(f"/address/{address}/reservation/{rid}/issue")
    assert issue.status == 204
    code = await guest_code(rig, address)
    await rig.advance(CFG.push_delay + 1)
    assert await rig.keypad(lock, code) == (False, UNKNOWN_CODE)  # offline: still queued
    [listed] = (await rig.api.get(f"/address/{address}/reservation")).body
    assert listed["isCurrentlyIssuingAuth"] is True
    await rig.set_online(lock, True)  # the queue reaches the lock as it reconnects
    granted, reason = await rig.keypad(lock, code)
    assert (granted, reason.startswith("not yet valid")) == (False, True)
    await rig.advance_to(iso(CHECK_IN.replace(hour=16)))
    assert await rig.keypad(lock, code) == (True, "granted")
    await rig.advance(DAY)
    assert await rig.keypad(lock, code) == (True, "granted")
    await rig.advance_to(iso(CHECK_OUT.replace(hour=11)))
    granted, reason = await rig.keypad(lock, code)
    assert (granted, reason.startswith("expired")) == (False, True)
    [listed] = (await rig.api.get(f"/address/{address}/reservation")).body
    assert (listed["keypadIssued"], listed["isCurrentlyIssuingAuth"]) == (True, False)


async def test_revoked_code_opens_nothing_once_the_delete_reached_the_lock(rig: Rig):
    lock, address, rid = await address_with_booking(rig)
    assert (await rig.api.post(f"/address/{address}/reservation/{rid}/issue")).status == 204
    code = await guest_code(rig, address)
    await rig.advance_to(iso(CHECK_IN.replace(hour=16)))
    assert await rig.keypad(lock, code) == (True, "granted")
    await rig.advance(60)  # the motor has stopped
    await rig.sync(lock)
    assert [a["code"] for a in await rig.codes(lock)] == [code]  # listed like any code
    assert (await rig.api.post(f"/address/{address}/reservation/{rid}/revoke")).status == 204
    [revoking] = (await rig.api.get(f"/address/{address}/reservation")).body
    assert (revoking["isCurrentlyRevokingAuth"], revoking["keypadIssued"]) == (True, False)
    await rig.advance(CFG.push_delay / 2)
    assert await rig.keypad(lock, code) == (True, "granted")  # the delete is on its way
    await rig.advance(HOUR)
    assert await rig.keypad(lock, code) == (False, UNKNOWN_CODE)
    [revoked] = (await rig.api.get(f"/address/{address}/reservation")).body
    assert revoked["isCurrentlyRevokingAuth"] is False
    await rig.sync(lock)
    assert await rig.codes(lock) == []


async def test_deleted_units_go_after_the_push_delay(rig: Rig):
    lock = await rig.new_lock(name="Gate")
    made = await rig.api.put("/address", {"name": "Block", "smartlockIds": [lock]})
    units = f"/address/{made.body['addressId']}/unit"
    unit = (await rig.api.put(units, {"name": "Flat 3"})).body
    deleted = await rig.api.delete(units, [unit["id"]])
    assert deleted.status == 200
    await rig.advance(CFG.push_delay / 2)
    [pending] = (await rig.api.get(units)).body
    assert pending["operationId"] == deleted.body["requestId"]
    assert (await rig.api.delete(f"{units}/{unit['id']}")).status == 423
    await rig.advance(CFG.push_delay)
    assert (await rig.api.get(units)).body == []
    info = await rig.api.with_token(None).get(f"/address/token/{unit['addressTokenId']}")
    assert info.status == 404
