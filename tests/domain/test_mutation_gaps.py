"""Edges that mutation testing found unguarded: weekday bits, window bounds, device updates, sync.

Each test pins one boundary a plausible slip would move (a swapped bit, ``<`` for ``<=``, an
``or`` for an ``and``, a field left out of an update), so that the slip fails a test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain import rules, webhooks
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import Action, AuthType, LockState, StateTrigger
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.errors import BadParameter, Unprocessable
from nuki_sim.simulator.domain.model import (
    Auth,
    AuthChanges,
    CreateAuth,
    DeleteAuth,
    Device,
    LockAction,
    LockStatus,
    Outcome,
    Schedule,
    UpdateAuth,
    evolve,
)
from nuki_sim.simulator.domain.schedule import refusal
from nuki_sim.simulator.domain.sync import MAX_LISTED_FAILURES
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http import parse

UTC_ZONE = "UTC"
BERLIN = "Europe/Berlin"
SATURDAY_NOON = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # 2026-01-10 is a Saturday
SUNDAY_NOON = datetime(2026, 1, 11, 12, 0, tzinfo=UTC)
MONDAY_0030 = datetime(2026, 1, 5, 0, 30, tzinfo=UTC)
MONDAY_0100 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
MONDAY_0800 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
MONDAY_1800 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
SATURDAY_2330_UTC = datetime(2026, 1, 10, 23, 30, tzinfo=UTC)  # already Sunday in Berlin
SATURDAY, SUNDAY, MONDAY = 2, 1, 64
EIGHT, SIX_PM, ONE_AM = 8 * 60, 18 * 60, 60
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(minutes=5)
CONFIG = SimConfig()
PUSH = timedelta(seconds=CONFIG.push_delay)
GUEST_CODE, OTHER_CODE = 345678, 456789
ACCOUNT_USER = 200_001
NUKI_INVALID = "The supplied value '{}' for parameter '{}' is not valid"


def invalid(parameter: str, value: object) -> str:
    return NUKI_INVALID.format(value, parameter)


# --- schedule.refusal: weekdays, the daily window, the date window --------------------------


@pytest.mark.parametrize(
    ("days", "at", "allowed"),
    [
        (SATURDAY, SATURDAY_NOON, True),
        (SATURDAY, SUNDAY_NOON, False),
        (SUNDAY, SUNDAY_NOON, True),
        (SUNDAY, SATURDAY_NOON, False),
        (MONDAY, MONDAY_0800, True),
        (MONDAY, SUNDAY_NOON, False),
    ],
)
def test_weekday_bits_are_mondays_64_to_sundays_1(days: int, at: datetime, allowed: bool) -> None:
    """Saturday is bit 2 and Sunday bit 1: a code for one of them does not open on the other."""
    assert (refusal(Schedule(allowed_week_days=days), at, UTC_ZONE) is None) is allowed


def test_weekday_refusal_names_the_local_day() -> None:
    """The refusal names the weekday as the lock's zone sees it (Saturday 23:30 UTC is Sunday)."""
    saturday_only = Schedule(allowed_week_days=SATURDAY)
    assert refusal(saturday_only, SATURDAY_2330_UTC, BERLIN) == (
        "not allowed on Sunday (allowedWeekDays)"
    )
    assert refusal(saturday_only, SATURDAY_2330_UTC, UTC_ZONE) is None


def test_a_daily_window_starting_at_midnight_is_enforced() -> None:
    """00:00–01:00 opens at 00:30 and refuses at 01:00: a 0 start is still a window."""
    night = Schedule(allowed_from_time=0, allowed_until_time=ONE_AM)
    assert refusal(night, MONDAY_0030, UTC_ZONE) is None
    assert refusal(night, MONDAY_0100, UTC_ZONE) == "outside the daily window at 01:00 local time"


def test_the_daily_window_includes_its_start_and_excludes_its_end() -> None:
    """08:00–18:00 opens at exactly 08:00 and refuses at exactly 18:00 (local time)."""
    office = Schedule(allowed_from_time=EIGHT, allowed_until_time=SIX_PM)
    assert refusal(office, MONDAY_0800, UTC_ZONE) is None
    assert refusal(office, MONDAY_1800, UTC_ZONE) == "outside the daily window at 18:00 local time"
    assert refusal(office, MONDAY_0800 - timedelta(minutes=1), UTC_ZONE) == (
        "outside the daily window at 07:59 local time"
    )


def test_the_date_window_includes_its_start_and_excludes_its_end() -> None:
    """A code valid from 08:00 to 18:00 UTC opens at 08:00 sharp and is expired at 18:00 sharp."""
    window = Schedule(allowed_from_date=MONDAY_0800, allowed_until_date=MONDAY_1800)
    assert refusal(window, MONDAY_0800, UTC_ZONE) is None
    assert refusal(window, MONDAY_0800 - timedelta(seconds=1), UTC_ZONE) == (
        "not yet valid (before allowedFromDate)"
    )
    assert refusal(window, MONDAY_1800, UTC_ZONE) == "expired (after allowedUntilDate)"


# --- rules: the synchronous checks and their texts ------------------------------------------


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("34567", "a keypad code has exactly 6 digits"),
        ("345670", "keypad codes cannot contain the digit 0"),
        ("123456", "keypad codes cannot start with '12'"),
    ],
)
def test_each_refused_code_says_which_rule_it_broke(code: str, hint: str) -> None:
    """The hint (shown as the X-Sim-Hint header) names the one rule the code broke."""
    with pytest.raises(BadParameter) as refused:
        rules.check_code(code)
    assert (refused.value.message, refused.value.hint) == (invalid("code", code), hint)


def test_a_one_character_name_is_accepted() -> None:
    """The shortest name, one character, is a name."""
    assert rules.check_name("x", keypad=True) == "x"


def test_a_blank_name_is_refused_as_nuki_does() -> None:
    """A name of spaces is no name: 400 with Nuki's text for the parameter ``name``."""
    with pytest.raises(BadParameter) as refused:
        rules.check_name("  ", keypad=False)
    assert (refused.value.message, refused.value.hint) == (
        invalid("name", "  "),
        "a name is required",
    )


def test_a_keypad_name_of_21_characters_is_a_422_saying_the_limit() -> None:
    """Keypad code names stop at 20 characters; the 422 says the limit and the length given."""
    assert rules.check_name("x" * 20, keypad=True) == "x" * 20
    with pytest.raises(Unprocessable) as refused:
        rules.check_name("x" * 21, keypad=True)
    assert refused.value.message == "keypad code names are at most 20 characters, got 21"
    assert refused.value.hint == "shorten the name"


def test_other_names_stop_at_32_characters() -> None:
    """An app authorization's name may have 32 characters (over 20), not 33."""
    assert rules.check_name("x" * 32, keypad=False) == "x" * 32
    with pytest.raises(BadParameter) as refused:
        rules.check_name("x" * 33, keypad=False)
    assert refused.value.message == invalid("name", "x" * 33)
    assert refused.value.hint == "names are at most 32 characters"


def test_a_date_window_ending_where_it_starts_is_refused() -> None:
    """allowedUntilDate equal to allowedFromDate is an empty window: 400 naming the end."""
    with pytest.raises(BadParameter) as refused:
        rules.check_schedule(Schedule(allowed_from_date=T0, allowed_until_date=T0))
    assert refused.value.message == invalid("allowedUntilDate", "2026-01-05T09:00:00.000Z")
    assert refused.value.hint == "allowedUntilDate must be after allowedFromDate"
    one_ms = Schedule(allowed_from_date=T0, allowed_until_date=T0 + timedelta(milliseconds=1))
    assert rules.check_schedule(one_ms) == one_ms


@pytest.mark.parametrize("days", [0, 1, 127])
def test_weekday_masks_from_0_to_127_are_accepted(days: int) -> None:
    """Every bitmask of the seven days, including none and all, is a valid allowedWeekDays."""
    schedule = Schedule(allowed_week_days=days)
    assert rules.check_schedule(schedule) == schedule


@pytest.mark.parametrize("days", [-1, 128])
def test_weekday_masks_outside_0_to_127_are_refused(days: int) -> None:
    """A mask with a bit beyond Monday (or a negative one) is refused, naming the field."""
    with pytest.raises(BadParameter) as refused:
        rules.check_schedule(Schedule(allowed_week_days=days))
    assert refused.value.message == invalid("allowedWeekDays", days)
    assert refused.value.hint == (
        "allowedWeekDays is a bitmask from 0 to 127 (Monday 64, ..., Sunday 1)"
    )


@pytest.mark.parametrize(
    ("field", "start", "end", "value"),
    [
        ("allowedFromTime", 1440, 1439, 1440),
        ("allowedFromTime", -1, 10, -1),
        ("allowedUntilTime", 0, 1440, 1440),
    ],
)
def test_minutes_outside_the_day_are_refused(field: str, start: int, end: int, value: int) -> None:
    """Times are 0 to 1439 minutes; 1440 or -1 is refused naming the field."""
    with pytest.raises(BadParameter) as refused:
        rules.check_schedule(Schedule(allowed_from_time=start, allowed_until_time=end))
    assert refused.value.message == invalid(field, value)
    assert (
        refused.value.hint == "times are minutes from midnight, 0 to 1439, in the lock's time zone"
    )


def test_the_last_minute_of_the_day_is_a_valid_end() -> None:
    """A window may end at 1439 (23:59)."""
    schedule = Schedule(allowed_from_time=0, allowed_until_time=1439)
    assert rules.check_schedule(schedule) == schedule


@pytest.mark.parametrize(("start", "end"), [(EIGHT, EIGHT), (EIGHT, 0), (SIX_PM, EIGHT)])
def test_a_daily_window_must_end_after_it_starts(start: int, end: int) -> None:
    """A window ending at or before its start, even one ending at 0, is refused naming the end."""
    with pytest.raises(BadParameter) as refused:
        rules.check_schedule(Schedule(allowed_from_time=start, allowed_until_time=end))
    assert refused.value.message == invalid("allowedUntilTime", end)
    assert refused.value.hint == "allowedUntilTime must be later in the day than allowedFromTime"


# --- device.apply_auth: what the lock does with a command ------------------------------------


def keypad_auth(auth_id: str = "a1", code: int | None = GUEST_CODE, **fields: object) -> Auth:
    auth = Auth(
        id=auth_id,
        smartlock_id=1,
        auth_id=0,
        type=AuthType.KEYPAD_CODE,
        name="Guest",
        enabled=True,
        remote_allowed=False,
        creation_date=T0,
        update_date=T0,
        code=code,
    )
    return replace(auth, **fields)  # type: ignore[arg-type]


def create(auth: Auth) -> CreateAuth:
    return CreateAuth(f"op-{auth.id}", T0, auth)


def changes(**fields: object) -> AuthChanges:
    base = AuthChanges(
        name=None, enabled=None, remote_allowed=None, code=None, schedule=Schedule(),
        account_user_id=None,
    )  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


def device_with(*auths: Auth) -> Device:
    device = Device(timezone=UTC_ZONE, keypad_paired=True)
    for auth in auths:
        assert dev.apply_auth(device, create(auth), T0, CONFIG).ok
    return device


def test_each_create_takes_the_next_slot_and_the_device_time() -> None:
    """The device numbers authorizations 1, 2, … in order and stamps them with its time."""
    device = Device(timezone=UTC_ZONE, keypad_paired=True)
    first, second = create(keypad_auth("a1")), create(keypad_auth("a2", OTHER_CODE))
    assert dev.apply_auth(device, first, T0, CONFIG) == Outcome(first, T0)
    assert dev.apply_auth(device, second, LATER, CONFIG) == Outcome(second, LATER)
    assert (device.auths["a1"].auth_id, device.auths["a2"].auth_id) == (1, 2)
    assert (device.auths["a1"].update_date, device.auths["a2"].update_date) == (T0, LATER)
    assert device.next_slot == 3


def test_the_last_free_place_is_taken_and_then_the_lock_is_full() -> None:
    """With room for two codes the second create succeeds and the third fails with MAX_USER."""
    config = SimConfig(max_keypad_codes=2)
    device = Device(timezone=UTC_ZONE, keypad_paired=True)
    assert dev.apply_auth(device, create(keypad_auth("a1")), T0, config).ok
    assert dev.apply_auth(device, create(keypad_auth("a2", OTHER_CODE)), T0, config).ok
    third = create(keypad_auth("a3", 567891))
    assert dev.apply_auth(device, third, LATER, config) == Outcome(third, LATER, dev.ERR_MAX_USER)
    assert set(device.auths) == {"a1", "a2"}


def test_a_second_create_of_the_same_code_fails_on_the_lock() -> None:
    """The device refuses a code it already holds, at the time it sees the command."""
    device = device_with(keypad_auth("a1"))
    again = create(keypad_auth("a2"))
    assert dev.apply_auth(device, again, LATER, CONFIG) == Outcome(
        again, LATER, dev.ERR_CODE_EXISTS
    )
    assert set(device.auths) == {"a1"}


def test_the_code_index_follows_creates_updates_and_deletes() -> None:
    """The index a create reads is the device's codes after every kind of change: a freed code
    can be taken again at once, a changed code is taken, a deleted one is free."""
    device = device_with(keypad_auth("a1"), keypad_auth("a2", OTHER_CODE))
    recode = UpdateAuth("op-u", LATER, "a1", changes(code=567891))
    assert dev.apply_auth(device, recode, LATER, CONFIG).ok
    assert dev.keypad_codes(device) == {567891: "a1", OTHER_CODE: "a2"}
    assert dev.apply_auth(device, create(keypad_auth("a3")), LATER, CONFIG).ok  # GUEST_CODE free
    taken = create(keypad_auth("a4", 567891))
    assert dev.apply_auth(device, taken, LATER, CONFIG).error == dev.ERR_CODE_EXISTS
    assert dev.apply_auth(device, DeleteAuth("op-d", LATER, "a2"), LATER, CONFIG).ok
    assert dev.keypad_codes(device) == {567891: "a1", GUEST_CODE: "a3"}
    assert dev.apply_auth(device, create(keypad_auth("a5", OTHER_CODE)), LATER, CONFIG).ok


def test_a_code_placed_from_outside_is_seen_after_forget_codes() -> None:
    """A writer of ``device.auths`` outside device.py (demo data, restores) drops the index."""
    device = device_with(keypad_auth("a1"))
    device.auths["a2"] = keypad_auth("a2", OTHER_CODE)
    dev.forget_codes(device)
    assert dev.keypad_codes(device) == {GUEST_CODE: "a1", OTHER_CODE: "a2"}


def test_evolve_copies_fields_only_and_refuses_unknown_ones() -> None:
    """``evolve`` is ``replace`` without its cost: equal result, no cached attributes carried,
    and a misspelt field is an error rather than a silently ignored keyword."""
    auth = keypad_auth("a1")
    object.__setattr__(auth, "_cached", "stale")
    changed = evolve(auth, auth_id=7, update_date=LATER)
    assert changed == replace(auth, auth_id=7, update_date=LATER)
    assert "_cached" not in changed.__dict__
    with pytest.raises(TypeError, match="no field 'slot'"):
        evolve(auth, slot=7)


def test_app_authorizations_do_not_count_as_keypad_codes() -> None:
    """A lock full of app authorizations still takes a keypad code; codes map code → id."""
    config = SimConfig(max_keypad_codes=1)
    app = keypad_auth("app", type=AuthType.APP, code=None)
    device = device_with(app)
    assert dev.keypad_codes(device) == {}
    assert dev.apply_auth(device, create(keypad_auth("a1")), T0, config).ok
    assert dev.keypad_codes(device) == {GUEST_CODE: "a1"}


def test_an_update_sets_every_field_it_names() -> None:
    """Name, enabled, remoteAllowed, code and accountUserId all reach the device, stamped."""
    device = device_with(keypad_auth())
    wanted = changes(
        name="Cleaner", enabled=False, remote_allowed=True, code=OTHER_CODE,
        account_user_id=ACCOUNT_USER, schedule=Schedule(allowed_week_days=SATURDAY),
    )  # fmt: skip
    update = UpdateAuth("op", T0, "a1", wanted)
    assert dev.apply_auth(device, update, LATER, CONFIG) == Outcome(update, LATER)
    updated = device.auths["a1"]
    assert (
        updated.name, updated.enabled, updated.remote_allowed, updated.code,
        updated.account_user_id, updated.schedule, updated.update_date,
    ) == ("Cleaner", False, True, OTHER_CODE, ACCOUNT_USER, Schedule(allowed_week_days=SATURDAY), LATER)  # fmt: skip
    assert updated.auth_id == 1


def test_an_update_keeps_what_it_does_not_name_but_replaces_the_schedule() -> None:
    """Fields left out stay as they were; the schedule is replaced (cleared) all the same."""
    original = keypad_auth(
        remote_allowed=True, account_user_id=ACCOUNT_USER, schedule=Schedule(allowed_week_days=1)
    )
    device = device_with(original)
    assert dev.apply_auth(device, UpdateAuth("op", T0, "a1", changes()), LATER, CONFIG).ok
    kept = device.auths["a1"]
    assert (kept.name, kept.enabled, kept.remote_allowed, kept.code, kept.account_user_id) == (
        "Guest", True, True, GUEST_CODE, ACCOUNT_USER,
    )  # fmt: skip
    assert kept.schedule == Schedule()


def test_an_update_may_keep_its_own_code_but_not_take_another() -> None:
    """Re-sending a code's own number is fine; taking another code's number fails on the lock."""
    device = device_with(keypad_auth("a1"), keypad_auth("a2", OTHER_CODE))
    own = UpdateAuth("op1", T0, "a1", changes(code=GUEST_CODE))
    assert dev.apply_auth(device, own, T0, CONFIG).ok
    taken = UpdateAuth("op2", T0, "a1", changes(code=OTHER_CODE))
    assert dev.apply_auth(device, taken, LATER, CONFIG) == Outcome(
        taken, LATER, dev.ERR_CODE_EXISTS
    )
    assert device.auths["a1"].code == GUEST_CODE


def test_updating_an_auth_the_lock_does_not_hold_fails() -> None:
    """An update of an id the device does not know fails with ERROR_UNKNOWN and adds nothing."""
    device = device_with()
    update = UpdateAuth("op", T0, "gone", changes(name="x"))
    assert dev.apply_auth(device, update, LATER, CONFIG) == Outcome(
        update, LATER, dev.ERR_NOT_ON_DEVICE
    )
    assert device.auths == {}


def test_deleting_an_auth_already_gone_is_no_error() -> None:
    """Deleting twice, or deleting what the lock never held, succeeds and removes nothing else."""
    device = device_with(keypad_auth("a1"), keypad_auth("a2", OTHER_CODE))
    assert dev.apply_auth(device, DeleteAuth("op1", T0, "a1"), T0, CONFIG).ok
    again = dev.apply_auth(device, DeleteAuth("op2", T0, "a1"), T0, CONFIG)
    assert (again.ok, again.at) == (True, T0)
    assert set(device.auths) == {"a2"}


def test_a_lock_action_is_not_an_authorization_command() -> None:
    """apply_auth refuses a motor action outright (a programming error, not a device error)."""
    with pytest.raises(TypeError, match="not an authorization command"):
        dev.apply_auth(device_with(), LockAction("op", T0, Action.UNLOCK, 0, "", ""), T0, CONFIG)


# --- device: motor and battery -----------------------------------------------------------------


def test_an_action_drains_the_battery_and_starts_the_first_step() -> None:
    """Unlock costs the configured drain, moves to UNLOCKING for motor_seconds, and succeeds."""
    config = SimConfig(battery_drain_per_action=1.5, motor_seconds=2.5)
    device = Device(timezone=UTC_ZONE, keypad_paired=True, battery=50.0)
    device.status = LockStatus(trigger=StateTrigger.MANUAL)
    command = LockAction("op", T0, Action.UNLOCK, 0, "", "")
    outcome, step = dev.start_motion(device, command, T0, config)
    assert (outcome.ok, outcome.at, step) == (True, T0, timedelta(seconds=2.5))
    assert device.status.trigger == StateTrigger.SYSTEM
    assert device.battery == 48.5
    assert (device.status.state, device.status.last_action, device.status.battery_charge) == (
        LockState.UNLOCKING, Action.UNLOCK, 48,
    )  # fmt: skip


def test_a_jammed_motor_blocks_at_once_and_still_costs_battery() -> None:
    """On a jammed lock the action fails with MOTOR_BLOCKED, no step follows, the drain stays."""
    config = SimConfig(battery_drain_per_action=1.0)
    device = Device(timezone=UTC_ZONE, keypad_paired=True, battery=0.5, jammed=True)
    device.status = LockStatus(trigger=StateTrigger.MANUAL, last_action=Action.LOCK)
    command = LockAction("op", T0, Action.UNLOCK, 0, "", "")
    outcome, step = dev.start_motion(device, command, T0, config)
    assert (outcome.command, outcome.at, outcome.error) == (command, T0, dev.ERR_MOTOR_BLOCKED)
    assert step is None
    assert (device.battery, device.status.state) == (0.0, LockState.MOTOR_BLOCKED)
    assert (device.status.last_action, device.status.trigger) == (
        Action.UNLOCK,
        StateTrigger.SYSTEM,
    )


def motion_ends(device: Device) -> datetime | None:
    """When the motor stops (read through a call, so a type checker does not pin it)."""
    return device.motion_ends


def test_unlatch_walks_through_its_steps_with_their_durations() -> None:
    """Unlatch: UNLATCHING (motor) → UNLATCHED (unlatch_seconds) → UNLOCKED, then done."""
    config = SimConfig(motor_seconds=2.0, unlatch_seconds=3.0)
    device = Device(timezone=UTC_ZONE, keypad_paired=True)
    device.motion_ends = T0
    assert dev.motion_step(device, Action.UNLATCH, 1, config) == timedelta(seconds=3)
    assert (device.status.state, device.motion_ends) == (LockState.UNLATCHED, T0)
    last = dev.motion_step(device, Action.UNLATCH, 2, config)
    assert (last, device.status.state, motion_ends(device)) == (None, LockState.UNLOCKED, None)


@pytest.mark.parametrize(
    ("charge", "whole", "critical"),
    [(19.6, 20, False), (19.4, 19, True), (-3.0, 0, True), (120.0, 100, False), (20.0, 20, False)],
)
def test_battery_is_whole_percent_and_critical_below_the_threshold(
    charge: float, whole: int, critical: bool
) -> None:
    """The charge is rounded and clamped to 0–100; critical means strictly below 20 %."""
    status = dev.with_battery(LockStatus(), charge, CONFIG)
    assert (status.battery_charge, status.battery_critical) == (whole, critical)


# --- sync: the auto-sync time and errors cleared by a later success -------------------------


def world_at(now: datetime) -> tuple[World, int]:
    world = World(VirtualClock(now), seed=1)
    account = world.add_account(email="owner@example.com", name="Owner")
    return world, account.account_id


@pytest.mark.parametrize(
    ("now", "sync_minute", "expected"),
    [
        (
            datetime(2026, 1, 5, 9, 37, 12, tzinfo=UTC),
            9 * 60 + 40,
            datetime(2026, 1, 5, 9, 40, tzinfo=UTC),
        ),
        (
            datetime(2026, 1, 5, 9, 37, 12, tzinfo=UTC),
            9 * 60 + 30,
            datetime(2026, 1, 6, 9, 30, tzinfo=UTC),
        ),
        (
            datetime(2026, 1, 5, 9, 37, 12, 250_000, tzinfo=UTC),
            9 * 60 + 40,
            datetime(2026, 1, 5, 9, 40, tzinfo=UTC),
        ),
        (
            datetime(2026, 1, 5, 9, 37, 0, tzinfo=UTC),
            9 * 60 + 37,
            datetime(2026, 1, 6, 9, 37, tzinfo=UTC),
        ),
    ],
    ids=["later-today", "earlier-so-tomorrow", "with-milliseconds", "right-now-so-tomorrow"],
)
def test_the_daily_sync_falls_at_its_minute_whatever_the_minutes_of_now(
    now: datetime, sync_minute: int, expected: datetime
) -> None:
    """The next auto sync is today at its minute if still ahead, else tomorrow (never 'now')."""
    world, account_id = world_at(now)
    lock = world.add_lock(account_id, name="Door", sync_minute=sync_minute)
    assert lock.next_auto_sync == expected


def test_the_daily_sync_runs_at_its_time_and_the_next_is_a_day_on() -> None:
    """At its minute the auto sync runs (it stamps lastSync) and the next is a day on."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=9 * 60 + 30)
    due = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    world.advance(timedelta(hours=1))
    assert lock.cloud.last_sync == due
    assert lock.next_auto_sync == due + timedelta(days=1)


def test_a_manual_sync_stamps_last_sync_with_now() -> None:
    """A sync records when the cloud last heard from the lock."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.advance(timedelta(minutes=5))
    assert world.sync(lock) is True
    assert lock.cloud.last_sync == LATER


def test_an_auth_with_a_failed_update_is_listed_as_the_lock_holds_it() -> None:
    """A code whose update failed is listed, error and all, with the device's own counters."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.enqueue(lock, create(keypad_auth("a2", OTHER_CODE, smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    world.enqueue(lock, UpdateAuth("op-taken", T0, "a1", changes(code=OTHER_CODE)))
    assert world.keypad_entry(lock, GUEST_CODE) == (True, "granted")
    world.sync(lock)
    assert lock.cloud.errors == {"a1": dev.ERR_CODE_EXISTS}
    assert lock.cloud.auths["a1"].lock_count == 1


def test_a_later_successful_update_clears_an_earlier_error() -> None:
    """An update refused by the lock lists its error until a later update of it succeeds."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.enqueue(lock, create(keypad_auth("a2", OTHER_CODE, smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    world.enqueue(lock, UpdateAuth("op-taken", T0, "a1", changes(code=OTHER_CODE)))
    world.sync(lock)
    assert lock.cloud.errors == {"a1": dev.ERR_CODE_EXISTS}
    world.enqueue(lock, UpdateAuth("op-fixed", T0, "a1", changes(name="Fixed")))
    world.sync(lock)
    assert lock.cloud.errors == {}
    assert lock.cloud.auths["a1"].name == "Fixed"


def test_an_update_sent_while_offline_is_reported_at_the_reconnect() -> None:
    """An update queued for an offline lock is applied and listed as soon as it reconnects."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    world.set_online(lock, False)
    world.enqueue(lock, UpdateAuth("op-up", T0, "a1", changes(name="Renamed")))
    (outcome,) = world.set_online(lock, True)
    assert outcome.ok
    assert lock.cloud.auths["a1"].name == "Renamed"


def test_a_keypad_entry_made_offline_reaches_the_cloud_log_at_the_reconnect() -> None:
    """The lock keeps its log while offline and uploads the very entries when it is back."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.set_online(lock, False)
    assert world.keypad_entry(lock, GUEST_CODE) == (False, "unknown code")
    (entry,) = lock.device.unsent_logs
    assert entry not in lock.cloud.logs
    world.set_online(lock, True)
    assert lock.cloud.logs[-1] == entry
    assert lock.device.unsent_logs == []


def test_only_the_newest_failed_creates_stay_listed() -> None:
    """Past the listing limit, the oldest failed creates leave the cloud's list; the newest stay."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("kept", smartlock_id=lock.smartlock_id)))
    failed = [f"dup{n:03d}" for n in range(MAX_LISTED_FAILURES + 2)]
    for auth_id in failed:  # the same code again: each one is refused by the lock
        world.enqueue(lock, create(keypad_auth(auth_id, smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    assert list(lock.cloud.errors) == failed[2:]
    assert set(lock.cloud.auths) == {"kept", *failed[2:]}


def test_a_create_and_delete_sent_offline_leave_nothing_listed_at_the_reconnect() -> None:
    """A code created and deleted while the lock was away is not listed after it reconnects."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.set_online(lock, False)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.enqueue(lock, DeleteAuth("op-del", T0, "a1"))
    assert [o.ok for o in world.set_online(lock, True)] == [True, True]
    assert (lock.cloud.auths, lock.cloud.errors) == ({}, {})


def test_a_delete_sent_offline_unlists_the_code_at_the_reconnect() -> None:
    """A delete that waited for the lock takes the code off the cloud's list when it runs."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    world.set_online(lock, False)
    world.enqueue(lock, DeleteAuth("op-del", T0, "a1"))
    world.set_online(lock, True)
    assert lock.cloud.auths == {}


def test_a_lock_action_queued_first_does_not_hide_the_update_after_it() -> None:
    """Offline, an unlock then a rename queue up; at the reconnect the rename is reported too."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    world.set_online(lock, False)
    world.enqueue(lock, LockAction("op-open", T0, Action.UNLOCK, 0, "", ""))
    world.enqueue(lock, UpdateAuth("op-up", T0, "a1", changes(name="Renamed")))
    world.set_online(lock, True)
    assert lock.cloud.auths["a1"].name == "Renamed"


def test_an_error_cleared_at_a_reconnect_does_not_come_back_at_the_sync() -> None:
    """A failed update pushed earlier is superseded by a later success reported at the
    reconnect: the next sync neither brings its error back nor forgets other pending results."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.enqueue(lock, create(keypad_auth("a1", smartlock_id=lock.smartlock_id)))
    world.enqueue(lock, create(keypad_auth("a2", OTHER_CODE, smartlock_id=lock.smartlock_id)))
    world.sync(lock)
    world.enqueue(lock, UpdateAuth("op-taken", T0, "a1", changes(code=OTHER_CODE)))
    world.enqueue(lock, UpdateAuth("op-a2", T0, "a2", changes(name="Second")))
    world.advance(PUSH)  # both pushed: their results wait for the sync
    waiting = list(lock.cloud.outcomes)
    assert [o.error for o in waiting] == [dev.ERR_CODE_EXISTS, None]
    world.set_online(lock, False)
    world.enqueue(lock, UpdateAuth("op-fixed", LATER, "a1", changes(name="Fixed")))
    world.set_online(lock, True)
    assert lock.cloud.outcomes == waiting[1:]  # a1's old failure is superseded, a2's waits
    assert (lock.cloud.errors, lock.cloud.auths["a1"].name) == ({}, "Fixed")
    world.sync(lock)
    assert (lock.cloud.errors, lock.cloud.auths["a2"].name) == ({}, "Second")


def test_failed_creates_past_the_limit_leave_the_list_at_a_reconnect_too() -> None:
    """Creates refused while reporting a reconnect are capped the same way, without a sync."""
    world, account_id = world_at(T0)
    lock = world.add_lock(account_id, name="Door", sync_minute=0)
    world.set_online(lock, False)
    world.enqueue(lock, create(keypad_auth("kept", smartlock_id=lock.smartlock_id)))
    failed = [f"dup{n:03d}" for n in range(MAX_LISTED_FAILURES + 1)]
    for auth_id in failed:
        world.enqueue(lock, create(keypad_auth(auth_id, smartlock_id=lock.smartlock_id)))
    world.set_online(lock, True)
    assert list(lock.cloud.errors) == failed[1:]
    assert set(lock.cloud.auths) == {"kept", *failed[1:]}


# --- webhooks: retries, deactivation and reactivation ---------------------------------------


def test_reactivation_resets_the_failure_count_and_retries_at_once() -> None:
    """After reactivation one more failure does not deactivate again, and the head is due now."""
    policy = webhooks.RetryPolicy(first=10.0, deactivate_after=2)
    sub = webhooks.Subscription(1, 1, 1, "https://example.com/hook", ("DEVICE_STATUS",), "s", T0)
    sub.outbox.append(webhooks.Pending(1, "DEVICE_STATUS", 1, "{}", T0))
    webhooks.after_failure(sub, T0, policy)
    assert (sub.active, sub.head(T0), sub.outbox[0].due) == (True, None, T0 + timedelta(seconds=10))
    webhooks.after_failure(sub, T0, policy)
    assert (sub.active, sub.failures, sub.sent_failed) == (False, 2, 2)
    webhooks.reactivate(sub)
    assert (sub.active, sub.failures, sub.outbox[0].due) == (True, 0, None)
    assert sub.head(T0) == sub.outbox[0]
    webhooks.after_failure(sub, T0, policy)
    assert sub.active


def test_retry_delays_double_up_to_the_ceiling() -> None:
    """10 s, 20 s, 40 s … and never more than the ceiling."""
    policy = webhooks.RetryPolicy(first=10.0, factor=2.0, ceiling=30.0)
    delays = [policy.delay(n).total_seconds() for n in (0, 1, 2, 3)]
    assert delays == [10.0, 10.0, 20.0, 30.0]


def test_a_success_clears_the_failure_streak() -> None:
    """A delivered event leaves the outbox, counts as sent and resets the consecutive failures."""
    sub = webhooks.Subscription(1, 1, 1, "https://example.com/hook", ("DEVICE_STATUS",), "s", T0)
    sub.outbox.extend(webhooks.Pending(n, "DEVICE_STATUS", 1, "{}", T0) for n in (1, 2))
    webhooks.after_failure(sub, T0, webhooks.RetryPolicy())
    webhooks.after_success(sub)
    assert (sub.failures, sub.sent_ok, sub.sent_failed) == (0, 1, 1)
    assert [item.seq for item in sub.outbox] == [2]


@pytest.mark.parametrize(
    ("address", "allow_private", "allowed"),
    [
        ("8.8.8.8", False, True),
        ("10.0.0.1", False, False),
        ("10.0.0.1", True, True),
        ("fe80::1%eth0", True, True),
        ("fe80::1%eth0", False, False),
        ("0.0.0.1", True, False),
        ("not-an-address", True, False),
    ],
)
def test_webhook_addresses_private_only_when_allowed(
    address: str, allow_private: bool, allowed: bool
) -> None:
    """Public addresses are reachable; private (and zoned link-local) ones only when allowed;
    this-network and unparsable ones never."""
    assert webhooks.address_allowed(address, 443, allow_private=allow_private) is allowed
    if not allow_private:  # refusing private addresses is also the default
        assert webhooks.address_allowed(address, 443) is allowed


def test_webhook_urls_to_private_hosts_only_when_allowed() -> None:
    """url_allowed passes the private-address setting on: refused by default, allowed on request."""
    assert webhooks.url_allowed("https://10.0.0.1/hook", allow_private=True)
    assert not webhooks.url_allowed("https://10.0.0.1/hook")


def test_webhook_bodies_are_compact_utf8_json() -> None:
    """The signed body has no spaces after separators and keeps non-ASCII text as it is."""
    assert webhooks.encode({"a": 1, "b": [1, "é"]}) == '{"a":1,"b":[1,"é"]}'


URL_PROBLEMS = [
    ("https://hooks.example.com/nuki", {}, None),
    ("http://127.0.0.1:9000/hook", {}, None),
    ("https://" + "a" * 2048, {}, "a URL of printable ASCII characters, at most 2048"),
    ("https://hooks.example.com/a b", {}, "a URL of printable ASCII characters, at most 2048"),
    ("https://hooks.example.com/\x07", {}, "a URL of printable ASCII characters, at most 2048"),
    ("https://hooks.example.com:99999/", {}, "not a URL (bad host or port)"),
    ("ftp://hooks.example.com/", {}, "an absolute http(s) URL with a host"),
    ("http://127.0.0.1/hook", {"own_ports": (80,)}, "the URL points at the simulator itself"),
    ("https://127.0.0.1/hook", {"own_ports": (443,)}, "the URL points at the simulator itself"),
    ("https://127.0.0.1/hook", {"own_ports": (80,)}, None),
    ("https://8.8.8.8/hook", {"own_ports": (443,)}, None),
    ("https://hooks.example.com/", {"own_ports": (443,)}, "the URL points at the simulator itself"),
    ("https://224.0.0.1/hook", {}, "unspecified, multicast and reserved addresses cannot receive webhooks"),
    ("https://10.0.0.1/hook", {}, webhooks.PRIVATE_HINT),
    ("http://10.0.0.1/hook", {"allow_private": True}, None),
    ("http://hooks.example.com/", {}, "an https URL; plain http only to a loopback address (127.0.0.1, ::1, localhost)"),
    ("http://receiver/hook", {"allow_private": True}, None),
]  # fmt: skip


@pytest.mark.parametrize(("url", "options", "problem"), URL_PROBLEMS)
def test_each_refused_webhook_url_says_why(
    url: str, options: dict[str, Any], problem: str | None
) -> None:
    """The reason a webhook URL is refused is the hint the registering client reads."""
    assert webhooks.url_problem(url, **options) == problem


FEATURE_LIST = (
    "DEVICE_STATUS, DEVICE_MASTERDATA, DEVICE_CONFIG, DEVICE_LOGS, DEVICE_AUTHS, ACCOUNT_USER"
)
GOOD_URL = "https://hooks.example.com/nuki"
REGISTRATION_REFUSALS = [
    ([], ("The request body must be a JSON object", None)),
    ({"webhookUrl": 5, "webhookFeatures": ["DEVICE_STATUS"]}, (invalid("webhookUrl", "null"), "webhookUrl is a string")),
    ({"webhookUrl": "https://h.example/\u00e9", "webhookFeatures": ["DEVICE_STATUS"]}, (invalid("webhookUrl", "null"), "a URL of printable ASCII characters, at most 2048")),
    ({"webhookUrl": "https://10.0.0.1/", "webhookFeatures": ["DEVICE_LOGS"]}, (invalid("webhookUrl", "https://10.0.0.1/"), webhooks.PRIVATE_HINT)),
    ({"webhookUrl": GOOD_URL, "webhookFeatures": []}, (invalid("webhookFeatures", []), f"a non-empty list of: {FEATURE_LIST}")),
    ({"webhookUrl": GOOD_URL}, (invalid("webhookFeatures", "null"), f"a non-empty list of: {FEATURE_LIST}")),
    ({"webhookUrl": GOOD_URL, "webhookFeatures": ["X"]}, (invalid("webhookFeatures", "X"), f"features are: {FEATURE_LIST}")),
    ({"webhookUrl": GOOD_URL, "webhookFeatures": ["DEVICE_LOGS", "DEVICE_LOGS"]}, (invalid("webhookFeatures", ["DEVICE_LOGS", "DEVICE_LOGS"]), "no repeats")),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), REGISTRATION_REFUSALS)
def test_a_refused_webhook_registration_says_what_and_why(
    raw: object, expected: tuple[str, str | None]
) -> None:
    """Each refused registration names the parameter in Nuki's words; the hint says why."""
    with pytest.raises(BadParameter) as refused:
        webhooks.check_registration(parse.registration(raw))
    assert (refused.value.message, refused.value.hint) == expected


def test_a_webhook_registration_passes_its_options_on() -> None:
    """allow_private and own_ports reach the URL rule; a good registration comes back as given."""
    raw = {"webhookUrl": "http://10.0.0.1/", "webhookFeatures": ["DEVICE_LOGS", "DEVICE_AUTHS"]}
    assert webhooks.check_registration(parse.registration(raw), allow_private=True) == (
        "http://10.0.0.1/",
        ("DEVICE_LOGS", "DEVICE_AUTHS"),
    )
    loopback = {"webhookUrl": "http://127.0.0.1:8080/", "webhookFeatures": ["DEVICE_LOGS"]}
    with pytest.raises(BadParameter) as refused:
        webhooks.check_registration(parse.registration(loopback), own_ports=(8080,))
    assert refused.value.hint == "the URL points at the simulator itself"
