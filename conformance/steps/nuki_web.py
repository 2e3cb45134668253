"""Steps of the API-level suite: raw Nuki Web requests and what they answer."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from pytest_bdd import given, parsers, then, when

from nuki_sim.conformance.steps.common import control, lock_id

if TYPE_CHECKING:  # the kit's driver and aiohttp load when a scenario runs, not at start-up
    from nuki_sim.conformance.control import Answer
    from nuki_sim.conformance.driver import Driver

RESTLET_422_KEYS = {"code", "description", "homeRef", "reasonPhrase", "uri"}
DROPPED = 0  # the status remembered when the connection dropped before any answer
TIME_FIELDS = ("allowedFromDate", "allowedUntilDate", "allowedFromTime", "allowedUntilTime")


def answer(kit: Driver) -> Answer:
    from nuki_sim.conformance.control import Answer

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
    """GET /smartlock with the scenario's token; the answer is kept for the Then steps."""
    remember(kit, kit.run(kit.api.request("GET", "/smartlock")))


@when(parsers.parse('I list the smart locks with the token "{token}"'))
def _list_locks_token(kit: Driver, token: str) -> None:
    """GET /smartlock with the given token instead of the scenario's."""
    remember(kit, kit.run(kit.api.request("GET", "/smartlock", token=token)))


@when("I list the authorizations of every smart lock")
def _list_all_auths(kit: Driver) -> None:
    """GET /smartlock/{id}/auth for every listed lock; every answer is kept."""
    locks = kit.run(kit.api.request("GET", "/smartlock")).body or []
    for lock in locks:
        remember(kit, kit.run(kit.api.request("GET", f"/smartlock/{lock['smartlockId']}/auth")))


@when(parsers.parse("I read the activity log of every smart lock with limit {limit:d}"))
def _read_logs(kit: Driver, limit: int) -> None:
    """GET /smartlock/{id}/log?limit=N for every listed lock; every answer is kept."""
    locks = kit.run(kit.api.request("GET", "/smartlock")).body or []
    for lock in locks:
        path = f"/smartlock/{lock['smartlockId']}/log"
        remember(kit, kit.run(kit.api.request("GET", path, params={"limit": str(limit)})))


@then(parsers.parse("the answer is {status:d}"))
def _status(kit: Driver, status: int) -> None:
    """Asserts the last answer's HTTP status."""
    reply = answer(kit)
    assert reply.status == status, f"answered {reply.status}, expected {status}: {reply.body}"


@then(parsers.parse("every answer is {status:d}"))
def _every_status(kit: Driver, status: int) -> None:
    """Asserts every answer of the scenario so far had this HTTP status (and there was one)."""
    statuses = [a.status for a in kit.scenario.answers]
    assert statuses and all(s == status for s in statuses), f"answers: {statuses}"


@then(parsers.parse('the answer has detailMessage "{message}"'))
def _detail(kit: Driver, message: str) -> None:
    """Asserts the last answer's body has this detailMessage (Nuki's 4xx body)."""
    body = answer(kit).body
    assert isinstance(body, dict) and body.get("detailMessage") == message, f"body: {body}"


@then("the answer is Nuki's Restlet body for 422")
def _restlet(kit: Driver) -> None:
    """Asserts the last answer is Nuki's Restlet 422 body (code, description, homeRef, reasonPhrase,
    uri)."""
    body = answer(kit).body
    assert isinstance(body, dict) and set(body) >= RESTLET_422_KEYS and body["code"] == 422, body


@then(
    "every smart lock has smartlockId, accountId, type, authId, name, favorite, serverState and state"
)
def _lock_shape(kit: Driver) -> None:
    """Asserts every smart lock of the last answer has the fields Nuki documents."""
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
    """Asserts every keypad code listed (without an error) has six digits and a name of at most 20
    characters."""
    for reply in kit.scenario.answers:
        for auth in reply.body or []:
            if auth.get("type") == 13 and not auth.get("error"):
                code = str(auth.get("code"))
                assert len(code) == 6 and code.isdigit(), f"keypad code {auth.get('id')}: {code}"
                assert len(auth.get("name", "")) <= 20, f"keypad code name {auth.get('name')!r}"


@then("every log is newest first with at most 50 entries")
def _log_shape(kit: Driver) -> None:
    """Asserts every log answer is newest first and at most 50 entries long."""
    for reply in kit.scenario.answers:
        dates = [entry["date"] for entry in reply.body]
        assert len(dates) <= 50, f"{len(dates)} entries"
        assert dates == sorted(dates, reverse=True), "the log is not newest first"


# --- writes ---------------------------------------------------------------------------------------


@given(parsers.parse('"{name}" lists the keypad code {code:d}'))
def _lists_given(kit: Driver, name: str, code: int) -> None:
    """Create the keypad code through Nuki Web and sync it; asserts it is then listed."""
    body = {"name": "Guest", "type": 13, "code": code}
    reply = kit.run(kit.api.request("PUT", f"/smartlock/{lock_id(kit, name)}/auth", body))
    assert reply.status == 204, f"could not prepare the code: {reply.status}"
    kit.run(control(kit).sync(lock_id(kit, name)))
    assert listed_code(kit, name, code) is not None


@when(parsers.parse('I create the keypad code {code} named "{label}" on "{name}"'))
def _create(kit: Driver, code: str, label: str, name: str) -> None:
    """PUT /smartlock/{id}/auth with a keypad code (type 13); the answer is kept."""
    from nuki_sim.conformance.control import Answer, NoAnswer

    body = {"name": label, "type": 13, "code": int(code)}
    path = f"/smartlock/{lock_id(kit, name)}/auth"
    try:  # sent once, never resent; a lost answer is remembered as status 0 (DROPPED)
        remember(kit, kit.run(kit.api.request("PUT", path, body)))
    except NoAnswer as exc:
        remember(kit, Answer(DROPPED, str(exc), {}))


@when(parsers.parse('I delete the keypad code {code:d} of "{name}"'))
def _delete(kit: Driver, code: int, name: str) -> None:
    """DELETE the listed keypad code; asserts it is listed first; the answer is kept."""
    auth = listed_code(kit, name, code)
    assert auth is not None, f"{name} lists no keypad code {code}"
    remember(
        kit,
        kit.run(kit.api.request("DELETE", f"/smartlock/{lock_id(kit, name)}/auth/{auth['id']}")),
    )


@when(parsers.parse('I send POST to the authorizations of "{name}"'))
def _wrong_verb(kit: Driver, name: str) -> None:
    """POST (not PUT) a keypad code to /smartlock/{id}/auth; the answer is kept."""
    body = {"name": "Guest", "type": 13, "code": 345678}
    remember(kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/auth", body)))


@when(parsers.parse('I sync "{name}"'))
def _sync(kit: Driver, name: str) -> None:
    """POST /smartlock/{id}/sync; the answer is kept."""
    remember(kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/sync")))


@when(parsers.parse('I send unlock to "{name}"'))
def _unlock(kit: Driver, name: str) -> None:
    """POST /smartlock/{id}/action/unlock; the answer is kept."""
    remember(
        kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/action/unlock"))
    )


@when(parsers.parse('I send lock to "{name}"'))
def _lock(kit: Driver, name: str) -> None:
    """POST /smartlock/{id}/action/lock; the answer is kept."""
    remember(kit, kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/action/lock")))


@then(parsers.parse('nothing is queued for "{name}"'))
def _nothing_queued(kit: Driver, name: str) -> None:
    """Asserts the lock's command queue is empty (the device view of the control plane)."""
    queue = kit.run(control(kit).device(lock_id(kit, name)))["queue"]
    assert queue == [], f"queued: {queue}"


@then(parsers.parse('"{name}" does not list the keypad code {code:d}'))
def _not_listed(kit: Driver, name: str, code: int) -> None:
    """Asserts GET /smartlock/{id}/auth does not list the keypad code."""
    assert listed_code(kit, name, code) is None, f"{name} already lists {code}"


@then(parsers.parse('"{name}" lists the keypad code {code:d} named "{label}"'))
def _listed(kit: Driver, name: str, code: int, label: str) -> None:
    """Asserts GET /smartlock/{id}/auth lists the keypad code with this name, without an error."""
    auth = listed_code(kit, name, code, label)
    assert auth is not None, f"{name} lists no keypad code {code} named {label!r}"
    assert not auth.get("error"), f"the code is listed with an error: {auth['error']}"


@then(parsers.parse('"{name}" lists the keypad code {code:d} named "{label}" with an error'))
def _listed_error(kit: Driver, name: str, code: int, label: str) -> None:
    """Asserts GET /smartlock/{id}/auth lists the keypad code with this name and an error."""
    auth = listed_code(kit, name, code, label)
    assert auth is not None and auth.get("error"), f"no failed keypad code {code} named {label!r}"


@then(parsers.parse('"{name}" reports serverState {state:d}'))
def _server_state(kit: Driver, name: str, state: int) -> None:
    """Asserts GET /smartlock/{id} shows this serverState (0 online, 4 offline)."""
    reply = kit.run(kit.api.request("GET", f"/smartlock/{lock_id(kit, name)}"))
    assert reply.body["serverState"] == state, f"serverState is {reply.body['serverState']}"


# --- updates and lost answers ---------------------------------------------------------------------


@given(parsers.parse('"{name}" lists the keypad code {code:d} valid from "{start}" to "{end}"'))
def _lists_window_given(kit: Driver, name: str, code: int, start: str, end: str) -> None:
    """Create the code named "Guest" with a date window through Nuki Web and sync, so it is
    listed; asserts the listing shows the window."""
    body = {"name": "Guest", "type": 13, "code": code}
    body |= {"allowedFromDate": start, "allowedUntilDate": end}
    reply = kit.run(kit.api.request("PUT", f"/smartlock/{lock_id(kit, name)}/auth", body))
    assert reply.status == 204, f"could not prepare the code: {reply.status} {reply.body}"
    kit.run(control(kit).sync(lock_id(kit, name)))
    auth = listed_code(kit, name, code)
    assert auth is not None and auth.get("allowedUntilDate"), f"not listed with a window: {auth}"


def _update(kit: Driver, name: str, code: int, body: dict[str, Any]) -> None:
    auth = listed_code(kit, name, code)
    assert auth is not None, f"{name} lists no keypad code {code}"
    path = f"/smartlock/{lock_id(kit, name)}/auth/{auth['id']}"
    remember(kit, kit.run(kit.api.request("POST", path, body)))


@when(parsers.parse('I change the keypad code {code:d} of "{name}" to {new_code}'))
def _change_code(kit: Driver, code: int, name: str, new_code: str) -> None:
    """POST /smartlock/{id}/auth/{authId} with the listed name and ``new_code`` (a number when
    it is all digits, else the text as given); the answer is kept."""
    auth = listed_code(kit, name, code)
    label = auth.get("name") if auth else "Guest"
    new: int | str = int(new_code) if new_code.isdigit() else new_code
    _update(kit, name, code, {"name": label, "code": new})


@when(parsers.parse('I rename the keypad code {code:d} of "{name}" to "{label}"'))
def _rename(kit: Driver, code: int, name: str, label: str) -> None:
    """POST /smartlock/{id}/auth/{authId} with only ``{name, code}``, no time fields (the body
    of the real report that such an update clears a code's time window); the answer is kept."""
    _update(kit, name, code, {"name": label, "code": code})


@then(
    parsers.parse('"{name}" lists the keypad code {code:d} named "{label}" without a time window')
)
def _listed_no_window(kit: Driver, name: str, code: int, label: str) -> None:
    """Asserts the listed code has this name and neither a date window nor a daily window."""
    auth = listed_code(kit, name, code, label)
    assert auth is not None, f"{name} lists no keypad code {code} named {label!r}"
    kept = {f: auth[f] for f in TIME_FIELDS if auth.get(f)}
    assert not kept, f"the code kept its time restrictions: {kept}"


@then("no answer came")
def _no_answer(kit: Driver) -> None:
    """Asserts the last request's connection dropped before any answer arrived."""
    reply = answer(kit)
    assert reply.status == DROPPED, f"an answer came: {reply.status} {reply.body}"


# --- webhooks -----------------------------------------------------------------------------------


@given(parsers.parse("I subscribe to {first} and {second} webhooks"))
def _subscribe(kit: Driver, first: str, second: str) -> None:
    """Start a receiver on 127.0.0.1 and subscribe it to two webhook features; asserts 200."""
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
    """Deliver pending webhooks; asserts none was DEVICE_AUTHS for this code."""
    assert not _auths_for(kit, code), "DEVICE_AUTHS arrived before the sync"


@then(parsers.parse("a DEVICE_AUTHS webhook for {code:d} has arrived"))
def _auths_webhook(kit: Driver, code: int) -> None:
    """Deliver pending webhooks; asserts a DEVICE_AUTHS for this code arrived."""
    assert _auths_for(kit, code), "no DEVICE_AUTHS webhook for the code"


@then(parsers.parse("a {feature} webhook has arrived"))
def _feature_webhook(kit: Driver, feature: str) -> None:
    """Deliver pending webhooks; asserts one of this feature arrived."""
    assert received(kit, feature), f"no {feature} webhook arrived"


@then("every webhook carries a valid signature")
def _signed(kit: Driver) -> None:
    """Asserts a webhook arrived and every one's X-Nuki-Signature-SHA256 is the HMAC of its body
    with the secret."""
    assert kit.scenario.webhook is not None
    secret = str(kit.scenario.webhook["secret"]).encode()
    assert kit.scenario.received, "no webhook arrived"
    for headers, raw in kit.scenario.received:
        expected = hmac.new(secret, raw, hashlib.sha256).hexdigest()
        given_signature = headers.get("X-Nuki-Signature-SHA256", "")
        assert hmac.compare_digest(expected, given_signature), "a webhook carries a wrong signature"
