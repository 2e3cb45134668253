"""Keypad code schedules over time: the UTC date window, and weekdays and hours in the lock's zone.

Nuki: "dates are UTC; the daily window (From/UntilTime) is local time of the lock". Europe
moves to summer time on 2026-03-29, the United States on 2026-03-08; both are crossed here.
Codes are not deleted when they expire: they stay on the lock and keep taking a slot.
"""

from __future__ import annotations

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from tests.time.helpers import CFG, HOUR, MON_TO_FRI, Rig

OFFICE = {"allowedWeekDays": MON_TO_FRI, "allowedFromTime": 8 * 60, "allowedUntilTime": 18 * 60}
FRIDAY = 4
LOG_REJECTED = 9
CLERK, CLERK_CODE = "Office clerk", 345_678
NIGHT, NIGHT_CODE = "Friday night", 456_789


async def entries(rig: Rig, lock: int, code: int, at: list[str]) -> list[tuple[str, bool, str]]:
    """Type ``code`` at each instant (in order); return (instant, granted, reason) for each."""
    seen = []
    for instant in at:
        await rig.advance_to(instant)
        granted, reason = await rig.keypad(lock, code)
        seen.append((instant, granted, reason))
    return seen


def granted_at(seen: list[tuple[str, bool, str]]) -> dict[str, bool]:
    return {instant: granted for instant, granted, _ in seen}


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
async def test_a_date_window_is_utc_whatever_the_lock_zone(rig: Rig, zone: str):
    """A code with allowedFromDate/allowedUntilDate works only inside that UTC window."""
    lock = await rig.new_lock(timezone=zone)
    window = {
        "allowedFromDate": "2026-01-05T12:00:00.000Z",
        "allowedUntilDate": "2026-01-05T14:00:00.000Z",
    }
    await rig.add_listed_code(lock, CLERK, CLERK_CODE, **window)

    seen = await entries(
        rig,
        lock,
        CLERK_CODE,
        [
            "2026-01-05T11:59:59Z",
            "2026-01-05T12:00:00Z",
            "2026-01-05T13:59:59Z",
            "2026-01-05T14:00:00Z",
        ],
    )

    assert [(granted, reason) for _, granted, reason in seen] == [
        (False, "not yet valid (before allowedFromDate)"),
        (True, "granted"),
        (True, "granted"),
        (False, "expired (after allowedUntilDate)"),
    ]
    last = (await rig.logs(lock, 1))[0]
    assert (last["state"], last["name"]) == (LOG_REJECTED, CLERK)


async def test_office_hours_follow_berlin_local_time_across_the_dst_change(rig: Rig):
    """Mon–Fri 08:00–18:00 on a Berlin lock means local hours in winter and in summer (DST on 2026-03-29)."""
    lock = await rig.new_lock(timezone="Europe/Berlin")
    await rig.add_listed_code(lock, CLERK, CLERK_CODE, **OFFICE)

    seen = await entries(
        rig,
        lock,
        CLERK_CODE,
        [
            "2026-01-05T16:30:00Z",  # Mon 17:30 CET
            "2026-01-05T17:00:00Z",  # Mon 18:00 CET: the window has closed
            "2026-01-10T10:00:00Z",  # Saturday
            "2026-01-12T06:30:00Z",  # Mon 07:30 CET
            "2026-01-12T07:30:00Z",  # Mon 08:30 CET (winter Monday)
            "2026-03-27T16:30:00Z",  # Fri 17:30 CET, two days before the change
            "2026-03-30T06:30:00Z",  # Mon 08:30 CEST, the day after
            "2026-03-30T16:30:00Z",  # Mon 18:30 CEST
            "2026-06-01T07:30:00Z",  # Mon 09:30 CEST (summer Monday)
            "2026-06-01T16:30:00Z",  # Mon 18:30 CEST
        ],
    )

    assert granted_at(seen) == {
        "2026-01-05T16:30:00Z": True,
        "2026-01-05T17:00:00Z": False,
        "2026-01-10T10:00:00Z": False,
        "2026-01-12T06:30:00Z": False,
        "2026-01-12T07:30:00Z": True,
        "2026-03-27T16:30:00Z": True,
        "2026-03-30T06:30:00Z": True,
        "2026-03-30T16:30:00Z": False,
        "2026-06-01T07:30:00Z": True,
        "2026-06-01T16:30:00Z": False,
    }
    reasons = {instant: reason for instant, granted, reason in seen if not granted}
    assert reasons["2026-01-10T10:00:00Z"] == "not allowed on Saturday (allowedWeekDays)"
    assert reasons["2026-03-30T16:30:00Z"] == "outside the daily window at 18:30 local time"
    assert reasons["2026-06-01T16:30:00Z"] == "outside the daily window at 18:30 local time"
    assert await rig.listed(lock, CLERK) is not None  # months of daily syncs later


async def test_weekdays_and_hours_follow_new_york_local_time(rig: Rig):
    """On a New York lock, weekdays and hours are read in Eastern time, before and after US DST (2026-03-08)."""
    lock = await rig.new_lock(timezone="America/New_York")
    await rig.add_listed_code(lock, CLERK, CLERK_CODE, **OFFICE)
    await rig.add_listed_code(lock, NIGHT, NIGHT_CODE, allowedWeekDays=FRIDAY)

    night = await entries(
        rig,
        lock,
        NIGHT_CODE,
        [
            "2026-01-09T03:00:00Z",  # Friday in UTC, Thursday 22:00 in New York
            "2026-01-10T03:00:00Z",  # Saturday in UTC, Friday 22:00 in New York
        ],
    )
    clerk = await entries(
        rig,
        lock,
        CLERK_CODE,
        [
            "2026-01-12T12:30:00Z",  # Mon 07:30 EST
            "2026-01-12T13:30:00Z",  # Mon 08:30 EST
            "2026-01-12T22:59:00Z",  # Mon 17:59 EST
            "2026-03-02T12:30:00Z",  # Mon 07:30 EST, before the US change
            "2026-03-09T12:30:00Z",  # Mon 08:30 EDT, after it
            "2026-06-01T22:30:00Z",  # Mon 18:30 EDT
        ],
    )

    assert [(granted, reason) for _, granted, reason in night] == [
        (False, "not allowed on Thursday (allowedWeekDays)"),
        (True, "granted"),
    ]
    assert [granted for _, granted, _ in clerk] == [False, True, True, False, True, False]
    assert clerk[0][2] == "outside the daily window at 07:30 local time"


@pytest.mark.nuki_sim(config=SimConfig(max_keypad_codes=2))
async def test_expired_codes_stay_on_the_lock_and_count_against_capacity(rig: Rig):
    """An expired code is refused by the keypad but stays listed after syncs and still takes a slot."""
    lock = await rig.new_lock()
    expired = await rig.add_listed_code(
        lock, CLERK, CLERK_CODE, allowedUntilDate="2026-01-05T10:00:00.000Z"
    )
    await rig.add_listed_code(lock, NIGHT, NIGHT_CODE)

    await rig.advance_to("2026-01-07T12:00:00Z")  # two daily syncs later

    assert await rig.keypad(lock, CLERK_CODE) == (False, "expired (after allowedUntilDate)")
    assert [a["id"] for a in await rig.codes(lock) if a["name"] == CLERK] == [expired]
    assert CLERK_CODE in await rig.device_codes(lock)
    full = await rig.create_code(lock, "Newcomer", 567_891)
    assert full.status == 409

    assert (await rig.delete_auth(lock, expired)).status == 204
    await rig.advance(CFG.push_delay)
    await rig.sync(lock)
    assert (await rig.create_code(lock, "Newcomer", 567_891)).status == 204
    await rig.advance(HOUR)
    assert await rig.keypad(lock, 567_891) == (True, "granted")
