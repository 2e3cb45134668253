"""The pure Nuki ⇄ trait mapping and the pre-HTTP credential rules, without any HTTP."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nuki_sim.adapters.nuki import mapping, rules
from nuki_sim.adapters.nuki.mapping import Unexpressible, WeeklyWindow
from nuki_sim.adapters.traits import (
    BatteryStatus,
    Connectivity,
    PinCodeCredential,
    RecurringSchedule,
    TemporarySchedule,
)

LOCKED, UNLOCKING, UNLOCKED, LOCKING, UNLATCHED, LOCK_N_GO, UNLATCHING = 1, 2, 3, 4, 5, 6, 7
UNCALIBRATED, BOOT_RUN, MOTOR_BLOCKED, UNDEFINED = 0, 253, 254, 255
ONLINE, OFFLINE_STATE = 0, 4
MONDAY, SATURDAY, SUNDAY = 64, 2, 1
WORKDAYS = 64 + 32 + 16 + 8 + 4
WEEKDAY_NAMES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WHOLE_DAY = 1440
LAST_MINUTE = 1439
AUTH_ID = "65a0c0ffee0000000000abcd"
START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
END = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
VALID = PinCodeCredential(id="", pin_code="345678", name="Guest")


def credential(*recurring: RecurringSchedule, temporary: tuple[TemporarySchedule, ...] = ()):
    """A scheduled (not always active) credential with the given schedules."""
    return PinCodeCredential(
        id="",
        pin_code="345678",
        name="Guest",
        always_active=False,
        temporary_schedules=temporary,
        recurring_schedules=recurring,
    )


def round_trip(cred: PinCodeCredential) -> PinCodeCredential:
    """The credential Nuki's record of ``cred`` stands for, as the adapter would read it back."""
    return mapping.credential_from({**mapping.auth_body(cred), "id": AUTH_ID})


@pytest.mark.parametrize(
    ("state", "locked", "jammed"),
    [
        (LOCKED, True, False),
        (UNLOCKED, False, False),
        (UNLATCHED, False, False),
        (LOCK_N_GO, False, False),
        (UNLOCKING, None, False),
        (LOCKING, None, False),
        (UNLATCHING, None, False),
        (UNCALIBRATED, None, False),
        (BOOT_RUN, None, False),
        (UNDEFINED, None, False),
        (MOTOR_BLOCKED, None, True),
    ],
)
def test_lock_state(state: int, locked: bool | None, jammed: bool) -> None:
    """Only settled lock states say isLocked, transitional ones say nothing, 254 is jammed."""
    assert (mapping.is_locked(state), mapping.is_jammed(state)) == (locked, jammed)


@pytest.mark.parametrize(
    ("charge", "critical", "expected"),
    [
        (80, False, (80, BatteryStatus.NORMAL)),
        (30, False, (30, BatteryStatus.NORMAL)),
        (29, False, (29, BatteryStatus.LOW)),
        (15, True, (15, BatteryStatus.CRITICAL)),
        (60, True, (60, BatteryStatus.CRITICAL)),
        (None, True, (None, BatteryStatus.CRITICAL)),
        (None, None, (None, BatteryStatus.UNKNOWN)),
        (None, False, (None, BatteryStatus.UNKNOWN)),
    ],
)
def test_battery(charge: int | None, critical: bool | None, expected: tuple) -> None:
    """The critical flag wins, LOW is below 30 %, and no charge is UNKNOWN."""
    assert mapping.battery(charge, critical) == expected


@pytest.mark.parametrize(
    ("server_state", "expected"),
    [(ONLINE, Connectivity.ONLINE), (OFFLINE_STATE, Connectivity.OFFLINE)]
    + [(broken, Connectivity.OFFLINE) for broken in (1, 2, 3)],
)
def test_connectivity(server_state: int, expected: Connectivity) -> None:
    """serverState 0 is ONLINE; offline and every broken registration is OFFLINE."""
    assert mapping.connectivity(server_state) is expected


def test_temporary_schedule_round_trips() -> None:
    """A temporary schedule becomes allowedFrom/UntilDate in UTC and reads back unchanged."""
    cred = credential(temporary=(TemporarySchedule(START, END),))
    body = mapping.auth_body(cred)
    assert (body["allowedFromDate"], body["allowedUntilDate"]) == (
        "2026-01-05T14:00:00.000Z",
        "2026-01-09T10:00:00.000Z",
    )
    back = round_trip(cred)
    assert back.temporary_schedules == (TemporarySchedule(START, END),)
    assert (back.always_active, back.recurring_schedules) == (False, ())


def test_always_active_sends_no_restriction() -> None:
    """An always-active code clears every Nuki time restriction explicitly."""
    body = mapping.auth_body(VALID)
    assert body == {
        "name": "Guest",
        "type": 13,
        "code": 345678,
        "allowedFromDate": None,
        "allowedUntilDate": None,
        "allowedWeekDays": 127,
        "allowedFromTime": 0,
        "allowedUntilTime": 0,
    }
    assert round_trip(VALID).always_active


EXPRESSIBLE = [
    ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0", 600, (WORKDAYS, 480, 1080)),
    ("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU;BYHOUR=10;BYMINUTE=30", 90, (3, 630, 720)),
    ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=23", 59, (MONDAY, 1380, LAST_MINUTE)),
    ("RRULE:FREQ=WEEKLY;BYDAY=SU,SA;BYHOUR=0;BYMINUTE=0", WHOLE_DAY, (3, 0, 0)),
    ("RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=0;BYMINUTE=0", LAST_MINUTE, (SATURDAY, 0, LAST_MINUTE)),
    ("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=6;BYMINUTE=15;WKST=MO", 1, (SUNDAY, 375, 376)),
]


@pytest.mark.parametrize(("rrule", "duration", "window"), EXPRESSIBLE)
def test_expressible_rrule_round_trips(
    rrule: str, duration: int, window: tuple[int, int, int]
) -> None:
    """A weekly RRULE Nuki can hold becomes the exact bitmask and minutes, and reads back."""
    cred = credential(RecurringSchedule(rrule, duration))
    body = mapping.auth_body(cred)
    assert (body["allowedWeekDays"], body["allowedFromTime"], body["allowedUntilTime"]) == window
    (back,) = round_trip(cred).recurring_schedules
    assert back.duration == duration
    assert mapping.parse_weekly(back) == WeeklyWindow(*window)
    assert mapping.auth_body(credential(back)) == body


@given(
    days=st.sets(st.sampled_from(WEEKDAY_NAMES), min_size=1),
    start=st.integers(0, LAST_MINUTE - 1),
    data=st.data(),
)
def test_any_weekly_window_round_trips(days: set[str], start: int, data: st.DataObject) -> None:
    """Any weekday set, start minute and same-day duration survives Nuki and back exactly."""
    duration = data.draw(st.integers(1, LAST_MINUTE - start), label="duration")
    byday = ",".join(sorted(days))
    rule = RecurringSchedule(
        f"RRULE:FREQ=WEEKLY;BYDAY={byday};BYHOUR={start // 60};BYMINUTE={start % 60}", duration
    )
    back = round_trip(credential(rule))
    (again,) = back.recurring_schedules
    assert (again.duration, mapping.parse_weekly(again)) == (duration, mapping.parse_weekly(rule))
    assert set(again.rrule.split("BYDAY=")[1].split(";")[0].split(",")) == days
    assert not back.always_active


def test_every_day_all_day_reads_back_as_always_active() -> None:
    """Every day, all day is no weekly restriction at all, so it reads back as always active."""
    rule = RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0", WHOLE_DAY)
    back = round_trip(credential(rule))
    assert (back.always_active, back.recurring_schedules) == (True, ())


UNEXPRESSIBLE = [
    ("daily", "RRULE:FREQ=DAILY;BYHOUR=8;BYMINUTE=0", 60, "FREQ=WEEKLY"),
    ("every-2-weeks", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=8", 60, "INTERVAL must be 1"),
    ("count", "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;COUNT=3", 60, "no equivalent of COUNT"),
    ("until", "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260301T000000Z", 60, "no equivalent of UNTIL"),
    ("bymonth", "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMONTH=1", 60, "no equivalent of BYMONTH"),
    ("two-hours", "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;BYHOUR=2,7", 181, "one BYHOUR"),
    ("two-minutes", "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0,30", 10, "one BYMINUTE"),
    ("nth-weekday", "RRULE:FREQ=WEEKLY;BYDAY=1MO;BYHOUR=8", 60, "plain weekdays"),
    ("seconds", "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYSECOND=30", 60, "whole minute"),
    ("past-midnight", "RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=22;BYMINUTE=0", 180, "at most 119"),
    ("to-midnight", "RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=22;BYMINUTE=0", 120, "23:59"),
    ("zero-duration", "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8", 0, "positive"),
    ("bad-hour", "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=25", 60, "not a valid RRULE"),
    ("garbage", "every monday at eight", 60, "not a valid RRULE"),
    ("dtstart", "DTSTART:20260105T080000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO", 60, "without DTSTART"),
]


@pytest.mark.parametrize(
    ("rrule", "duration", "reason"),
    [case[1:] for case in UNEXPRESSIBLE],
    ids=[case[0] for case in UNEXPRESSIBLE],
)
def test_unexpressible_rrule_is_refused_with_a_reason(
    rrule: str, duration: int, reason: str
) -> None:
    """An RRULE Nuki cannot hold exactly raises Unexpressible saying why, never rounds."""
    with pytest.raises(Unexpressible, match=reason):
        mapping.auth_body(credential(RecurringSchedule(rrule, duration)))


def test_nuki_record_with_open_date_window_reads_back() -> None:
    """A Nuki record with only allowedFromDate reads as a window ending at the open bound."""
    auth = {
        "id": AUTH_ID,
        "code": 345678,
        "name": "Guest",
        "allowedFromDate": "2026-01-05T14:00:00.000Z",
    }
    (window,) = mapping.credential_from(auth).temporary_schedules
    assert window.start == START
    assert window.end == mapping.OPEN_END


WEEKLY = RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8", 60)
WINDOW = TemporarySchedule(START, END)
OTHER = PinCodeCredential(id="other", pin_code="345678", name="Taken")
FULL = rules.PROPERTIES.max_number_of_pin_code_credentials
BROKEN = [
    ("pin-length", {"pin_code": "34567"}, {}),
    ("pin-length", {"pin_code": "3456789"}, {}),
    ("pin-length", {"pin_code": "34567a"}, {}),
    ("pin-length", {"pin_code": "３４５６７８"}, {}),
    ("pin-no-zero", {"pin_code": "345670"}, {}),
    ("pin-not-12", {"pin_code": "123456"}, {}),
    ("name-length", {"name": "x" * 21}, {}),
    ("name-length", {"name": ""}, {}),
    ("name-length", {"name": "   "}, {}),
    ("pin-unique", {}, {"others": [OTHER]}),
    ("capacity", {}, {"known_count": FULL}),
    ("one-temporary", {"always_active": False, "temporary_schedules": (WINDOW, WINDOW)}, {}),
    ("one-recurring", {"always_active": False, "recurring_schedules": (WEEKLY, WEEKLY)}, {}),
    ("schedule-needed", {"always_active": False}, {}),
    ("temporary-order", {"always_active": False, "temporary_schedules": (TemporarySchedule(END, START),)}, {}),
    ("rrule-expressible", {"always_active": False, "recurring_schedules": (RecurringSchedule("RRULE:FREQ=DAILY", 60),)}, {}),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "fields", "context"), BROKEN, ids=[b[0] for b in BROKEN])
def test_check_credential_names_the_broken_rule(rule: str, fields: dict, context: dict) -> None:
    """Each broken rule is reported under its own rule id."""
    cred = replace(VALID, **fields)
    error = rules.check_credential(
        cred,
        context.get("others", []),
        creating=True,
        known_count=context.get("known_count", 0),
    )
    assert error is not None, f"{rule} did not fire"
    assert (error.rule, error.code) == (rule, "ValidationError")


@pytest.mark.parametrize(
    "cred",
    [
        VALID,
        credential(WEEKLY, temporary=(WINDOW,)),
        PinCodeCredential(id="", pin_code="999999", name="x" * 20),
    ],
    ids=["always-active", "temporary-and-recurring", "limits"],
)
def test_check_credential_accepts_valid(cred: PinCodeCredential) -> None:
    """A valid credential, even one temporary and recurring at once, passes every rule."""
    others = [PinCodeCredential(id="else", pin_code="456789", name="Else")]
    assert rules.check_credential(cred, others, creating=True, known_count=FULL - 1) is None


def test_update_is_neither_a_duplicate_of_itself_nor_over_capacity() -> None:
    """Updating a credential at full capacity, keeping its own PIN, breaks no rule."""
    itself = PinCodeCredential(id="other", pin_code="345678", name="Renamed")
    assert rules.check_credential(itself, [OTHER], creating=False, known_count=FULL) is None


def test_in_flight_create_with_the_same_pin_is_a_duplicate() -> None:
    """A create still in flight (no id yet) holding the same PIN makes a new create a duplicate."""
    in_flight = PinCodeCredential(id="", pin_code="345678", name="First")
    error = rules.check_credential(VALID, [in_flight], creating=True, known_count=0)
    assert error is not None
    assert error.rule == "pin-unique"
