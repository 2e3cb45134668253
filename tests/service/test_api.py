"""The adapter service's JSON API over real HTTP, in front of a real simulator."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from tests.service.conftest import TRAITS, Harness

INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
START = "2026-01-05T09:00:00.000Z"  # the simulator's (and the adapter clock's) start
DAY = 86_400
GUEST = {
    "pinCode": "345678",
    "name": "Guest",
    "alwaysActive": False,
    "temporarySchedules": [
        {"startDatetime": "2026-01-05T14:00:00Z", "endDatetime": "2026-01-09T10:00:00Z"}
    ],
    "recurringSchedules": [
        {"rrule": "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0", "duration": 600}
    ],
}


def state(device: dict[str, Any], trait: str, name: str) -> dict[str, Any]:
    found = next(t for t in device["traits"] if t["name"] == trait)
    return dict(found["state"][name])


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


async def test_devices_carry_four_traits_with_reported_state(svc: Harness):
    """GET /devices lists the demo locks with four traits; GET /devices/{id} shows the same."""
    health = await svc.request("GET", "/health")
    assert health.status == 200
    assert health.body["status"] == "ok"
    assert health.body["webhookSubscribed"] is True
    listed = (await svc.request("GET", "/devices")).body
    assert [d["id"] for d in listed] == [str(lk.smartlock_id) for lk in svc.sim.demo.locks]
    for device in listed:
        assert [t["name"] for t in device["traits"]] == TRAITS
        assert {t["instance"] for t in device["traits"]} == {"default"}
        assert device["productInformation"]["manufacturer"] == "Nuki"
    one = await svc.request("GET", f"/devices/{svc.keypad_lock}")
    assert one.status == 200
    assert one.body == next(d for d in listed if d["id"] == svc.keypad_lock)
    locked = state(one.body, "Lock", "isLocked")
    assert locked == {"reported": {"value": True, "sampledAt": START, "createdAt": START},
                      "desired": None}  # fmt: skip
    assert state(one.body, "BetaConnectivity", "status")["reported"]["value"] == "ONLINE"
    pins = next(t for t in one.body["traits"] if t["name"] == "BetaPinCodeCredentials")
    assert pins["properties"]["supportedPinCodeRange"] == {"min": 6, "max": 6}
    refreshed = await svc.request("POST", "/refresh")
    assert (refreshed.status, refreshed.body) == (200, listed)  # nothing changed meanwhile


async def test_set_locked_resolves_with_queue_state_update_events(svc: Harness):
    """setLocked: 202 PENDING with the desired value, then RESOLVED after DEVICE_STATUS."""
    mark = await svc.last_seq()
    reply = await svc.act(svc.keypad_lock, "Lock", "setLocked", {"lock": False})
    assert reply.status == 202
    action = reply.body
    assert (action["status"], action["trait"], action["action"]) == ("PENDING", "Lock", "setLocked")
    device = (await svc.request("GET", f"/devices/{svc.keypad_lock}")).body
    desired = state(device, "Lock", "isLocked")["desired"]
    assert desired == {"value": False, "updatedAt": START, "actionId": action["id"]}

    await svc.advance(10)
    done = (await svc.request("GET", f"/actions/{action['id']}")).body
    assert done["status"] == "RESOLVED"
    assert done["error"] is None
    assert INSTANT.match(done["updatedAt"])
    assert done["updatedAt"] > done["createdAt"]
    events = await svc.events(after=mark)
    assert [e["seq"] for e in events] == list(range(mark + 1, mark + 1 + len(events)))
    mine = [e for e in events if e["content"].get("actionId") == action["id"]]
    assert kinds(mine) == [
        "deviceEventQueueAction",
        "deviceEventSetState",
        "deviceEventUpdateAction",
    ]
    queued, state_set, updated = (e["content"] for e in mine)
    assert queued["actionParameters"] == {"lock": False}
    assert (queued["traitName"], queued["actionName"]) == ("Lock", "setLocked")
    assert (state_set["fieldName"], state_set["value"]) == ("isLocked", False)
    assert updated["status"] == "RESOLVED"


async def test_credential_create_resolves_only_after_nukis_sync(svc: Harness):
    """createPinCodeCredential stays PENDING (reported list unchanged) until the daily sync."""
    before = (await svc.request("GET", f"/devices/{svc.keypad_lock}")).body
    known = state(before, "BetaPinCodeCredentials", "pinCodeCredentials")["reported"]["value"]
    mark = await svc.last_seq()
    params = {"pinCodeCredential": GUEST}
    reply = await svc.act(
        svc.keypad_lock, "BetaPinCodeCredentials", "createPinCodeCredential", params
    )
    assert reply.status == 202
    action_id = reply.body["id"]
    await svc.advance(10)
    assert (await svc.request("GET", f"/actions/{action_id}")).body["status"] == "PENDING"
    device = (await svc.request("GET", f"/devices/{svc.keypad_lock}")).body
    pins = state(device, "BetaPinCodeCredentials", "pinCodeCredentials")
    assert pins["reported"]["value"] == known
    assert [c["name"] for c in pins["desired"]["value"]] == [*(c["name"] for c in known), "Guest"]

    await svc.advance(DAY)
    done = (await svc.request("GET", f"/actions/{action_id}")).body
    assert done["status"] == "RESOLVED"
    device = (await svc.request("GET", f"/devices/{svc.keypad_lock}")).body
    listed = state(device, "BetaPinCodeCredentials", "pinCodeCredentials")["reported"]["value"]
    [shown] = [c for c in listed if c not in known]
    assert shown == {
        **GUEST,
        "id": done["result"]["credentialId"],
        "temporarySchedules": [
            {"startDatetime": "2026-01-05T14:00:00.000Z", "endDatetime": "2026-01-09T10:00:00.000Z"}
        ],
        "recurringSchedules": [
            {"rrule": "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0",
             "duration": 600}
        ],
    }  # fmt: skip
    mine = [e for e in await svc.events(after=mark) if e["content"].get("actionId") == action_id]
    assert kinds(mine) == [
        "deviceEventQueueAction",
        "deviceEventSetState",
        "deviceEventUpdateAction",
    ]
    assert mine[1]["content"]["value"] == listed


async def test_a_pin_starting_with_12_is_rejected_before_any_request(svc: Harness):
    """REJECTED at once with the rule's id; the simulator saw no PUT …/auth (a valid one does)."""
    puts = f"{svc.sim.url}/_sim/requests?method=PUT&path=/smartlock/*/auth"
    params = {"pinCodeCredential": {**GUEST, "pinCode": "123456"}}
    reply = await svc.act(
        svc.keypad_lock, "BetaPinCodeCredentials", "createPinCodeCredential", params
    )
    assert reply.status == 200
    assert reply.body["status"] == "REJECTED"
    assert reply.body["error"]["code"] == "ValidationError"
    assert reply.body["error"]["rule"] == "pin-not-12"
    assert (await svc.request("GET", puts)).body == []
    assert (await svc.request("GET", f"/actions/{reply.body['id']}")).body == reply.body

    valid = await svc.act(svc.keypad_lock, "BetaPinCodeCredentials", "createPinCodeCredential",
                          {"pinCodeCredential": GUEST})  # fmt: skip
    assert valid.status == 202
    assert len((await svc.request("GET", puts)).body) == 1


async def test_unknown_names_and_bad_parameters_are_rejected_actions(svc: Harness):
    """Unknown trait → TraitNotImplemented, unknown action → ActionNotImplemented, bad
    parameters → the adapter's ParseError: all 200 REJECTED, and readable by id."""
    cases = [
        ("Thermostat", "setLocked", {}, "TraitNotImplemented"),
        ("Lock", "open", {}, "ActionNotImplemented"),
        ("Lock", "setLocked", {"lock": "yes"}, "ParseError"),
    ]
    for trait, action, params, code in cases:
        reply = await svc.act(svc.keypad_lock, trait, action, params)
        assert reply.status == 200, reply
        assert (reply.body["status"], reply.body["error"]["code"]) == ("REJECTED", code)
        assert (reply.body["trait"], reply.body["action"]) == (trait, action)
        again = await svc.request("GET", f"/actions/{reply.body['id']}")
        assert again.body == reply.body


async def test_error_shapes(svc: Harness):
    """404 for unknown devices, actions and routes; 400 ParseError for malformed requests."""
    for path in ("/devices/999", "/actions/act_0000000000000000", "/nothing-here"):
        reply = await svc.request("GET", path)
        assert reply.status == 404, path
        assert reply.body["error"]["code"] == "NotFound"
        assert reply.body["error"]["message"]
    missing = await svc.act("999", "Lock", "setLocked", {"lock": True})
    assert (missing.status, missing.body["error"]["code"]) == (404, "NotFound")
    actions = f"/devices/{svc.keypad_lock}/actions"
    for body in ("{not json", "[]", {"action": "setLocked"}, {"trait": "Lock", "action": 1},
                 {"trait": "Lock", "action": "setLocked", "parameters": [True]}):  # fmt: skip
        reply = await svc.request("POST", actions, body)
        assert reply.status == 400, body
        assert reply.body["error"]["code"] == "ParseError"
    for path in ("/events?after=x", "/events?limit=0"):
        assert (await svc.request("GET", path)).status == 400, path
    assert (await svc.request("POST", "/callbacks", {"url": "ftp://x"})).status == 400


async def test_a_forged_webhook_is_refused_and_changes_nothing(svc: Harness):
    """A POST to /nuki/webhook without the subscription's HMAC → 401; a signed one applies."""
    raw = json.dumps({"feature": "DEVICE_STATUS", "smartlockId": int(svc.keypad_lock),
                      "state": {"state": 3}}).encode()  # fmt: skip
    mark = await svc.last_seq()
    for signature in (None, "0" * 64, hmac.new(b"guess", raw, hashlib.sha256).hexdigest()):
        headers = {"X-Nuki-Signature-SHA256": signature} if signature else {}
        reply = await svc.request("POST", "/nuki/webhook", raw, headers=headers)
        assert reply.status == 401
    assert await svc.last_seq() == mark
    device = (await svc.request("GET", f"/devices/{svc.keypad_lock}")).body
    assert state(device, "Lock", "isLocked")["reported"]["value"] is True

    secret = svc.service.adapter.secret
    assert secret is not None
    signed = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    reply = await svc.request(
        "POST", "/nuki/webhook", raw, headers={"X-Nuki-Signature-SHA256": signed}
    )
    assert reply.status == 204
    device = (await svc.request("GET", f"/devices/{svc.keypad_lock}")).body
    assert state(device, "Lock", "isLocked")["reported"]["value"] is False
