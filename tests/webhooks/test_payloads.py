"""What each webhook feature carries and when it is sent (fact sheet §6.4, §7; the seed).

Every payload has ``feature``; a subscription receives only the features it chose.
DEVICE_STATUS follows the cloud's view of the lock, DEVICE_LOGS each log entry that reaches
the cloud, DEVICE_AUTHS each change of the cloud's copy of an authorization (so only after
a sync, or at a reconnect for commands that waited), DEVICE_MASTERDATA and DEVICE_CONFIG
every sync, and DEVICE_MASTERDATA master-data changes and the lock's deletion.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import (
    ACTION_DONE,
    ALL_FEATURES,
    KEYPAD_CODE,
    MOTOR,
    PUSH_DELAY,
    act,
    advance,
    create_code,
    flush,
    rename,
    set_online,
    subscribe,
    sync,
)

EMITTED = [f for f in ALL_FEATURES if f != "ACCOUNT_USER"]  # no account-user events here
STATE_KEYS = {
    "mode", "state", "trigger", "lastAction", "batteryCritical", "batteryCharging",
    "batteryCharge", "keypadBatteryCritical", "doorsensorBatteryCritical", "doorState",
    "ringToOpenTimer", "nightMode",
}  # fmt: skip
STATUS_KEYS = {"feature", "smartlockId", "state", "serverState", "adminPinState"}
MASTERDATA_KEYS = {
    "feature", "deleted", "smartlockId", "accountId", "type", "authId", "name", "favorite",
    "firmwareVersion", "hardwareVersion", "serverState", "adminPinState", "creationDate",
    "updateDate",
}  # fmt: skip
LOCKED, UNLOCKING, UNLOCKED = 1, 2, 3  # Smartlock.State.state
SERVER_OK, SERVER_OFFLINE = 0, 4  # serverState
UNLOCK = 1  # SmartlockLog.action
TRIGGER_WEB, TRIGGER_KEYPAD = 4, 255
LOG_SUCCESS, LOG_INVALID_CODE = 0, 224
GUEST_NAME, GUEST_CODE = "Guest Weber", 345_678
OFFLINE_NAME, OFFLINE_CODE = "Offline guest", 456_789
WRONG_CODE = "999999"
NEW_NAME = "Front Door Renamed"
AN_HOUR = 3_600


def lock_id(sim: RunningSimulator, index: int = 0) -> int:
    """The demo's first and third locks have a keypad; all three are online."""
    return sim.demo.locks[index].smartlock_id


async def smartlock(api: ApiClient, smartlock_id: int) -> dict[str, Any]:
    reply = await api.get(f"/smartlock/{smartlock_id}")
    assert reply.status == 200
    return dict(reply.body)


async def listed_auths(api: ApiClient, smartlock_id: int) -> dict[str, dict[str, Any]]:
    reply = await api.get(f"/smartlock/{smartlock_id}/auth")
    assert reply.status == 200
    return {auth["name"]: auth for auth in reply.body}


async def test_each_subscription_receives_exactly_its_features(
    make_receiver: Any, api: ApiClient, nuki_sim: RunningSimulator
):
    """A one-feature subscription gets exactly that feature's events, byte for byte as an
    all-features subscription gets them, in the same order; every payload names its feature."""
    everything = await make_receiver()
    await subscribe(api, everything.url, ALL_FEATURES)
    single: dict[str, Receiver] = {}
    for feature in ALL_FEATURES:
        single[feature] = await make_receiver()
        await subscribe(api, single[feature].url, [feature])
    lock = lock_id(nuki_sim)
    await rename(api, lock, NEW_NAME)
    await create_code(api, lock, GUEST_NAME, GUEST_CODE)
    await act(api, lock, "unlock")
    await advance(api, ACTION_DONE)
    await sync(api, lock)
    assert await flush(api)
    assert set(everything.features()) == set(EMITTED)
    for feature, one in single.items():
        expected = [d.raw for d in everything.deliveries if d.feature == feature]
        assert one.bodies() == expected, feature
        assert one.features() == [feature] * len(expected)
    assert single["ACCOUNT_USER"].deliveries == []


async def test_device_status_follows_the_motor_and_the_connection(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """DEVICE_STATUS is sent for unlocking, unlocked and going offline, with the full state."""
    await subscribe(api, receiver.url, ["DEVICE_STATUS"])
    lock = lock_id(nuki_sim)
    await act(api, lock, "unlock")
    await advance(api, PUSH_DELAY)
    await advance(api, MOTOR)
    await set_online(api, lock, False)
    assert await flush(api)
    payloads = receiver.payloads()
    assert all(set(p) == STATUS_KEYS and set(p["state"]) == STATE_KEYS for p in payloads)
    assert {p["smartlockId"] for p in payloads} == {lock}
    assert [(p["state"]["state"], p["serverState"]) for p in payloads] == [
        (UNLOCKING, SERVER_OK),
        (UNLOCKED, SERVER_OK),
        (UNLOCKED, SERVER_OFFLINE),
    ]
    cloud = await smartlock(api, lock)
    assert (payloads[-1]["state"], payloads[-1]["serverState"]) == (
        cloud["state"],
        cloud["serverState"],
    )


async def test_device_logs_carries_the_entry_the_log_endpoint_lists(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """DEVICE_LOGS is ``{feature, smartlockLog}`` with the same entry ``GET …/log`` shows."""
    await subscribe(api, receiver.url, ["DEVICE_LOGS"])
    lock = lock_id(nuki_sim)
    await act(api, lock, "unlock")
    await advance(api, ACTION_DONE)
    (payload,) = receiver.payloads()
    assert set(payload) == {"feature", "smartlockLog"}
    entry = payload["smartlockLog"]
    assert (entry["action"], entry["trigger"], entry["state"]) == (
        UNLOCK,
        TRIGGER_WEB,
        LOG_SUCCESS,
    )
    listed = await api.get(f"/smartlock/{lock}/log")
    assert listed.body[0] == entry


async def test_masterdata_on_a_rename_and_on_the_locks_deletion(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """Renaming sends DEVICE_MASTERDATA matching ``GET /smartlock``; deleting sends deleted=true."""
    await subscribe(api, receiver.url, ALL_FEATURES)
    lock = lock_id(nuki_sim)
    await rename(api, lock, NEW_NAME)
    assert await flush(api)
    cloud = await smartlock(api, lock)
    assert (await api.delete(f"/smartlock/{lock}")).status == 204
    assert await flush(api)
    assert receiver.features() == ["DEVICE_MASTERDATA"] * 2
    renamed, deleted = receiver.payloads()
    assert set(renamed) == set(deleted) == MASTERDATA_KEYS
    assert renamed == {"feature": "DEVICE_MASTERDATA", "deleted": False} | {
        key: cloud[key] for key in MASTERDATA_KEYS - {"feature", "deleted"}
    }
    assert renamed["name"] == NEW_NAME
    assert (deleted["deleted"], deleted["smartlockId"]) == (True, lock)


async def test_a_sync_sends_masterdata_then_config_and_nothing_while_offline(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """A manual sync sends DEVICE_MASTERDATA then DEVICE_CONFIG; an offline lock's sync sends none."""
    await subscribe(api, receiver.url, ["DEVICE_CONFIG", "DEVICE_MASTERDATA"])
    lock, offline = lock_id(nuki_sim, 0), lock_id(nuki_sim, 2)
    await set_online(api, offline, False)
    await sync(api, offline)
    await sync(api, lock)
    assert await flush(api)
    assert receiver.features() == ["DEVICE_MASTERDATA", "DEVICE_CONFIG"]
    config = receiver.payloads()[1]
    cloud = await smartlock(api, lock)
    assert config == {
        "feature": "DEVICE_CONFIG",
        "smartlockId": lock,
        "config": cloud["config"],
        "advancedConfig": cloud["advancedConfig"],
    }


async def test_a_code_on_an_online_lock_sends_device_auths_only_after_the_sync(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """The lock has the new code after the push delay, but DEVICE_AUTHS waits for the sync."""
    await subscribe(api, receiver.url, ALL_FEATURES)
    lock = lock_id(nuki_sim)
    await create_code(api, lock, GUEST_NAME, GUEST_CODE)
    await advance(api, PUSH_DELAY)
    on_device = (await api.get(f"/_sim/smartlocks/{lock}/device")).body["auths"]
    assert GUEST_CODE in {auth.get("code") for auth in on_device}
    assert GUEST_NAME not in await listed_auths(api, lock)
    assert receiver.deliveries == []
    await sync(api, lock)
    assert await flush(api)
    assert receiver.features() == ["DEVICE_AUTHS", "DEVICE_MASTERDATA", "DEVICE_CONFIG"]
    created = receiver.payloads()[0]
    assert set(created) == {"feature", "deleted", "smartlockAuth"}
    assert created["deleted"] is False
    listed = (await listed_auths(api, lock))[GUEST_NAME]
    assert created["smartlockAuth"] == listed
    assert (listed["code"], listed["type"], listed["smartlockId"]) == (
        GUEST_CODE,
        KEYPAD_CODE,
        lock,
    )

    receiver.clear()
    assert (await api.delete(f"/smartlock/{lock}/auth/{listed['id']}")).status == 204
    await advance(api, PUSH_DELAY)
    assert receiver.of_feature("DEVICE_AUTHS") == []
    await sync(api, lock)
    assert await flush(api)
    (removed,) = receiver.of_feature("DEVICE_AUTHS")
    assert (removed["deleted"], removed["smartlockAuth"]["id"]) == (True, listed["id"])


async def test_the_daily_auto_sync_sends_device_auths_too(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """Without a manual sync, DEVICE_AUTHS for a new code comes with the lock's daily sync."""
    await subscribe(api, receiver.url, ["DEVICE_AUTHS"])
    lock = lock_id(nuki_sim)
    await create_code(api, lock, GUEST_NAME, GUEST_CODE)
    device = (await api.get(f"/_sim/smartlocks/{lock}/device")).body
    clock = (await api.get("/_sim/clock")).body
    wait = datetime.fromisoformat(device["nextAutoSync"]) - datetime.fromisoformat(clock["now"])
    await advance(api, wait.total_seconds() - 1)
    assert receiver.deliveries == []
    await advance(api, 1)
    (created,) = receiver.payloads()
    assert (created["deleted"], created["smartlockAuth"]["name"]) == (False, GUEST_NAME)


async def test_an_offline_commands_outcome_is_sent_after_the_reconnect(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """A code and an unlock sent to an offline lock, and a wrong code typed at it, produce
    their DEVICE_AUTHS and DEVICE_LOGS only when the lock comes back, after serverState 0."""
    await subscribe(api, receiver.url, ALL_FEATURES)
    lock = lock_id(nuki_sim)
    await set_online(api, lock, False)
    await create_code(api, lock, OFFLINE_NAME, OFFLINE_CODE)
    await act(api, lock, "unlock")
    typed = await api.post(f"/_sim/smartlocks/{lock}/keypad", {"code": WRONG_CODE})
    assert typed.body["granted"] is False
    await advance(api, AN_HOUR)
    offline = [d.payload for d in receiver.for_lock(lock)]
    assert [(p["feature"], p["serverState"]) for p in offline] == [
        ("DEVICE_STATUS", SERVER_OFFLINE)
    ]

    receiver.clear()
    await set_online(api, lock, True)
    await advance(api, MOTOR)
    back = [d.payload for d in receiver.for_lock(lock)]
    assert (back[0]["feature"], back[0]["serverState"]) == ("DEVICE_STATUS", SERVER_OK)
    logs = [p["smartlockLog"] for p in back if p["feature"] == "DEVICE_LOGS"]
    assert [(e["trigger"], e["state"]) for e in logs] == [
        (TRIGGER_KEYPAD, LOG_INVALID_CODE),
        (TRIGGER_WEB, LOG_SUCCESS),
    ]
    (created,) = [p for p in back if p["feature"] == "DEVICE_AUTHS"]
    assert created["deleted"] is False
    assert (created["smartlockAuth"]["name"], created["smartlockAuth"]["code"]) == (
        OFFLINE_NAME,
        OFFLINE_CODE,
    )
    assert "error" not in created["smartlockAuth"]
    states = [p["state"]["state"] for p in back if p["feature"] == "DEVICE_STATUS"]
    assert states == [LOCKED, UNLOCKING, UNLOCKED]
