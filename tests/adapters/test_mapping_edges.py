"""Edges of the Nuki ⇄ trait mapping and the credential rules that mutation testing found open.

Pure functions, no HTTP: weekday bits at the weekend, an RRULE without BYDAY, one-character
names, empty temporary windows, one-sided Nuki date windows, battery thresholds, and the
texts the adapter's rejections carry.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from nuki_sim.adapters.nuki import devices, mapping, rules
from nuki_sim.adapters.nuki.mapping import Unexpressible, WeeklyWindow
from nuki_sim.adapters.traits import (
    BatteryStatus,
    PinCodeCredential,
    RecurringSchedule,
    TemporarySchedule,
    TraitErrorCode,
)

SATURDAY, SUNDAY, ALL_DAYS = 2, 1, 127
AUTH_ID = "65a0c0ffee0000000000abcd"
START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
END = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
END_TEXT = "2026-01-09T10:00:00.000Z"
VALID = PinCodeCredential(id="", pin_code="345678", name="Guest")
EIGHT_AM = 8 * 60


def scheduled(
    *recurring: RecurringSchedule, temporary: tuple[TemporarySchedule, ...] = ()
) -> PinCodeCredential:
    return PinCodeCredential(
        id="",
        pin_code="345678",
        name="Guest",
        always_active=False,
        temporary_schedules=temporary,
        recurring_schedules=recurring,
    )


def weekly(rrule: str, duration: int = 60) -> WeeklyWindow:
    return mapping.parse_weekly(RecurringSchedule(rrule, duration))


# --- weekdays -----------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "bit"), [("SA", SATURDAY), ("SU", SUNDAY), ("MO", 64), ("FR", 4)])
def test_each_weekday_has_its_own_nuki_bit(day: str, bit: int) -> None:
    """Saturday is 2 and Sunday 1 (Monday 64 … Sunday 1), both ways."""
    assert weekly(f"RRULE:FREQ=WEEKLY;BYDAY={day};BYHOUR=8").days == bit
    back = mapping.rrule_for(WeeklyWindow(bit, EIGHT_AM, EIGHT_AM + 60))
    assert f"BYDAY={day};" in back.rrule


def test_an_rrule_without_byday_means_every_day() -> None:
    """FREQ=WEEKLY with no BYDAY repeats on every weekday: mask 127."""
    assert weekly("RRULE:FREQ=WEEKLY;BYHOUR=8;BYMINUTE=30") == WeeklyWindow(ALL_DAYS, 510, 570)


def test_an_rrule_without_byhour_starts_at_midnight() -> None:
    """No BYHOUR and no BYMINUTE: the window starts at 00:00."""
    assert weekly("RRULE:FREQ=WEEKLY;BYDAY=MO", 90) == WeeklyWindow(64, 0, 90)


def test_a_nuki_window_with_no_days_reads_as_every_day() -> None:
    """allowedWeekDays 0 (and a missing one) is no weekday restriction, as Nuki treats it."""
    for days in (0, None):
        auth = {"id": AUTH_ID, "code": 345678, "name": "Guest", "allowedWeekDays": days,
                "allowedFromTime": EIGHT_AM, "allowedUntilTime": EIGHT_AM + 60}  # fmt: skip
        (rule,) = mapping.credential_from(auth).recurring_schedules
        assert "BYDAY=MO,TU,WE,TH,FR,SA,SU;" in rule.rrule
        assert rule.duration == 60


def test_a_whole_day_window_reads_back_as_1440_minutes_from_midnight() -> None:
    """Nuki's 0/0 on some days is the whole day: BYHOUR=0, BYMINUTE=0 and 1440 minutes."""
    rule = mapping.rrule_for(WeeklyWindow(SATURDAY | SUNDAY, 0, 0))
    assert rule == RecurringSchedule(
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU;BYHOUR=0;BYMINUTE=0", 1440
    )


def test_a_too_long_window_says_how_long_it_may_be() -> None:
    """The refusal names the start time and the longest duration that still ends that day."""
    with pytest.raises(Unexpressible) as refused:
        weekly("RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=22;BYMINUTE=5", 200)
    assert str(refused.value) == (
        "a Nuki window ends on the day it starts, at 23:59 at the latest: starting at 22:05 "
        "the duration can be at most 114 minutes (or use 00:00 with 1440 for whole days)"
    )


def test_a_window_ending_at_23_59_is_expressible() -> None:
    """From 00:00 the longest window short of a whole day is 1439 minutes, ending 23:59."""
    assert weekly("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=0", 1439) == WeeklyWindow(SUNDAY, 0, 1439)
    with pytest.raises(Unexpressible):
        weekly("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=0;BYMINUTE=1", 1439)


@pytest.mark.parametrize(
    ("rrule", "reason"),
    [
        ("RRULE:FREQ=DAILY;BYHOUR=8", "Nuki windows repeat weekly: use FREQ=WEEKLY"),
        (
            "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            "Nuki windows repeat every week: INTERVAL must be 1",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYSECOND=5",
            "Nuki windows start on a whole minute: BYSECOND must be 0",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8,9",
            "Nuki has one daily window per code: give one BYHOUR and one BYMINUTE",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=2MO",
            "BYDAY must list plain weekdays (MO..SU) without numeric prefixes",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            "Nuki has no equivalent of COUNT in a weekly window",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2;BYMONTH=1",
            "Nuki has no equivalent of BYMONTH, COUNT in a weekly window",
        ),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYSECOND=0,5",
            "Nuki windows start on a whole minute: BYSECOND must be 0",
        ),
        ("RRULE:FREQ=WEEKLY;\rBYDAY=MO", "give the RRULE alone, without DTSTART or other lines"),
        ("RRULE:FREQ=WEEKLY;\nBYDAY=MO", "give the RRULE alone, without DTSTART or other lines"),
    ],
)
def test_unexpressible_rrules_say_exactly_why(rrule: str, reason: str) -> None:
    """Each refusal carries its full reason: it is what the rejected action tells the user."""
    with pytest.raises(Unexpressible) as refused:
        weekly(rrule)
    assert str(refused.value) == reason


def test_a_colon_inside_a_value_is_no_property_prefix() -> None:
    """Text before a colon that holds "=" is part of the rule, not a property name."""
    with pytest.raises(Unexpressible) as refused:
        weekly("FREQ=WEEKLY;BYDAY=MO;X-NAME=a:b")
    assert str(refused.value).startswith("not a valid RRULE")


def test_a_nuki_window_of_no_days_is_written_as_every_day() -> None:
    """A weekly window with an empty mask stands for every day in the RRULE written for it."""
    rule = mapping.rrule_for(WeeklyWindow(0, EIGHT_AM, EIGHT_AM + 60))
    assert (
        rule.rrule == "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=8;BYMINUTE=0"
    )


def test_a_zero_or_negative_duration_is_refused() -> None:
    """A window lasts at least one minute."""
    for duration in (0, -5):
        with pytest.raises(Unexpressible) as refused:
            weekly("RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8", duration)
        assert str(refused.value) == "duration is a positive number of minutes"


# --- date windows ---------------------------------------------------------------------------


def test_a_nuki_record_with_only_an_end_date_is_a_temporary_schedule() -> None:
    """allowedUntilDate alone reads as a temporary schedule ending then, not always active."""
    auth = {"id": AUTH_ID, "code": 345678, "name": "Guest", "allowedUntilDate": END_TEXT}
    back = mapping.credential_from(auth)
    (window,) = back.temporary_schedules
    assert window.end == END
    assert window.start < START
    assert (back.always_active, back.recurring_schedules) == (False, ())


def test_a_temporary_schedule_is_sent_as_both_dates() -> None:
    """The body carries the window's start and end as Nuki's millisecond UTC instants."""
    body = mapping.auth_body(scheduled(temporary=(TemporarySchedule(START, END),)))
    assert (body["allowedFromDate"], body["allowedUntilDate"]) == (
        "2026-01-05T14:00:00.000Z",
        END_TEXT,
    )
    assert (body["allowedWeekDays"], body["allowedFromTime"], body["allowedUntilTime"]) == (
        ALL_DAYS,
        0,
        0,
    )


# --- same_content -----------------------------------------------------------------------------


def test_same_content_compares_pin_name_and_schedules() -> None:
    """Nuki's record matches the credential it was made from, and not one with another PIN/name."""
    cred = scheduled(RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=8", 60))
    record = {**mapping.auth_body(cred), "id": AUTH_ID}
    assert mapping.same_content(cred, record)
    assert not mapping.same_content(replace(cred, pin_code="456789"), record)
    assert not mapping.same_content(replace(cred, name="Other"), record)
    sunday = scheduled(RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=8", 60))
    assert not mapping.same_content(sunday, record)


def test_same_content_is_false_for_an_unexpressible_credential() -> None:
    """A credential Nuki could not hold never matches a record (no exception escapes)."""
    cred = scheduled(RecurringSchedule("RRULE:FREQ=DAILY", 60))
    assert not mapping.same_content(cred, {**mapping.auth_body(VALID), "id": AUTH_ID})


# --- battery ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("charge", "status"),
    [(29, BatteryStatus.LOW), (30, BatteryStatus.NORMAL), (0, BatteryStatus.LOW)],
)
def test_battery_is_low_below_30_percent(charge: int, status: BatteryStatus) -> None:
    """Below 30 % (not at 30 %) a battery that is not critical reports LOW."""
    assert mapping.battery(charge, False) == (charge, status)


# --- the credential rules and their texts ---------------------------------------------------


def check(cred: PinCodeCredential, *, known_count: int = 0) -> tuple[str, str] | None:
    error = rules.check_credential(cred, [], creating=True, known_count=known_count)
    if error is None:
        return None
    assert error.code == TraitErrorCode.VALIDATION
    return error.rule, error.message


def test_a_one_character_name_is_accepted() -> None:
    """The shortest name the trait allows, one character, passes."""
    assert check(replace(VALID, name="x")) is None


def test_a_temporary_schedule_ending_at_its_start_is_refused() -> None:
    """A window whose end equals its start is empty: rule temporary-order."""
    cred = scheduled(temporary=(TemporarySchedule(START, START),))
    assert check(cred) == ("temporary-order", "a temporary schedule must end after it starts")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"pin_code": "34567"}, ("pin-length", "a PIN code has exactly 6 digits, got '34567'")),
        ({"pin_code": "345670"}, ("pin-no-zero", "Nuki PIN codes cannot contain the digit 0")),
        ({"pin_code": "123456"}, ("pin-not-12", "Nuki PIN codes cannot start with '12'")),
        ({"name": "x" * 21}, ("name-length", "a name has 1 to 20 characters, got 21")),
        ({"always_active": False}, ("schedule-needed", "a code that is not always active needs a schedule")),
        (
            {"temporary_schedules": (TemporarySchedule(START, END),)},
            ("always-active-with-schedule", "a code that is always active cannot have a schedule: set alwaysActive false"),
        ),
    ],
)  # fmt: skip
def test_each_rule_rejects_with_its_name_and_message(
    fields: dict[str, object], expected: tuple[str, str]
) -> None:
    """The rejection names the rule and says what is wrong, as the user reads it."""
    assert check(replace(VALID, **fields)) == expected  # type: ignore[arg-type]


def test_capacity_names_the_limit() -> None:
    """A create on a lock holding 100 codes is refused saying so; 99 is fine."""
    assert check(VALID, known_count=99) is None
    assert check(VALID, known_count=100) == ("capacity", "the lock already holds 100 PIN codes")


def test_duplicates_say_the_pin_is_taken() -> None:
    """The same PIN on another credential of the lock is refused with rule pin-unique."""
    other = PinCodeCredential(id="other", pin_code="345678", name="Taken")
    error = rules.check_credential(VALID, [other], creating=True, known_count=1)
    assert error is not None
    assert (error.rule, error.message) == (
        "pin-unique",
        "this PIN code is already used on this lock",
    )


def test_too_many_schedules_say_nuki_holds_one_of_each() -> None:
    """Two temporary (or two recurring) schedules are refused with their own texts."""
    window = TemporarySchedule(START, END)
    rule = RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8", 60)
    assert check(scheduled(temporary=(window, window))) == (
        "one-temporary",
        "Nuki holds one temporary schedule per code",
    )
    assert check(scheduled(rule, rule)) == (
        "one-recurring",
        "Nuki holds one recurring schedule per code",
    )


def test_an_unexpressible_rrule_is_rejected_with_the_mapping_reason() -> None:
    """The rrule-expressible rejection carries the mapping's own reason."""
    cred = scheduled(RecurringSchedule("RRULE:FREQ=DAILY;BYHOUR=8", 60))
    assert check(cred) == ("rrule-expressible", "Nuki windows repeat weekly: use FREQ=WEEKLY")


def test_only_the_first_schedule_of_each_kind_is_sent() -> None:
    """The body holds one date window and one weekly window: the first of each (the rules
    refuse a second one before any body is made)."""
    later = TemporarySchedule(END, END.replace(day=20))
    saturday = RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=SA;BYHOUR=8", 60)
    sunday = RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=8", 60)
    body = mapping.auth_body(
        scheduled(saturday, sunday, temporary=(TemporarySchedule(START, END), later))
    )
    assert (body["allowedFromDate"], body["allowedWeekDays"]) == (
        "2026-01-05T14:00:00.000Z",
        SATURDAY,
    )


def test_a_record_without_code_or_name_reads_as_empty_texts() -> None:
    """A Nuki record missing ``code`` or ``name`` gives empty strings, not "None"."""
    back = mapping.credential_from({"id": AUTH_ID})
    assert (back.pin_code, back.name) == ("", "")


@pytest.mark.parametrize(
    ("lock", "name"),
    [
        (
            {"type": 4, "firmwareVersion": 0x030904, "config": {"wifiEnabled": True}},
            "Smart Lock 3.0 Pro",
        ),
        (
            {"type": 4, "firmwareVersion": 0x030904, "config": {"wifiEnabled": False}},
            "Smart Lock 3.0",
        ),
        (
            {"type": 4, "firmwareVersion": 0x040302, "config": {"wifiEnabled": True}},
            "Smart Lock 4.0 Pro",
        ),
        ({"type": 4, "firmwareVersion": 0x040302, "config": {}}, "Smart Lock 4.0"),
        ({"type": 5, "config": {"productVariant": 1}}, "Smart Lock Go"),
        ({"type": 5, "config": {"productVariant": 3}}, "Smart Lock Ultra"),
    ],
)
def test_the_model_name_comes_from_type_firmware_and_wifi(lock: dict, name: str) -> None:
    """productVariant means something for type 5 only (Swagger); a 4.0 is told by firmware."""
    assert devices.model_name(lock) == name


async def test_the_demo_locks_are_named_by_their_models(nuki_sim: Any) -> None:
    """Against the simulator's demo (which mixes models): each smart lock, as Nuki Web shows
    it, is named the model the simulator made it."""
    import aiohttp

    headers = {"Authorization": f"Bearer {nuki_sim.token}"}
    async with (
        aiohttp.ClientSession(nuki_sim.url, headers=headers) as http,
        http.get("/smartlock") as answer,
    ):
        listed = await answer.json()
    made = {lock.smartlock_id: lock.model for lock in nuki_sim.world.locks.values()}
    named = {lock["smartlockId"]: devices.model_name(lock) for lock in listed if lock["type"] == 4}
    assert len(named) == 3
    assert named == {i: made[i] for i in named}
