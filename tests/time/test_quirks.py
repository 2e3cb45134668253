"""Quirks over time, in both time modes: which keypad entries a schedule lets through, which
of several rapid updates reaches the lock, and which time fields an update leaves.

Each quirk is tested switched on and off (docs/behaviour.md#quirks); the world is steered and
read over HTTP only: codes are made and listed through the API, typed through ``/_sim``.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain import quirks
from nuki_sim.simulator.domain.config import SimConfig
from tests.time.helpers import CFG, MON_TO_FRI, Rig

OFFICE = {"allowedWeekDays": MON_TO_FRI, "allowedFromTime": 8 * 60, "allowedUntilTime": 18 * 60}
DATED = {"allowedUntilDate": "2026-05-01T00:00:00.000Z"}
SATURDAY_NOON = "2026-01-10T12:00:00Z"
MONDAY_NIGHT = "2026-01-12T22:00:00Z"
TUESDAY_NOON = "2026-01-13T12:00:00Z"
CLERK, CLERK_CODE = "Office clerk", 345_678
TIMES = (
    "allowedFromDate",
    "allowedUntilDate",
    "allowedWeekDays",
    "allowedFromTime",
    "allowedUntilTime",
)
NO_WINDOW = {"allowedWeekDays": 127, "allowedFromTime": 0, "allowedUntilTime": 0}
REJECTED = "not allowed on Saturday (allowedWeekDays)"


def quirk(on: list[str] = [], off: list[str] = []) -> Any:  # noqa: B006 - read, never changed
    return pytest.mark.nuki_sim(config=SimConfig(quirks=quirks.chosen(on=on, off=off)))


def times(auth: dict[str, Any]) -> dict[str, Any]:
    return {key: auth.get(key) for key in TIMES if key in auth}


async def applied(rig: Rig, lock: int) -> None:
    """Let the push delay pass and sync, so what the lock holds is listed."""
    await rig.advance(CFG.push_delay)
    await rig.sync(lock)


# --- time-window-needs-date-window ------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "saturday"),
    [
        pytest.param({}, (True, "granted"), marks=quirk([quirks.TIME_WINDOW_NEEDS_DATE_WINDOW]), id="on"),
        pytest.param(DATED, (False, REJECTED), marks=quirk([quirks.TIME_WINDOW_NEEDS_DATE_WINDOW]), id="on-dated"),
        pytest.param({}, (False, REJECTED), id="off"),
    ],
)  # fmt: skip
async def test_a_time_window_without_a_date_window(rig: Rig, extra: dict[str, Any], saturday: Any):
    """Mon–Fri 08:00–18:00 without a date window: refused on Saturday, unless the quirk makes
    the window count only beside a date window; with one, it counts under the quirk too."""
    lock = await rig.new_lock(timezone="UTC")
    await rig.add_listed_code(lock, CLERK, CLERK_CODE, **OFFICE, **extra)
    await rig.advance_to(SATURDAY_NOON)
    assert await rig.keypad(lock, CLERK_CODE) == saturday
    await rig.advance_to(TUESDAY_NOON)
    assert await rig.keypad(lock, CLERK_CODE) == (True, "granted")


# --- rapid-update-lost ------------------------------------------------------------------------


@quirk([quirks.RAPID_UPDATE_LOST])
async def test_rapid_updates_with_the_quirk_lose_the_second(rig: Rig):
    """First update 204 (pending), second 204 but dropped, third 423. The lock and the listing
    end with the first value, not the last one accepted; afterwards updates work again."""
    lock = await rig.new_lock()
    auth_id = await rig.add_listed_code(lock, CLERK, CLERK_CODE)
    assert (await rig.update_auth(lock, auth_id, {"name": "First"})).status == 204
    assert (await rig.update_auth(lock, auth_id, {"name": "Second"})).status == 204
    assert (await rig.update_auth(lock, auth_id, {"name": "Third"})).status == 423
    await applied(rig, lock)
    assert (await rig.device_codes(lock))[CLERK_CODE] == "First"
    assert await rig.listed(lock, "First") is not None
    assert await rig.listed(lock, "Second") is None
    assert (await rig.update_auth(lock, auth_id, {"name": "Fourth"})).status == 204
    await applied(rig, lock)
    assert (await rig.device_codes(lock))[CLERK_CODE] == "Fourth"


async def test_rapid_updates_without_the_quirk_get_423_at_once(rig: Rig):
    """Without the quirk the second update while the first is pending is 423: nothing is lost."""
    lock = await rig.new_lock()
    auth_id = await rig.add_listed_code(lock, CLERK, CLERK_CODE)
    assert (await rig.update_auth(lock, auth_id, {"name": "First"})).status == 204
    assert (await rig.update_auth(lock, auth_id, {"name": "Second"})).status == 423
    await applied(rig, lock)
    assert (await rig.device_codes(lock))[CLERK_CODE] == "First"
    assert (await rig.update_auth(lock, auth_id, {"name": "Second"})).status == 204
    await applied(rig, lock)
    assert (await rig.device_codes(lock))[CLERK_CODE] == "Second"


# --- partial-update-clears-times --------------------------------------------------------------


@pytest.mark.parametrize(
    "after",
    [
        pytest.param({**OFFICE, **DATED}, marks=quirk(off=[quirks.PARTIAL_UPDATE_CLEARS_TIMES]), id="off"),
        pytest.param(NO_WINDOW, id="on"),
    ],
)  # fmt: skip
async def test_a_rename_keeps_or_clears_the_time_fields(rig: Rig, after: dict[str, Any]):
    """A rename with only ``{name, code}``: by default (Nuki's documented behaviour) the time
    fields are cleared and the code opens on Saturday; with the quirk off they are kept."""
    lock = await rig.new_lock(timezone="UTC")
    auth_id = await rig.add_listed_code(lock, CLERK, CLERK_CODE, **OFFICE, **DATED)
    body = {"name": "Renamed", "code": CLERK_CODE}
    assert (await rig.update_auth(lock, auth_id, body)).status == 204
    await applied(rig, lock)
    listed = await rig.listed(lock, "Renamed")
    assert listed is not None
    assert times(listed) == after
    await rig.advance_to(SATURDAY_NOON)
    assert (await rig.keypad(lock, CLERK_CODE))[0] is (after == NO_WINDOW)


@quirk(off=[quirks.PARTIAL_UPDATE_CLEARS_TIMES])
async def test_with_the_quirk_off_a_given_field_replaces_and_null_clears(rig: Rig):
    """Only the omitted fields are kept: a given one is replaced, a null one cleared."""
    lock = await rig.new_lock(timezone="UTC")
    auth_id = await rig.add_listed_code(lock, CLERK, CLERK_CODE, **OFFICE, **DATED)
    body = {"name": CLERK, "allowedFromTime": 9 * 60, "allowedUntilDate": None}
    assert (await rig.update_auth(lock, auth_id, body)).status == 204
    await applied(rig, lock)
    listed = await rig.listed(lock, CLERK)
    assert listed is not None
    assert times(listed) == {**OFFICE, "allowedFromTime": 9 * 60}
    await rig.advance_to(MONDAY_NIGHT)
    assert await rig.keypad(lock, CLERK_CODE) == (
        False,
        "outside the daily window at 22:00 local time",
    )


@quirk(off=[quirks.PARTIAL_UPDATE_CLEARS_TIMES])
async def test_with_the_quirk_off_the_merged_schedule_is_checked(rig: Rig):
    """A start time after the kept end time is 400, and nothing is queued: the check is made
    on what the update would leave, not on the fields it names."""
    lock = await rig.new_lock(timezone="UTC")
    auth_id = await rig.add_listed_code(lock, CLERK, CLERK_CODE, **OFFICE)
    reply = await rig.update_auth(lock, auth_id, {"name": CLERK, "allowedFromTime": 19 * 60})
    assert reply.status == 400
    assert "allowedUntilTime" in reply.body["detailMessage"]
    assert (await rig.device(lock))["queue"] == []
    ok = await rig.update_auth(lock, auth_id, {"name": CLERK, "allowedUntilTime": 20 * 60})
    assert ok.status == 204
    await applied(rig, lock)
    listed = await rig.listed(lock, CLERK)
    assert listed is not None
    assert times(listed)["allowedUntilTime"] == 20 * 60
    assert times(listed)["allowedFromTime"] == 8 * 60
