"""Steps of the API-level suite: raw Nuki Web requests and what they answer."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from pytest_bdd import given, parsers, then, when

from conformance.control import Answer
from conformance.driver import Driver
from conformance.steps.common import control, lock_id

RESTLET_422_KEYS = {"code", "description", "homeRef", "reasonPhrase", "uri"}


def answer(kit: Driver) -> Answer:
    assert isinstance(kit.scenario.answer, Answer), "no request was sent in this scenario"
    return kit.scenario.answer


def remember(kit: Driver, reply: Answer) -> None:
    kit.scenario.answer = reply
    kit.scenario.answers.append(reply)


def listed(kit: Driver, name: str) -> list[dict[str, Any]]:
    reply = kit.run(kit.api.request("GET", f"/smartlock/{lock_id(kit, name)}/auth"))
    assert reply.status == 200, f"listing the authorizations answered {reply.status}"
    return [a for a in reply.body if a.get("type") == 13]


def listed_code(
    kit: Driver, name: str, code: int, label: str | None = None
) -> dict[str, Any] | None:
    for auth in listed(kit, name):
        if auth.get("code") == code and (label is None or auth.get("name") == label):
            return auth
    return None


# --- read-only ---------------------------------------------------------------------------


@when("I list the smart locks")
def _list_locks(kit: Driver) -> None:
    remember(kit, kit.run(kit.api.request("GET", "/smartlock")))


@when(parsers.parse('I list the smart locks with the token "{token}"'))
def _list_locks_token(kit: Driver, token: str) -> None:
    remember(kit, kit.run(kit.api.request("GET", "/smartlock", token=token)))


@when("I list the authorizations of every smart lock")
def _list_all_auths(kit: Driver) -> None:
    locks = kit.run(kit.api.request("GET", "/smartlock")).body or []
    for lock in locks:
        remember(kit, kit.run(kit.api.request("GET", f"/smartlock/{lock['smartlockId']}/auth")))


@when(parsers.parse("I read the activity log of every smart lock with limit {limit:d}"))
def _read_logs(kit: Driver, limit: int) -> None:
    locks = kit.run(kit.api.request("GET", "/smartlock")).body or []
    for lock in locks:
        path = f"/smartlock/{lock['smartlockId']}/log"
        remember(kit, kit.run(kit.api.request("GET", path, params={"limit": str(limit)})))


@then(parsers.parse("the answer is {status:d}"))
def _status(kit: Driver, status: int) -> None:
    reply = answer(kit)
    assert reply.status == status, f"answered {reply.status}, expected {status}: {reply.body}"


@then(parsers.parse("every answer is {status:d}"))
def _every_status(kit: Driver, status: int) -> None:
    statuses = [a.status for a in kit.scenario.answers]
    assert statuses and all(s == status for s in statuses), f"answers: {statuses}"


@then(parsers.parse('the answer has detailMessage "{message}"'))
def _detail(kit: Driver, message: str) -> None:
    body = answer(kit).body
    assert isinstance(body, dict) and body.get("detailMessage") == message, f"body: {body}"


@then("the answer is Nuki's Restlet body for 422")
def _restlet(kit: Driver) -> None:
    body = answer(kit).body
    assert isinstance(body, dict) and set(body) >= RESTLET_422_KEYS and body["code"] == 422, body


@then(
    "every smart lock has smartlockId, accountId, type, authId, name, favorite, serverState and state"
)
def _lock_shape(kit: Driver) -> None:
    locks = answer(kit).body
    assert isinstance(locks, list)
    required = {
        "smartlockId",
        "accountId",
        "type",
        "authId",
        "name",
        "favorite",
        "serverState",
        "state",
    }
    for lock in locks:
        missing = required - set(lock)
        assert not missing, f"smart lock {lock.get('smartlockId')} lacks {sorted(missing)}"


@then("every keypad code in them has a six-digit code and a name of at most 20 characters")
def _code_shape(kit: Driver) -> None:
    for reply in kit.scenario.answers:
        for auth in reply.body or []:
            if auth.get("type") == 13 and not auth.get("error"):
                code = str(auth.get("code"))
                assert len(code) == 6 and code.isdigit(), f"keypad code {auth.get('id')}: {code}"
                assert len(auth.get("name", "")) <= 20, f"keypad code name {auth.get('name')!r}"


@then("every log is newest first with at most 50 entries")
def _log_shape(kit: Driver) -> None:
    for reply in kit.scenario.answers:
        dates = [entry["date"] for entry in reply.body]
        assert len(dates) <= 50, f"{len(dates)} entries"
        assert dates == sorted(dates, reverse=True), "the log is not newest first"


# --- writes ---------------------------------------------------------------------------------------


@given(parsers.parse('"{name}" lists the keypad code {code:d}'))
def _lists_given(kit: Driver, name: str, code: int) -> None:
    body = {"name": "Guest", "type": 13, "code": code}
    reply = kit.run(kit.api.request("PUT", f"/smartlock/{lock_id(kit, name)}/auth", body))
    assert reply.status == 204, f"could not prepare the code: {reply.status}"
    kit.run(control(kit).sync(lock_id(kit, name)))
    assert listed_code(kit, name, code) is not None


@when(parsers.parse('I create the keypad code {code} named "{label}" on "{name}"'))
def _create(kit: Driver, code: str, label: str, name: str) -> None:
    body = {"name": label, "type": 13, "code": int(code)}
    remember(kit, kit.run(kit.api.request("PUT", f"/smartlock/{lock_id(kit, name)}/auth", body)))


@when(parsers.parse('I delete the keypad code {code:d} of "{name}"'))
def _delete(kit: Driver, code: int, name: str) -> None:
    auth = listed_code(kit, name, code)
    assert auth is not None, f"{name} lists no keypad code {code}"
    remember(
        kit,
        kit.run(kit.api.request("DELETE", f"/smartlock/{lock_id(kit, name)}/auth/{auth['id']}")),
    )


@when(parsers.parse('I send POST to the authorizations of "{name}"'))
def _wrong_verb(kit: Driver, name: str) -> None:
    body = {"name": "Guest", "type": 13, "code": 345678}
    remember(kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/auth", body)))


@when(parsers.parse('I sync "{name}"'))
def _sync(kit: Driver, name: str) -> None:
    remember(kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/sync")))


@when(parsers.parse('I send unlock to "{name}"'))
def _unlock(kit: Driver, name: str) -> None:
    remember(
        kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/action/unlock"))
    )


@when(parsers.parse('I send lock to "{name}"'))
def _lock(kit: Driver, name: str) -> None:
    remember(kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/action/lock")))


@then(parsers.parse('nothing is queued for "{name}"'))
def _nothing_queued(kit: Driver, name: str) -> None:
    queue = kit.run(control(kit).device(lock_id(kit, name)))["queue"]
    assert queue == [], f"queued: {queue}"


@then(parsers.parse('"{name}" does not list the keypad code {code:d}'))
def _not_listed(kit: Driver, name: str, code: int) -> None:
    assert listed_code(kit, name, code) is None, f"{name} already lists {code}"


@then(parsers.parse('"{name}" lists the keypad code {code:d} named "{label}"'))
def _listed(kit: Driver, name: str, code: int, label: str) -> None:
    auth = listed_code(kit, name, code, label)
    assert auth is not None, f"{name} lists no keypad code {code} named {label!r}"
    assert not auth.get("error"), f"the code is listed with an error: {auth['error']}"


@then(parsers.parse('"{name}" lists the keypad code {code:d} named "{label}" with an error'))
def _listed_error(kit: Driver, name: str, code: int, label: str) -> None:
    auth = listed_code(kit, name, code, label)
    assert auth is not None and auth.get("error"), f"no failed keypad code {code} named {label!r}"


@then(parsers.parse('"{name}" reports serverState {state:d}'))
def _server_state(kit: Driver, name: str, state: int) -> None:
    reply = kit.run(kit.api.request("GET", f"/smartlock/{lock_id(kit, name)}"))
    assert reply.body["serverState"] == state, f"serverState is {reply.body['serverState']}"


# --- webhooks -----------------------------------------------------------------------------------


@given(parsers.parse("I subscribe to {first} and {second} webhooks"))
def _subscribe(kit: Driver, first: str, second: str) -> None:
    url = kit.start_receiver()
    body = {"webhookUrl": url, "webhookFeatures": [first, second]}
    reply = kit.run(kit.api.request("PUT", "/api/decentralWebhook", body))
    assert reply.status == 200, f"subscribing answered {reply.status}: {reply.body}"
    kit.scenario.webhook = reply.body


def received(kit: Driver, feature: str) -> list[dict[str, Any]]:
    kit.run(control(kit).flush_webhooks())
    bodies = [json.loads(raw) for _, raw in kit.scenario.received]
    return [b for b in bodies if b.get("feature") == feature]


def _auths_for(kit: Driver, code: int) -> list[dict[str, Any]]:
    return [
        b
        for b in received(kit, "DEVICE_AUTHS")
        if (b.get("smartlockAuth") or {}).get("code") == code
    ]


@then(parsers.parse("no DEVICE_AUTHS webhook for {code:d} has arrived"))
def _no_auths_webhook(kit: Driver, code: int) -> None:
    assert not _auths_for(kit, code), "DEVICE_AUTHS arrived before the sync"


@then(parsers.parse("a DEVICE_AUTHS webhook for {code:d} has arrived"))
def _auths_webhook(kit: Driver, code: int) -> None:
    assert _auths_for(kit, code), "no DEVICE_AUTHS webhook for the code"


@then(parsers.parse("a {feature} webhook has arrived"))
def _feature_webhook(kit: Driver, feature: str) -> None:
    assert received(kit, feature), f"no {feature} webhook arrived"


@then("every webhook carries a valid signature")
def _signed(kit: Driver) -> None:
    assert kit.scenario.webhook is not None
    secret = str(kit.scenario.webhook["secret"]).encode()
    assert kit.scenario.received, "no webhook arrived"
    for headers, raw in kit.scenario.received:
        expected = hmac.new(secret, raw, hashlib.sha256).hexdigest()
        given_signature = headers.get("X-Nuki-Signature-SHA256", "")
        assert hmac.compare_digest(expected, given_signature), "a webhook carries a wrong signature"
