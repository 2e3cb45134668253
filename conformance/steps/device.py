"""Steps that check what happens on the lock itself, not what the implementation says.

An implementation can encode a schedule wrongly and still read it back right through its own
decoding, or report a lock state from its own command. These steps look where that cannot
hide: they put the clock at exact instants (in the lock's own time zone) and type codes on
the simulated keypad, and they follow the motor through its transitional states.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pytest_bdd import given, parsers, then, when

from nuki_sim.conformance.steps.common import control, lock_id
from nuki_sim.conformance.steps.traits import (
    PIN,
    credential,
    execute,
    pin_parameters,
    weekly,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LOCKED, UNLOCKED = 1, 3  # Nuki's settled lock states
MOVING = {2: "unlocking", 4: "locking", 7: "unlatching"}  # Nuki's transitional lock states
MOTOR_WAIT = 120  # simulated seconds a motor may take to start or to stop
WHEN = re.compile(
    r"(?:(?P<weekday>[A-Za-z]+) |(?P<date>\d{4}-\d\d-\d\d) )?(?P<time>\d\d:\d\d(?::\d\d)?)"
)

if TYPE_CHECKING:  # the kit's driver and aiohttp load when a scenario runs, not at start-up
    from nuki_sim.conformance.driver import Driver


# --- where the lock is ----------------------------------------------------------------------


def device_view(kit: Driver, name: str) -> dict[str, Any]:
    """The lock's truth from the control plane: state, time zone, auths on the device."""
    return kit.run(control(kit).device(lock_id(kit, name)))


def lock_state(kit: Driver, name: str) -> int:
    return int(device_view(kit, name)["state"]["state"])


def now(kit: Driver) -> datetime:
    return _instant(kit.run(control(kit).clock())["now"])


def next_local(at: datetime, zone: ZoneInfo, when: str) -> datetime:
    """The first instant at or after ``at`` whose wall time in ``zone`` is ``when``.

    ``when``: ``HH:MM[:SS]`` (the next such time), ``Friday HH:MM[:SS]`` (the next Friday at
    that time) or ``YYYY-MM-DD HH:MM[:SS]`` (that wall time, which must not be past).
    """
    found = WHEN.fullmatch(when.strip())
    if found is None:
        raise ValueError(
            f"not a local time: {when!r} (say 07:59, Friday 00:00 or 2026-03-29 08:00)"
        )
    wall = time.fromisoformat(found["time"])
    if found["date"]:
        candidates = [date.fromisoformat(found["date"])]
    else:
        today = at.astimezone(zone).date()
        candidates = [today + timedelta(days=n) for n in range(8)]
    weekday = (found["weekday"] or "").lower()
    if weekday and weekday not in WEEKDAYS:
        raise ValueError(f"not a weekday: {found['weekday']!r}")
    for day in candidates:
        instant = datetime.combine(day, wall, zone).astimezone(at.tzinfo)
        if instant >= at and (not weekday or day.weekday() == WEEKDAYS.index(weekday)):
            return instant
    raise AssertionError(f"{when} in {zone.key} is already past (it is {at})")


# --- time at exact instants ------------------------------------------------------------------


@when(parsers.parse('the local time at "{name}" is {when}'))
def _local_time(kit: Driver, name: str, when: str) -> None:
    """Move time forward to the next instant at which the lock's own clock shows ``when``.

    The lock's IANA time zone comes from the control plane, so "Friday 00:00" is local
    midnight on the lock and "2026-03-29 08:00" is 08:00 summer time in Berlin. Webhooks that
    fell due on the way are delivered.
    """
    zone = ZoneInfo(str(device_view(kit, name)["timezone"]))
    kit.pass_time_until(next_local(now(kit), zone, when))


@when(parsers.re(r"the time is (?P<instant>\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z)"))
def _utc_time(kit: Driver, instant: str) -> None:
    """Move time forward to a UTC instant (the edges of a date window are UTC)."""
    kit.pass_time_until(_instant(instant))


# --- schedules ----------------------------------------------------------------------------------


@when(
    parsers.re(
        r'I create a PIN code "(?P<pin>[^"]*)" named "(?P<label>[^"]*)" on "(?P<name>[^"]+)" '
        r'every "(?P<days>[A-Z,]+)" from (?P<at>\d\d:\d\d) for (?P<minutes>\d+) minutes'
    )
)
def _create_weekly(
    kit: Driver, pin: str, label: str, name: str, days: str, at: str, minutes: str
) -> None:
    """Create a credential with one weekly recurring schedule (hours in the lock's local time)."""
    parameters = pin_parameters(pin, label, recurring=[weekly(days, at, int(minutes))])
    execute(kit, name, PIN, "createPinCodeCredential", parameters)


@when(
    parsers.re(
        r'I create a PIN code "(?P<pin>[^"]*)" named "(?P<label>[^"]*)" on "(?P<name>[^"]+)" '
        r"valid from (?P<start>\S+Z) to (?P<end>\S+Z)"
    )
)
def _create_dated(kit: Driver, pin: str, label: str, name: str, start: str, end: str) -> None:
    """Create a credential with one temporary schedule (UTC instants) and no weekly window."""
    window = {"startDatetime": start, "endDatetime": end}
    execute(
        kit, name, PIN, "createPinCodeCredential", pin_parameters(pin, label, temporary=[window])
    )


@when(parsers.parse('I rename the PIN code "{pin}" on "{name}" to "{label}"'))
def _rename(kit: Driver, pin: str, name: str, label: str) -> None:
    """Update a credential with everything it reports, schedules included, but a new name.

    The trait update carries the whole credential; whatever the implementation sends to
    Nuki, the schedule must still hold on the lock afterwards.
    """
    known = {k: v for k, v in credential(kit, name, pin).items() if k != "name"}
    execute(
        kit, name, PIN, "updatePinCodeCredential", {"pinCodeCredential": {**known, "name": label}}
    )


@then(parsers.parse('the PIN code "{pin}" is refused by the schedule of "{name}"'))
def _refused_by_schedule(kit: Driver, pin: str, name: str) -> None:
    """The code is on the lock and the motor is idle, yet the keypad refuses it.

    Both conditions are checked first, so the refusal can only come from the code's schedule
    (not from a code that never arrived, nor from a motor still busy with the last opening).
    """
    view = device_view(kit, name)
    held = [str(a.get("code")) for a in view["auths"]]
    assert pin in held, f"{name} does not hold {pin} at all (it holds {held})"
    state = int(view["state"]["state"])
    assert state not in MOVING, f"the motor of {name} is still {MOVING[state]}"
    result = kit.run(control(kit).keypad(lock_id(kit, name), pin))
    assert not result["granted"], f"the keypad of {name} opened for {pin} at {now(kit)}"


# --- the motor ----------------------------------------------------------------------------------


@given(parsers.parse('"{name}" is locked'))
def _locked(kit: Driver, name: str) -> None:
    """Make sure the lock is locked (a new lock is) before the implementation acts on it."""
    if lock_state(kit, name) != LOCKED:
        answer = kit.run(kit.api.request("POST", f"/smartlock/{lock_id(kit, name)}/action/lock"))
        assert answer.status == 204, f"could not lock {name}: {answer.status} {answer.body}"
        kit.pass_time(timedelta(minutes=1))
    assert lock_state(kit, name) == LOCKED, f"{name} did not lock"


@when(parsers.parse('the motor of "{name}" starts moving'))
def _motor_starts(kit: Driver, name: str) -> None:
    """Let time pass second by second until the lock is in a transitional state.

    Nuki reports ``unlocking``/``locking`` while the motor runs; an implementation must not
    take that for the end state.
    """
    for _ in range(MOTOR_WAIT):
        if lock_state(kit, name) in MOVING:
            return
        kit.pass_time(timedelta(seconds=1))
    raise AssertionError(f"the motor of {name} did not start within {MOTOR_WAIT} seconds")


@when(parsers.parse('the motor of "{name}" stops'))
def _motor_stops(kit: Driver, name: str) -> None:
    """The motor is running now; let time pass second by second until it has stopped."""
    assert lock_state(kit, name) in MOVING, f"the motor of {name} is not running"
    for _ in range(MOTOR_WAIT):
        if lock_state(kit, name) not in MOVING:
            return
        kit.pass_time(timedelta(seconds=1))
    raise AssertionError(f"the motor of {name} still runs after {MOTOR_WAIT} seconds")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
