"""The reference adapter's traits, actions and events against the real simulator over HTTP.

Every test runs twice: on the simulator's virtual clock and under freezegun (see conftest).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nuki_sim.adapters.traits import (
    CONNECTIVITY_FIELD,
    ActionName,
    ActionQueued,
    ActionStatus,
    ActionUpdated,
    PinCodeCredential,
    RecurringSchedule,
    StateSet,
    TemporarySchedule,
    TraitName,
)
from tests.adapters.conftest import BARE_LOCK, Connect, Rig, TimeMode

LOCK, BATTERY = TraitName.LOCK, TraitName.BATTERY_LEVEL
PINS, CONNECTIVITY = TraitName.BETA_PIN_CODE_CREDENTIALS, TraitName.BETA_CONNECTIVITY
PUSH = timedelta(seconds=10)  # past the push delay (3 s) and a motor run (2 s)
DAY = timedelta(hours=25)  # past every lock's daily auto sync
PIN = "345678"
WEEKDAYS_8_TO_18 = "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0"
TEN_HOURS = 600
VALID_FROM = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
VALID_UNTIL = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
GUEST = {
    "pinCode": PIN,
    "name": "Guest",
    "alwaysActive": False,
    "temporarySchedules": [
        {"startDatetime": "2026-01-05T08:00:00Z", "endDatetime": "2026-01-09T10:00:00Z"}
    ],
    "recurringSchedules": [{"rrule": WEEKDAYS_8_TO_18, "duration": TEN_HOURS}],
}


def credentials(rig: Rig) -> list[PinCodeCredential]:
    return list(rig.reported(PINS, "pinCodeCredentials"))


async def settle(rig: Rig, action_id: str) -> tuple[StateSet, ActionUpdated]:
    """Pass a day; the sync must report the credential list, then settle the action."""
    rig.mark()
    await rig.pass_time(DAY)
    sets = [e for e in rig.since(StateSet) if e.field == "pinCodeCredentials"]
    updates = [e for e in rig.since(ActionUpdated) if e.action_id == action_id]
    assert len(sets) == 1, sets
    assert len(updates) == 1, updates
    events = rig.since()
    assert events.index(sets[0]) < events.index(updates[0]), "state must be set before resolving"
    assert sets[0].action_id == action_id
    return sets[0], updates[0]


async def test_devices_offer_four_traits_with_nuki_properties(rig: Rig) -> None:
    """Each lock is a device with Lock, BatteryLevel, BetaPinCodeCredentials and BetaConnectivity."""
    devices = {d.id: d for d in await rig.adapter.devices()}
    assert set(devices) == {str(lock.smartlock_id) for lock in rig.sim.demo.locks}
    device = devices[rig.device_id()]
    assert set(device.traits) == {LOCK, BATTERY, PINS, CONNECTIVITY}
    assert device.manufacturer == "Nuki"
    assert device.trait(LOCK).properties == {"supportsIsJammed": True}
    properties = device.trait(PINS).properties
    assert properties["maxNumberOfPinCodeCredentials"] == 100
    assert properties["supportedPinCodeRange"] == {"min": 6, "max": 6}
    assert properties["supportedPinCodeCredentialNameRange"] == {"min": 1, "max": 20}
    assert properties["maxNumberOfTemporarySchedulesPerPinCodeCredential"] == 1
    assert properties["maxNumberOfRecurringSchedulesPerPinCodeCredential"] == 1
    assert properties["exclusiveSchedules"] is False


async def test_initial_state_is_what_nuki_reports(rig: Rig) -> None:
    """The first reported state is Nuki's: locked, full battery, online, the listed codes."""
    assert rig.reported(LOCK, "isLocked") is True
    assert rig.reported(LOCK, "isJammed") is False
    assert (rig.reported(BATTERY, "percentage"), rig.reported(BATTERY, "status")) == (100, "NORMAL")
    assert rig.reported(CONNECTIVITY, CONNECTIVITY_FIELD) == "ONLINE"
    status, auths = await rig.send(
        "GET", f"/smartlock/{rig.lock_id()}/auth", params={"types": "13"}
    )
    assert status == 200
    assert {(c.id, c.pin_code) for c in credentials(rig)} == {
        (a["id"], str(a["code"])) for a in auths
    }
    assert credentials(rig), "the demo lock holds keypad codes"


async def test_create_resolves_only_after_the_daily_sync(rig: Rig) -> None:
    """A new code works on the keypad at once but is reported only after Nuki's daily sync."""
    before = credentials(rig)
    rig.mark()
    action = await rig.execute(PINS, ActionName.CREATE_PIN, {"pinCodeCredential": GUEST})
    assert action.status is ActionStatus.PENDING, action.error
    (queued,) = rig.since(ActionQueued)
    assert (queued.action_id, queued.action) == (action.id, ActionName.CREATE_PIN)
    desired = rig.adapter.records[rig.device_id()].device.trait(PINS).state["pinCodeCredentials"]
    assert desired.desired is not None
    assert PIN in {c.pin_code for c in desired.desired.value}
    await rig.pass_time(PUSH)
    typed = await rig.lock_control("keypad", {"code": PIN})
    assert typed == {"granted": True, "reason": "granted"}
    await rig.deliver()
    assert (await rig.adapter.action(action.id)).status is ActionStatus.PENDING
    assert credentials(rig) == before, "a new code must stay invisible until the sync"

    _, update = await settle(rig, action.id)
    assert update.status is ActionStatus.RESOLVED
    credential_id = action.result["credentialId"]
    (created,) = [c for c in credentials(rig) if c.id == credential_id]
    assert created == PinCodeCredential(
        credential_id, PIN, "Guest", False,
        (TemporarySchedule(VALID_FROM, VALID_UNTIL),),
        (RecurringSchedule(WEEKDAYS_8_TO_18, TEN_HOURS),),
    )  # fmt: skip


async def test_update_resolves_only_after_the_daily_sync(rig: Rig) -> None:
    """Renaming a code stays PENDING with the old name reported until the daily sync."""
    target = credentials(rig)[0]
    change = {"id": target.id, "pinCode": target.pin_code, "name": "Renamed"}
    action = await rig.execute(PINS, ActionName.UPDATE_PIN, {"pinCodeCredential": change})
    assert action.status is ActionStatus.PENDING, action.error
    await rig.pass_time(PUSH)
    assert {c.id: c.name for c in credentials(rig)}[target.id] == target.name
    assert action.status is ActionStatus.PENDING

    _, update = await settle(rig, action.id)
    assert update.status is ActionStatus.RESOLVED
    assert action.result == {"credentialId": target.id}
    assert {c.id: c.name for c in credentials(rig)}[target.id] == "Renamed"


async def test_delete_resolves_only_after_the_daily_sync(rig: Rig) -> None:
    """A deleted code stays reported until the daily sync shows it gone."""
    target = credentials(rig)[0]
    action = await rig.execute(PINS, ActionName.DELETE_PIN, {"id": target.id})
    assert action.status is ActionStatus.PENDING, action.error
    await rig.pass_time(PUSH)
    assert target.id in {c.id for c in credentials(rig)}

    state, update = await settle(rig, action.id)
    assert update.status is ActionStatus.RESOLVED
    assert target.id not in {c.id for c in state.value}
    assert target.id not in {c.id for c in credentials(rig)}


async def test_set_locked_resolves_when_nuki_reports_the_state(rig: Rig) -> None:
    """Unlock, then lock: each resolves when DEVICE_STATUS shows the target state."""
    for target in (False, True):
        rig.mark()
        action = await rig.execute(LOCK, ActionName.SET_LOCKED, {"lock": target})
        assert action.status is ActionStatus.PENDING, action.error
        desired = rig.adapter.records[rig.device_id()].device.trait(LOCK).state["isLocked"].desired
        assert desired is not None
        assert (desired.value, desired.action_id) == (target, action.id)
        assert rig.reported(LOCK, "isLocked") is not target
        await rig.pass_time(PUSH)
        assert action.status is ActionStatus.RESOLVED
        assert rig.reported(LOCK, "isLocked") is target
        flips = [e for e in rig.since(StateSet) if e.field == "isLocked"]
        assert [(e.value, e.action_id) for e in flips] == [(target, action.id)]


async def test_jammed_motor_fails_the_lock_action(rig: Rig) -> None:
    """An unlock on a jammed motor ends FAILED and reports isJammed."""
    await rig.lock_control("jam", {"jammed": True})
    action = await rig.execute(LOCK, ActionName.SET_LOCKED, {"lock": False})
    await rig.pass_time(PUSH)
    assert action.status is ActionStatus.FAILED
    assert action.error is not None
    assert action.error.rule == "jammed"
    assert rig.reported(LOCK, "isJammed") is True


async def test_offline_command_waits_for_the_lock_to_reconnect(rig: Rig) -> None:
    """A create for an offline lock is accepted, survives a skipped sync, resolves on reconnect."""
    await rig.lock_control("connectivity", {"online": False})
    action = await rig.execute(PINS, ActionName.CREATE_PIN, {"pinCodeCredential": GUEST})
    assert action.status is ActionStatus.PENDING, action.error
    before = await rig.lock_view()
    await rig.pass_time(DAY)
    after = await rig.lock_view()
    assert after["lastSync"] == before["lastSync"], "the offline lock must skip its sync"
    assert after["nextAutoSync"] != before["nextAutoSync"], "a daily sync must have fallen due"
    assert len(after["queue"]) == 1
    assert action.status is ActionStatus.PENDING

    await rig.lock_control("connectivity", {"online": True})
    assert action.status is ActionStatus.RESOLVED
    assert action.result["credentialId"] in {c.id for c in credentials(rig)}


async def test_duplicate_queued_offline_is_rejected_by_the_lock(rig: Rig) -> None:
    """A code another client queued first makes the adapter's create fail with Nuki's error."""
    await rig.lock_control("connectivity", {"online": False})
    direct = {"type": 13, "name": "Direct", "code": int(PIN)}
    status, _ = await rig.send("PUT", f"/smartlock/{rig.lock_id()}/auth", direct)
    assert status == 204
    action = await rig.execute(PINS, ActionName.CREATE_PIN, {"pinCodeCredential": GUEST})
    assert action.status is ActionStatus.PENDING, action.error

    await rig.lock_control("connectivity", {"online": True})
    assert action.status is ActionStatus.REJECTED
    assert action.error is not None
    assert "K_ERROR_CODE_ALREADY_EXISTS" in action.error.message
    assert [c.name for c in credentials(rig) if c.pin_code == PIN] == ["Direct"]


async def test_connectivity_is_reported_as_events(rig: Rig) -> None:
    """Taking the lock offline and back reports OFFLINE, then ONLINE."""
    rig.mark()
    await rig.lock_control("connectivity", {"online": False})
    await rig.lock_control("connectivity", {"online": True})
    values = [e.value for e in rig.since(StateSet) if e.trait is CONNECTIVITY]
    assert values == ["OFFLINE", "ONLINE"]


async def test_battery_is_reported_as_events(rig: Rig) -> None:
    """A charge of 15 % is CRITICAL and 25 % is LOW, each as state events."""
    rig.mark()
    await rig.lock_control("battery", {"charge": 15})
    await rig.lock_control("battery", {"charge": 25})
    values = [(e.field, e.value) for e in rig.since(StateSet) if e.trait is BATTERY]
    assert values == [
        ("percentage", 15), ("status", "CRITICAL"), ("percentage", 25), ("status", "LOW"),
    ]  # fmt: skip


async def test_action_without_outcome_times_out(time_mode: TimeMode, connect: Connect) -> None:
    """An action still pending after the adapter's action_timeout ends TIMEOUT."""
    rig = await connect(time_mode, action_timeout=timedelta(hours=2))
    await rig.lock_control("connectivity", {"online": False})
    action = await rig.execute(PINS, ActionName.CREATE_PIN, {"pinCodeCredential": GUEST})
    await rig.pass_time(timedelta(hours=1))
    assert (await rig.adapter.action(action.id)).status is ActionStatus.PENDING
    rig.mark()
    await rig.pass_time(timedelta(hours=2))
    assert (await rig.adapter.action(action.id)).status is ActionStatus.TIMEOUT
    assert [e.status for e in rig.since(ActionUpdated)] == [ActionStatus.TIMEOUT]


async def test_lock_without_keypad_has_no_codes(rig: Rig) -> None:
    """The keypad-less lock still reports lock, battery and connectivity state."""
    assert rig.reported(LOCK, "isLocked", BARE_LOCK) is True
    assert rig.reported(CONNECTIVITY, CONNECTIVITY_FIELD, BARE_LOCK) == "ONLINE"
    pins = rig.adapter.records[rig.device_id(BARE_LOCK)].device.trait(PINS)
    assert pins.state["pinCodeCredentials"].reported is None
