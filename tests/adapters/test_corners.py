"""The reference adapter's corners: what Nuki's record cannot say, RRULE spelling, and telling
our create's record from an identical one someone else made.

Pure mapping specifications first, then each corner end to end against the real simulator.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from nuki_sim.adapters.nuki import mapping
from nuki_sim.adapters.nuki.mapping import Unexpressible, WeeklyWindow
from nuki_sim.adapters.traits import (
    ActionName,
    ActionStatus,
    PinCodeCredential,
    RecurringSchedule,
    TemporarySchedule,
    TraitName,
)
from tests.adapters.conftest import Rig

PINS = TraitName.BETA_PIN_CODE_CREDENTIALS
CREATE, UPDATE = ActionName.CREATE_PIN, ActionName.UPDATE_PIN
AUTH_ID = "65a0c0ffee0000000000abcd"
PIN = "345678"
MONDAY, WEDNESDAY = 64, 16
EVERY_DAY_ALL_DAY = "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0;BYMINUTE=0"
CANONICAL_EVERY_DAY = "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=0;BYMINUTE=0"
WHOLE_DAY = 1440
START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
END = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
PUSH = timedelta(seconds=10)  # past the simulator's push delay
DAY = timedelta(hours=25)  # past every lock's daily auto sync


def scheduled(
    *recurring: RecurringSchedule, temporary: tuple[TemporarySchedule, ...] = ()
) -> PinCodeCredential:
    return PinCodeCredential("", PIN, "Guest", False, temporary, recurring)


def at(instant: datetime) -> str:
    """An instant as the wire writes it."""
    return instant.isoformat().replace("+00:00", "Z")


def record_of(credential: PinCodeCredential, **fields: Any) -> dict[str, Any]:
    """Nuki's record of ``credential`` as a webhook would show it."""
    return {**mapping.auth_body(credential), "id": AUTH_ID, **fields}


# --- 1. every day, all day -------------------------------------------------------------------

EVERY_DAY = scheduled(RecurringSchedule(EVERY_DAY_ALL_DAY, WHOLE_DAY))


def test_every_day_all_day_is_sent_as_nukis_unrestricted_week() -> None:
    """Nuki holds "every day, all day" as 127 with 0/0: the same as no restriction at all."""
    body = mapping.auth_body(EVERY_DAY)
    assert (body["allowedWeekDays"], body["allowedFromTime"], body["allowedUntilTime"]) == (
        127,
        0,
        0,
    )
    assert body == mapping.auth_body(PinCodeCredential("", PIN, "Guest"))


def test_what_we_asked_for_reads_back_as_asked() -> None:
    """Told what it asked for, the read-back keeps the whole-week recurring schedule."""
    back = mapping.credential_from(record_of(EVERY_DAY), EVERY_DAY)
    assert back == PinCodeCredential(
        AUTH_ID, PIN, "Guest", False, (), (RecurringSchedule(CANONICAL_EVERY_DAY, WHOLE_DAY),)
    )


def test_the_record_alone_reads_as_always_active() -> None:
    """Without knowing what was asked, 127 with 0/0 is no schedule: always active."""
    back = mapping.credential_from(record_of(EVERY_DAY))
    assert (back.always_active, back.recurring_schedules) == (True, ())


def test_what_we_asked_for_no_longer_counts_once_the_record_changed() -> None:
    """A record someone changed elsewhere reads as what it holds, not as what we asked."""
    renamed = record_of(EVERY_DAY, name="Changed")
    back = mapping.credential_from(renamed, EVERY_DAY)
    assert (back.name, back.always_active, back.recurring_schedules) == ("Changed", True, ())


def test_whole_week_next_to_a_date_window_reads_back_with_both() -> None:
    """A date window plus every day, all day keeps both schedules, not just the dates."""
    asked = scheduled(
        RecurringSchedule(EVERY_DAY_ALL_DAY, WHOLE_DAY), temporary=(TemporarySchedule(START, END),)
    )
    back = mapping.credential_from(record_of(asked), asked)
    assert back.temporary_schedules == (TemporarySchedule(START, END),)
    assert back.recurring_schedules == (RecurringSchedule(CANONICAL_EVERY_DAY, WHOLE_DAY),)
    assert mapping.credential_from(record_of(asked)).recurring_schedules == ()


def test_the_whole_week_still_counts_as_the_content_asked_for() -> None:
    """The action settles: the record shows the same content as the whole-week credential."""
    assert mapping.same_content(EVERY_DAY, record_of(EVERY_DAY))


# --- 2. RRULE names are case-insensitive ----------------------------------------------------

SPELLINGS = [
    "rrule:freq=weekly;byday=mo,we;byhour=8;byminute=30",
    "Rrule:Freq=Weekly;ByDay=Mo,We;ByHour=8;ByMinute=30",
    "freq=weekly;byday=we,mo;byhour=08;byminute=30;bysecond=00;interval=01;wkst=su",
    "  RRULE : FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=8;BYMINUTE=30  ",
]


@pytest.mark.parametrize("rrule", SPELLINGS)
def test_any_spelling_of_an_rrule_is_read(rrule: str) -> None:
    """RFC 5545 names and values are case-insensitive; leading zeros are still numbers."""
    window = mapping.parse_weekly(RecurringSchedule(rrule, 60))
    assert window == WeeklyWindow(MONDAY | WEDNESDAY, 510, 570)


def test_a_lower_case_rrule_reads_back_in_canonical_form() -> None:
    """What comes back from Nuki is the canonical RRULE, and it settles the action."""
    asked = scheduled(RecurringSchedule(SPELLINGS[0], 60))
    (back,) = mapping.credential_from(record_of(asked)).recurring_schedules
    assert back == RecurringSchedule(
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;BYHOUR=8;BYMINUTE=30", 60
    )
    assert mapping.same_content(asked, record_of(asked))


STILL_REFUSED = [
    ("rrule:freq=daily;byhour=8", "FREQ=WEEKLY"),
    ("rrule:freq=weekly;interval=2;byday=mo", "INTERVAL must be 1"),
    ("rrule:freq=weekly;byday=1mo", "plain weekdays"),
    ("rrule:freq=weekly;byday=mo;count=3", "no equivalent of COUNT"),
    ("rrule:freq=weekly;byday=mo;bysecond=30", "whole minute"),
    ("freq=weekly;byday=mo;Freq=weekly", "FREQ appears twice"),
    ("dtstart:20260105T080000Z", "without DTSTART"),
    ("rrule:freq=weekly;byhour=25", "not a valid RRULE"),
]


@pytest.mark.parametrize(("rrule", "reason"), STILL_REFUSED)
def test_lower_case_does_not_smuggle_in_what_nuki_cannot_hold(rrule: str, reason: str) -> None:
    """Whatever the case, an RRULE Nuki cannot hold exactly is refused with its reason."""
    with pytest.raises(Unexpressible, match=reason):
        mapping.parse_weekly(RecurringSchedule(rrule, 60))


# --- 3. a date window open on one side ------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "window"),
    [
        ({"allowedFromDate": "2026-01-05T14:00:00.000Z"}, (START, mapping.OPEN_END)),
        ({"allowedUntilDate": "2026-01-09T10:00:00.000Z"}, (mapping.OPEN_START, END)),
    ],
    ids=["from-only", "until-only"],
)
def test_a_one_sided_window_reads_back_with_the_open_bound(
    fields: dict[str, str], window: tuple[datetime, datetime]
) -> None:
    """The given side is kept; the open side is the documented bound, and still scheduled."""
    back = mapping.credential_from({"id": AUTH_ID, "code": 345678, "name": "Guest", **fields})
    assert back.temporary_schedules == (TemporarySchedule(*window),)
    assert back.always_active is False


@pytest.mark.parametrize("hours", [-12, 14], ids=["utc-12", "utc+14"])
def test_the_open_bounds_survive_every_time_zone(hours: int) -> None:
    """Unlike datetime.min/max, the bounds convert to any offset a platform may show them in."""
    zone = timezone(timedelta(hours=hours))
    for bound in (mapping.OPEN_START, mapping.OPEN_END):
        assert bound.astimezone(zone) == bound


@pytest.mark.parametrize(
    ("window", "sent"),
    [
        ((START, mapping.OPEN_END), ("2026-01-05T14:00:00.000Z", None)),
        ((START, datetime.max.replace(tzinfo=UTC)), ("2026-01-05T14:00:00.000Z", None)),
        ((mapping.OPEN_START, END), (None, "2026-01-09T10:00:00.000Z")),
        ((datetime(1900, 1, 1, tzinfo=UTC), END), (None, "2026-01-09T10:00:00.000Z")),
    ],
    ids=["open-end", "beyond-open-end", "open-start", "before-open-start"],
)
def test_an_open_bound_is_sent_to_nuki_as_null(
    window: tuple[datetime, datetime], sent: tuple[str | None, str | None]
) -> None:
    """A bound at (or past) the open bound is what Nuki writes as null, so it round-trips."""
    credential = scheduled(temporary=(TemporarySchedule(*window),))
    body = mapping.auth_body(credential)
    assert (body["allowedFromDate"], body["allowedUntilDate"]) == sent
    assert mapping.same_content(
        mapping.credential_from(record_of(credential)), record_of(credential)
    )


def test_a_window_open_on_both_sides_reads_back_as_asked() -> None:
    """Open on both sides, Nuki holds no dates; what we asked for keeps the schedule."""
    asked = scheduled(temporary=(TemporarySchedule(mapping.OPEN_START, mapping.OPEN_END),))
    assert mapping.credential_from(record_of(asked), asked).temporary_schedules == (
        TemporarySchedule(mapping.OPEN_START, mapping.OPEN_END),
    )
    assert mapping.credential_from(record_of(asked)).always_active is True


# --- 4. which record answers our create -----------------------------------------------------

GUEST = scheduled(RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8", 60))


def answers(auth: dict[str, Any], known: frozenset[str] = frozenset()) -> bool:
    return mapping.answers_create(GUEST, auth, known_before=known)


def test_a_new_record_holding_what_we_asked_answers_our_create() -> None:
    """A record under an id we did not know, with our PIN, name and schedules, is ours."""
    assert answers(record_of(GUEST), frozenset({"another-code"}))


@pytest.mark.parametrize(
    ("auth", "known"),
    [
        (record_of(GUEST), frozenset({AUTH_ID})),
        (record_of(GUEST, code=456789), frozenset()),
        (record_of(GUEST, name="Someone"), frozenset()),
        (record_of(GUEST, allowedWeekDays=127), frozenset()),
    ],
    ids=["known-id", "other-pin", "other-name", "other-schedule"],
)
def test_a_record_that_cannot_be_ours_does_not_answer(
    auth: dict[str, Any], known: frozenset[str]
) -> None:
    """A code we already knew (changed into ours by someone) or other content is not ours."""
    assert not answers(auth, known)


# --- end to end, against the simulator ------------------------------------------------------


def reported(rig: Rig) -> dict[str, PinCodeCredential]:
    return {c.id: c for c in rig.reported(PINS, "pinCodeCredentials")}


async def create(rig: Rig, credential: dict[str, Any]) -> str:
    """Create a code through the adapter, pass a day; the action must resolve. Its id."""
    action = await rig.execute(PINS, CREATE, {"pinCodeCredential": credential})
    assert action.status is ActionStatus.PENDING, action.error
    await rig.pass_time(DAY)
    done = await rig.adapter.action(action.id)
    assert done.status is ActionStatus.RESOLVED, done.error
    return str(done.result["credentialId"])


async def test_every_day_all_day_survives_create_sync_read_back(rig: Rig) -> None:
    """Created as every day, all day; after the sync (and a refresh) it reads back so."""
    asked = {
        "pinCode": PIN,
        "name": "Cleaner",
        "alwaysActive": False,
        "recurringSchedules": [{"rrule": EVERY_DAY_ALL_DAY, "duration": WHOLE_DAY}],
    }
    credential_id = await create(rig, asked)
    expected = PinCodeCredential(
        credential_id,
        PIN,
        "Cleaner",
        False,
        (),
        (RecurringSchedule(CANONICAL_EVERY_DAY, WHOLE_DAY),),
    )
    assert reported(rig)[credential_id] == expected
    await rig.adapter.refresh()
    assert reported(rig)[credential_id] == expected


async def test_a_whole_week_code_changed_elsewhere_reads_as_nuki_holds_it(vrig: Rig) -> None:
    """Renamed in Nuki Web, the code is no longer what we asked: Nuki's record decides."""
    asked = {
        "pinCode": PIN,
        "name": "Cleaner",
        "alwaysActive": False,
        "recurringSchedules": [{"rrule": EVERY_DAY_ALL_DAY, "duration": WHOLE_DAY}],
    }
    credential_id = await create(vrig, asked)
    path = f"/smartlock/{vrig.lock_id()}/auth/{credential_id}"
    status, _ = await vrig.send("POST", path, {"name": "Renamed"})
    assert status == 204
    await vrig.pass_time(DAY)
    back = reported(vrig)[credential_id]
    assert (back.name, back.always_active, back.recurring_schedules) == ("Renamed", True, ())


async def test_a_lower_case_rrule_is_created_and_reads_back(rig: Rig) -> None:
    """rrule:freq=weekly;... is accepted, sent as Nuki's window and read back canonically."""
    asked = {
        "pinCode": PIN,
        "name": "Cleaner",
        "alwaysActive": False,
        "recurringSchedules": [{"rrule": SPELLINGS[0], "duration": 60}],
    }
    credential_id = await create(rig, asked)
    (back,) = reported(rig)[credential_id].recurring_schedules
    assert back == RecurringSchedule(
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;BYHOUR=8;BYMINUTE=30", 60
    )


async def test_a_lower_case_rrule_nuki_cannot_hold_is_rejected(vrig: Rig) -> None:
    """Lower case changes nothing about what Nuki can hold: a daily rule is still refused."""
    asked = {
        "pinCode": PIN,
        "name": "Cleaner",
        "alwaysActive": False,
        "recurringSchedules": [{"rrule": "rrule:freq=daily;byhour=8", "duration": 60}],
    }
    action = await vrig.execute(PINS, CREATE, {"pinCodeCredential": asked})
    assert action.status is ActionStatus.REJECTED
    assert action.error is not None
    assert action.error.rule == "rrule-expressible"


async def test_a_code_open_at_the_end_reads_and_updates_faithfully(vrig: Rig) -> None:
    """Valid from a date with no end (set in Nuki Web): read with the open bound, and an
    update that keeps the read-back schedule sends the end back to Nuki as null."""
    body = {"type": 13, "name": "Tenant", "code": 456789, "allowedFromDate": at(START)}
    assert (await vrig.send("PUT", f"/smartlock/{vrig.lock_id()}/auth", body))[0] == 204
    await vrig.pass_time(DAY)
    (tenant,) = [c for c in reported(vrig).values() if c.name == "Tenant"]
    assert (tenant.always_active, tenant.temporary_schedules) == (
        False,
        (TemporarySchedule(START, mapping.OPEN_END),),
    )

    window = tenant.temporary_schedules[0]
    change = {
        "id": tenant.id,
        "pinCode": tenant.pin_code,
        "name": "Tenant 2",
        "alwaysActive": False,
        "temporarySchedules": [{"startDatetime": at(window.start), "endDatetime": at(window.end)}],
    }
    await vrig.clear_journal()
    action = await vrig.execute(PINS, UPDATE, {"pinCodeCredential": change})
    assert action.status is ActionStatus.PENDING, action.error
    (sent,) = await vrig.journal("POST", f"/smartlock/{vrig.lock_id()}/auth/{tenant.id}")
    assert '"allowedUntilDate": null' in sent["body"]
    await vrig.pass_time(DAY)
    done = await vrig.adapter.action(action.id)
    assert done.status is ActionStatus.RESOLVED, done.error
    assert reported(vrig)[tenant.id].temporary_schedules == (
        TemporarySchedule(START, mapping.OPEN_END),
    )


async def test_a_known_code_changed_into_ours_elsewhere_is_not_taken_for_ours(rig: Rig) -> None:
    """Someone turns a code we know into our exact code in Nuki Web just before we create it:
    the lock refuses ours as a duplicate, so our create is REJECTED with Nuki's error and
    never resolved with their record."""
    theirs = next(iter(reported(rig).values()))
    assert theirs.pin_code != PIN
    path = f"/smartlock/{rig.lock_id()}/auth/{theirs.id}"
    assert (await rig.send("POST", path, {"name": "Guest", "code": int(PIN)}))[0] == 204
    await rig.pass_time(PUSH)  # their change reaches the lock; the listing still shows the old

    asked = {"pinCode": PIN, "name": "Guest", "alwaysActive": True}
    action = await rig.execute(PINS, CREATE, {"pinCodeCredential": asked})
    assert action.status is ActionStatus.PENDING, action.error
    await rig.pass_time(DAY)

    done = await rig.adapter.action(action.id)
    assert done.status is ActionStatus.REJECTED
    assert done.error is not None
    assert done.error.rule == "device-refused"
    assert done.result == {}
    now = reported(rig)[theirs.id]
    assert (now.pin_code, now.name) == (PIN, "Guest")
