"""Steps of the trait suite: actions, their outcomes and the reported state."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from pytest_bdd import given, parsers, then, when

from nuki_sim.conformance.steps.common import control, lock_id

if TYPE_CHECKING:  # the kit's driver and aiohttp load when a scenario runs, not at start-up
    from nuki_sim.conformance.driver import Driver

PIN = "BetaPinCodeCredentials"
LOCK = "Lock"
WRITE_METHODS = ("PUT", "POST", "DELETE")


# --- looking things up -----------------------------------------------------------------


def device(kit: Driver, name: str) -> dict[str, Any]:
    wanted = str(lock_id(kit, name))
    for found in kit.run(kit.trait_target().devices()):
        if str(found["id"]) == wanted:
            return found
    raise AssertionError(f"the implementation lists no device for {name} ({wanted})")


def trait(kit: Driver, name: str, trait_name: str) -> dict[str, Any]:
    traits: list[dict[str, Any]] = device(kit, name)["traits"]
    for found in traits:
        if found["name"] == trait_name:
            return found
    raise AssertionError(f"{name} has no trait {trait_name}")


def reported(kit: Driver, name: str, trait_name: str, field: str) -> Any:
    state = trait(kit, name, trait_name)["state"].get(field) or {}
    return (state.get("reported") or {}).get("value")


def credentials(kit: Driver, name: str) -> list[dict[str, Any]]:
    return list(reported(kit, name, PIN, "pinCodeCredentials") or [])


def credential(kit: Driver, name: str, pin: str) -> dict[str, Any]:
    for found in credentials(kit, name):
        if found["pinCode"] == pin:
            return found
    raise AssertionError(
        f"{name} reports no PIN code {pin}: {[c['pinCode'] for c in credentials(kit, name)]}"
    )


def current_action(kit: Driver) -> dict[str, Any]:
    assert kit.scenario.action is not None, "no action was started in this scenario"
    return kit.run(kit.trait_target().action(kit.scenario.action["id"]))


def execute(
    kit: Driver, name: str, trait_name: str, action: str, parameters: dict[str, Any]
) -> None:
    target = kit.trait_target()
    if kit.has_control:
        kit.scenario.journal_mark = kit.run(control(kit).journal_position())
    done = kit.run(target.execute(str(lock_id(kit, name)), trait_name, action, parameters))
    kit.scenario.action = done
    kit.scenario.actions.append(done)


def pin_parameters(pin: str, name: str, **schedules: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"pinCode": pin, "name": name, "alwaysActive": not schedules}
    body["temporarySchedules"] = schedules.get("temporary", [])
    body["recurringSchedules"] = schedules.get("recurring", [])
    return {"pinCodeCredential": body}


def weekly(days: str, start: str, minutes: int) -> dict[str, Any]:
    hour, minute = (int(part) for part in start.split(":"))
    return {
        "rrule": f"RRULE:FREQ=WEEKLY;BYDAY={days};BYHOUR={hour};BYMINUTE={minute}",
        "duration": minutes,
    }


# --- givens -------------------------------------------------------------------------------


@given("the integration under test is running")
def _running(kit: Driver) -> None:
    """Start the implementation now, so what happens next reaches it as it would in life."""
    kit.trait_target()


@given(parsers.parse('"{name}" holds a PIN code "{pin}" named "{label}"'))
def _holds_one(kit: Driver, name: str, pin: str, label: str) -> None:
    """Create the code through Nuki Web and sync the lock, so the lock and Nuki's list both hold it.

    The features' Background starts the implementation first: it learns the code from the
    sync's DEVICE_AUTHS webhook (flushed here); one started later reads it when it loads.
    Asserts that Nuki Web accepted the code (204).
    """
    api, lock = kit.api, lock_id(kit, name)
    answer = kit.run(
        api.request("PUT", f"/smartlock/{lock}/auth", {"name": label, "type": 13, "code": int(pin)})
    )
    assert answer.status == 204, f"could not prepare the code: {answer.status} {answer.body}"
    kit.run(control(kit).sync(lock))
    kit.run(control(kit).flush_webhooks())  # the implementation learns it as it would in life


@given(parsers.parse('"{name}" holds {count:d} PIN codes'))
def _holds_many(kit: Driver, name: str, count: int) -> None:
    """Create ``count`` valid codes through Nuki Web and sync them, to fill the lock; asserts each
    was accepted (204)."""
    api, lock = kit.api, lock_id(kit, name)
    codes = (c for c in range(111111, 999999) if "0" not in str(c) and not str(c).startswith("12"))
    for index, code in zip(range(count), codes, strict=False):
        body = {"name": f"Code {index + 1}", "type": 13, "code": code}
        answer = kit.run(api.request("PUT", f"/smartlock/{lock}/auth", body))
        assert answer.status == 204, f"could not prepare code {code}: {answer.status} {answer.body}"
    kit.run(control(kit).sync(lock))
    kit.run(control(kit).flush_webhooks())  # the implementation learns it as it would in life


@given(parsers.parse('someone else queued the PIN code "{pin}" on "{name}" through Nuki Web'))
@given(parsers.parse('someone else created the PIN code "{pin}" on "{name}" through Nuki Web'))
def _queued_elsewhere(kit: Driver, pin: str, name: str) -> None:
    """Queue a code through Nuki Web directly, as another app would, so the lock will hold it first;
    asserts 204."""
    body = {"name": "Someone else", "type": 13, "code": int(pin)}
    answer = kit.run(kit.api.request("PUT", f"/smartlock/{lock_id(kit, name)}/auth", body))
    assert answer.status == 204


@given(parsers.parse('"{name}" is unlocked'))
def _unlocked(kit: Driver, name: str) -> None:
    """Unlock the lock through Nuki Web and let a minute pass; asserts the command was accepted
    (204)."""
    answer = kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/action/unlock"))
    assert answer.status == 204
    kit.pass_time(timedelta(minutes=1))


# --- actions --------------------------------------------------------------------------------


@when(parsers.parse('I create a PIN code "{pin}" named "{label}" on "{name}"'))
def _create(kit: Driver, pin: str, label: str, name: str) -> None:
    """Ask the implementation to create an always-active PIN code (createPinCodeCredential)."""
    execute(kit, name, PIN, "createPinCodeCredential", pin_parameters(pin, label))


@when(
    parsers.parse(
        'I create a PIN code "{pin}" named "{label}" on "{name}" valid from "{start}" to "{end}" '
        'and every "{days}" from {at} for {minutes:d} minutes'
    )
)
def _create_scheduled(
    kit: Driver,
    pin: str,
    label: str,
    name: str,
    start: str,
    end: str,
    days: str,
    at: str,
    minutes: int,
) -> None:
    """Ask the implementation to create a PIN code with one temporary and one weekly recurring
    schedule."""
    parameters = pin_parameters(
        pin, label,
        temporary=[{"startDatetime": start, "endDatetime": end}],
        recurring=[weekly(days, at, minutes)],
    )  # fmt: skip
    execute(kit, name, PIN, "createPinCodeCredential", parameters)


@when(
    parsers.parse(
        'I create a PIN code "{pin}" named "{label}" on "{name}" with {count:d} temporary schedules'
    )
)
def _create_temporaries(kit: Driver, pin: str, label: str, name: str, count: int) -> None:
    """Ask the implementation to create a PIN code with ``count`` temporary schedules (Nuki holds
    one)."""
    windows = [
        {
            "startDatetime": f"2026-02-0{i + 1}T08:00:00Z",
            "endDatetime": f"2026-02-0{i + 1}T18:00:00Z",
        }
        for i in range(count)
    ]
    execute(
        kit, name, PIN, "createPinCodeCredential", pin_parameters(pin, label, temporary=windows)
    )


@when(
    parsers.parse(
        'I create a PIN code "{pin}" named "{label}" on "{name}" with {count:d} recurring schedules'
    )
)
def _create_recurrings(kit: Driver, pin: str, label: str, name: str, count: int) -> None:
    """Ask the implementation to create a PIN code with ``count`` weekly recurring schedules (Nuki
    holds one)."""
    rules = [weekly(day, "08:00", 60) for day in ("MO", "TU", "WE", "TH")[:count]]
    execute(kit, name, PIN, "createPinCodeCredential", pin_parameters(pin, label, recurring=rules))


@when(
    parsers.parse(
        'I create a PIN code "{pin}" named "{label}" on "{name}" recurring "{rrule}" for {minutes:d} minutes'
    )
)
def _create_rrule(kit: Driver, pin: str, label: str, name: str, rrule: str, minutes: int) -> None:
    """Ask the implementation to create a PIN code with one recurring schedule given as an RRULE."""
    parameters = pin_parameters(pin, label, recurring=[{"rrule": rrule, "duration": minutes}])
    execute(kit, name, PIN, "createPinCodeCredential", parameters)


@when(parsers.parse('I change the PIN code "{pin}" on "{name}" to "{new_pin}" named "{label}"'))
def _update(kit: Driver, pin: str, name: str, new_pin: str, label: str) -> None:
    """Ask the implementation to change a reported PIN code's code and name
    (updatePinCodeCredential); asserts the code is reported."""
    known = credential(kit, name, pin)
    parameters = pin_parameters(new_pin, label)
    parameters["pinCodeCredential"]["id"] = known["id"]
    execute(kit, name, PIN, "updatePinCodeCredential", parameters)


@when(parsers.parse('I delete the PIN code "{pin}" on "{name}"'))
def _delete(kit: Driver, pin: str, name: str) -> None:
    """Ask the implementation to delete a reported PIN code (deletePinCodeCredential); asserts the
    code is reported."""
    known = credential(kit, name, pin)
    execute(kit, name, PIN, "deletePinCodeCredential", {"id": known["id"]})


@when(parsers.parse('I lock "{name}"'))
def _lock(kit: Driver, name: str) -> None:
    """Ask the implementation to lock (Lock.setLocked with lock true)."""
    execute(kit, name, LOCK, "setLocked", {"lock": True})


@when(parsers.parse('I unlock "{name}"'))
def _unlock(kit: Driver, name: str) -> None:
    """Ask the implementation to unlock (Lock.setLocked with lock false)."""
    execute(kit, name, LOCK, "setLocked", {"lock": False})


# --- outcomes ---------------------------------------------------------------------------------


def _status(kit: Driver, expected: str) -> dict[str, Any]:
    action = current_action(kit)
    assert action["status"] == expected, (
        f"the action is {action['status']}, expected {expected}"
        + (f" (error: {action.get('error')})" if action.get("error") else "")
    )
    return action


@then("the action is pending")
def _pending(kit: Driver) -> None:
    """Asserts the last action's status is PENDING."""
    _status(kit, "PENDING")


@then("the action is resolved")
def _resolved(kit: Driver) -> None:
    """Asserts the last action's status is RESOLVED."""
    _status(kit, "RESOLVED")


@then("the action is rejected")
def _rejected(kit: Driver) -> None:
    """Asserts the last action's status is REJECTED (with any error)."""
    _status(kit, "REJECTED")


@then("the action is rejected as invalid")
def _rejected_invalid(kit: Driver) -> None:
    """Asserts the last action is REJECTED with a ValidationError or ParseError."""
    action = _status(kit, "REJECTED")
    code = (action.get("error") or {}).get("code")
    assert code in ("ValidationError", "ParseError"), (
        f"rejected with {code}, expected a validation error"
    )


@then("the action failed")
def _failed(kit: Driver) -> None:
    """Asserts the last action's status is FAILED."""
    _status(kit, "FAILED")


@then("the action timed out")
def _timed_out(kit: Driver) -> None:
    """Asserts the action's status is TIMEOUT; a PENDING one most likely means the adapter
    measures its timeout on the wall clock instead of ``AdapterContext.clock``."""
    status = current_action(kit)["status"]
    hint = (
        " — the likely cause: the adapter ignores the clock it was given (AdapterContext.clock);"
        " in virtual time only that clock moves, so measure the action timeout on it"
        if status == "PENDING"
        else ""
    )
    assert status == "TIMEOUT", f"the action is {status}, expected TIMEOUT{hint}"


@then(parsers.parse('nothing was sent to "{name}"'))
def _nothing_sent(kit: Driver, name: str) -> None:
    """Asserts the implementation sent no PUT, POST or DELETE for the lock to Nuki Web since the
    last action started."""
    since = str(kit.scenario.journal_mark)
    sent = [
        e
        for e in kit.run(
            control(kit).requests(since=since, path=f"/smartlock/{lock_id(kit, name)}*")
        )
        if e["method"] in WRITE_METHODS
    ]
    assert not sent, f"the implementation sent {[(e['method'], e['path']) for e in sent]}"


# --- events --------------------------------------------------------------------------------


def action_events(kit: Driver) -> list[dict[str, Any]]:
    action = current_action(kit)
    return [
        e
        for e in kit.run(kit.trait_target().events())
        if e["content"].get("actionId") == action["id"]
    ]


@then("an action-queued event was sent for the action")
def _queued_event(kit: Driver) -> None:
    """Asserts a deviceEventQueueAction event carries the last action's id."""
    kinds = [e["type"] for e in action_events(kit)]
    assert "deviceEventQueueAction" in kinds, f"events for the action: {kinds}"


@then(parsers.parse('a state event for {field} of "{name}" was sent for the action'))
def _state_event(kit: Driver, field: str, name: str) -> None:
    """Asserts a deviceEventSetState event for ``field`` carries the last action's id."""
    events = [
        e for e in action_events(kit)
        if e["type"] == "deviceEventSetState" and e["content"].get("fieldName") == field
    ]  # fmt: skip
    assert events, f"no state event for {field} carries the action id"


@then("the events for the action came in the order queued, state set, resolved")
def _event_order(kit: Driver) -> None:
    """Asserts the last action's events are exactly: queued, state set, then resolved."""
    kinds = []
    for event in action_events(kit):
        if event["type"] == "deviceEventUpdateAction":
            kinds.append(str(event["content"].get("status")).lower())
        else:
            kinds.append(
                {"deviceEventQueueAction": "queued", "deviceEventSetState": "state set"}[
                    event["type"]
                ]
            )
    assert kinds == ["queued", "state set", "resolved"], f"the action's events: {kinds}"


# --- reported state ------------------------------------------------------------------------------


@then(
    parsers.parse(
        '"{name}" is a device with the traits Lock, BatteryLevel, BetaPinCodeCredentials and BetaConnectivity'
    )
)
def _four_traits(kit: Driver, name: str) -> None:
    """Asserts the device has (at least) the traits Lock, BatteryLevel, BetaPinCodeCredentials and
    BetaConnectivity."""
    names = {t["name"] for t in device(kit, name)["traits"]}
    assert names >= {"Lock", "BatteryLevel", PIN, "BetaConnectivity"}, f"traits: {sorted(names)}"


@then(parsers.parse('the BetaPinCodeCredentials property {prop} of "{name}" is {value}'))
def _property(kit: Driver, prop: str, name: str, value: str) -> None:
    """Asserts a BetaPinCodeCredentials property: a number, true/false, or a range written ``low to
    high``."""
    shown = trait(kit, name, PIN)["properties"].get(prop)
    if " to " in value:
        low, high = (int(v) for v in value.split(" to "))
        assert shown == {"min": low, "max": high}, f"{prop} is {shown}"
    elif value in ("true", "false"):
        assert shown is (value == "true"), f"{prop} is {shown}"
    else:
        assert shown == int(value), f"{prop} is {shown}"


@then(parsers.parse('"{name}" reports isLocked {value}'))
def _is_locked(kit: Driver, name: str, value: str) -> None:
    """Asserts the reported Lock.isLocked is ``value`` (true or false)."""
    shown = reported(kit, name, LOCK, "isLocked")
    assert shown is (value == "true"), f"isLocked is {shown}"


@then(parsers.parse('"{name}" reports isJammed {value}'))
def _is_jammed(kit: Driver, name: str, value: str) -> None:
    """Asserts the reported Lock.isJammed is ``value`` (true or false)."""
    shown = reported(kit, name, LOCK, "isJammed")
    assert shown is (value == "true"), f"isJammed is {shown}"


@then(parsers.parse('"{name}" reports battery {charge:d} percent with status {status}'))
def _battery_reported(kit: Driver, name: str, charge: int, status: str) -> None:
    """Asserts the reported BatteryLevel percentage and status (e.g. NORMAL, LOW, CRITICAL)."""
    shown = (
        reported(kit, name, "BatteryLevel", "percentage"),
        reported(kit, name, "BatteryLevel", "status"),
    )
    assert shown == (charge, status), f"battery is {shown}"


@then(parsers.parse('"{name}" reports connectivity {status}'))
def _connectivity(kit: Driver, name: str, status: str) -> None:
    """Asserts BetaConnectivity reports ``status`` (e.g. ONLINE, OFFLINE)."""
    connectivity = trait(kit, name, "BetaConnectivity")["state"]
    values = [(s.get("reported") or {}).get("value") for s in connectivity.values()]
    assert status in values, f"connectivity is {values}"


@then(parsers.parse('"{name}" reports no PIN code "{pin}"'))
def _no_pin(kit: Driver, name: str, pin: str) -> None:
    """Asserts the reported pinCodeCredentials hold no credential with this code."""
    pins = [c["pinCode"] for c in credentials(kit, name)]
    assert pin not in pins, f"{name} already reports {pin}"


@then(parsers.parse('"{name}" reports the PIN code "{pin}" named "{label}"'))
def _pin_named(kit: Driver, name: str, pin: str, label: str) -> None:
    """Asserts the reported pinCodeCredentials hold this code with this name."""
    found = credential(kit, name, pin)
    assert found["name"] == label, f"the code is named {found['name']!r}"


@then(
    parsers.parse(
        '"{name}" reports the PIN code "{pin}" with a temporary schedule from "{start}" to "{end}"'
    )
)
def _pin_temporary(kit: Driver, name: str, pin: str, start: str, end: str) -> None:
    """Asserts the reported code has exactly one temporary schedule, with these instants."""
    windows = credential(kit, name, pin)["temporarySchedules"]
    assert len(windows) == 1, f"temporary schedules: {windows}"
    shown = (_norm(windows[0]["startDatetime"]), _norm(windows[0]["endDatetime"]))
    assert shown == (_norm(start), _norm(end)), f"temporary schedule is {shown}"


@then(
    parsers.parse(
        '"{name}" reports the PIN code "{pin}" recurring every "{days}" from {at} for {minutes:d} minutes'
    )
)
def _pin_recurring(kit: Driver, name: str, pin: str, days: str, at: str, minutes: int) -> None:
    """Asserts the reported code has exactly one recurring schedule: these weekdays, start time and
    duration."""
    rules = credential(kit, name, pin)["recurringSchedules"]
    assert len(rules) == 1, f"recurring schedules: {rules}"
    rule = rules[0]
    parts = dict(p.split("=", 1) for p in rule["rrule"].removeprefix("RRULE:").split(";"))
    hour, minute = (int(x) for x in at.split(":"))
    assert set(parts.get("BYDAY", "").split(",")) == set(days.split(",")), (
        f"rrule is {rule['rrule']}"
    )
    assert (int(parts.get("BYHOUR", 0)), int(parts.get("BYMINUTE", 0))) == (hour, minute), rule[
        "rrule"
    ]
    assert rule["duration"] == minutes, f"duration is {rule['duration']}"


def _norm(text: str) -> str:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
