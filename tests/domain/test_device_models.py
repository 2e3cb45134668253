"""Device models as data: the catalogue, each lock's keypad capacity, what a model refuses."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nuki_sim.simulator.domain import devices, snapshot, wire
from nuki_sim.simulator.domain.api import Session, open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import DEVICE_TYPES, AuthType, DoorState, LockMode
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.device import ERR_MAX_USER, apply_auth
from nuki_sim.simulator.domain.device_config import ConfigWrite
from nuki_sim.simulator.domain.errors import BadParameter, Conflict
from nuki_sim.simulator.domain.inputs import AuthCreate, NewLock
from nuki_sim.simulator.domain.model import ALWAYS, Auth, CreateAuth, Device, Lock
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LOCK_ACTIONS = {1, 2, 3, 4, 5}  # Swagger SmartlockAction.action, types 0/3/4/5
OPENER_ACTIONS = {1, 2, 3, 6, 7}  # type 2
KEYPAD_CODE = 13


def world_with(
    model: str, keypad: str | None = None, config: SimConfig | None = None
) -> tuple[World, Session, Lock]:
    world = World(VirtualClock(T0), seed=5, config=config)
    account = world.add_account(email="owner@example.com", name="Owner")
    token = world.add_token(account.account_id)
    lock = world.add_lock(
        account.account_id, name="Door", model=model, keypad_model=keypad, sync_minute=0
    )
    return world, open_session(world, f"Bearer {token.token}"), lock


def code_auth(lock: Lock, n: int) -> Auth:
    return Auth(
        id=f"{n:024x}", smartlock_id=lock.smartlock_id, auth_id=0, type=AuthType.KEYPAD_CODE,
        name=f"Code {n}", enabled=True, remote_allowed=False, creation_date=T0, update_date=T0,
        code=100000 + n,
    )  # fmt: skip


def keypad_code(code: int) -> AuthCreate:
    return AuthCreate(f"Code {code}", AuthType.KEYPAD_CODE, code, ALWAYS, False, False, None)


# --- the catalogue -------------------------------------------------------------------------


def test_every_device_type_of_the_swagger_has_a_model():
    assert {m.type for m in devices.MODELS.values()} == set(DEVICE_TYPES)


def test_the_brief_s_smart_locks_are_type_4_and_the_first_is_the_default():
    names = ("Smart Lock 3.0", "Smart Lock 3.0 Pro", "Smart Lock 4.0", "Smart Lock 4.0 Pro")
    assert {devices.MODELS[n].type for n in names} == {devices.SMARTLOCK}
    assert next(iter(devices.MODELS)) == devices.DEFAULT_MODEL == "Smart Lock 3.0 Pro"


@pytest.mark.parametrize("spec", devices.MODELS.values(), ids=lambda m: m.name)
def test_each_model_is_consistent(spec: devices.DeviceModel):
    assert devices.MODELS[spec.name] is spec
    assert 1 <= spec.product_variant <= 3  # the Swagger's range of productVariant
    assert spec.firmware_version > 0
    assert spec.hardware_version > 0
    assert set(spec.keypads) <= set(devices.KEYPADS)
    assert spec.open_action in spec.actions
    expected = OPENER_ACTIONS if spec.type == devices.OPENER else LOCK_ACTIONS
    assert spec.actions == ({1} if spec.type == devices.BOX else expected)
    assert spec.advanced == {2: "opener", 3: "smartdoor"}.get(spec.type, "advanced")


def test_the_default_model_is_what_every_lock_was_before_models():
    """A lock made without a model reports exactly what the simulator always reported."""
    _, _, lock = world_with(devices.DEFAULT_MODEL)
    body: Any = wire.smartlock(lock)
    assert (body["type"], body["firmwareVersion"], body["hardwareVersion"]) == (4, 0x030904, 0x0A02)
    config = body["config"]
    assert (config["productVariant"], config["deviceType"], config["wifiEnabled"]) == (2, 4, True)
    assert (config["keypadPaired"], config["keypad2Paired"]) == (True, False)
    assert body["state"]["doorState"] == DoorState.DEACTIVATED


# --- capacity per keypad model ---------------------------------------------------------------


@pytest.mark.parametrize(("keypad", "capacity"), [("Keypad", 100), ("Keypad 2", 200)])
def test_the_device_holds_as_many_codes_as_its_keypad(keypad: str, capacity: int):
    device = Device(timezone="UTC", keypad_paired=True, keypad_model=keypad)
    config = SimConfig()
    stub = Lock(0, 0, 0, "x", device, None, T0, T0)  # type: ignore[arg-type]  # ids only
    for n in range(capacity):
        assert apply_auth(device, CreateAuth(f"op{n}", T0, code_auth(stub, n)), T0, config).ok
    over = apply_auth(device, CreateAuth("over", T0, code_auth(stub, capacity)), T0, config)
    assert over.error == ERR_MAX_USER


def test_max_keypad_codes_overrides_every_keypad():
    device = Device(timezone="UTC", keypad_paired=True, keypad_model="Keypad 2")
    config = SimConfig(max_keypad_codes=2)
    stub = Lock(0, 0, 0, "x", device, None, T0, T0)  # type: ignore[arg-type]
    outcomes = [
        apply_auth(device, CreateAuth(f"op{n}", T0, code_auth(stub, n)), T0, config)
        for n in range(3)
    ]
    assert [o.error for o in outcomes] == [None, None, ERR_MAX_USER]
    assert devices.keypad_capacity("Keypad 2", None) == 200
    assert devices.keypad_capacity("Keypad", 7) == 7


@pytest.mark.parametrize(("keypad", "capacity"), [("Keypad", 100), ("Keypad 2", 200)])
def test_the_cloud_refuses_a_code_beyond_the_keypad_s_capacity(keypad: str, capacity: int):
    world, api, lock = world_with("Smart Lock 4.0 Pro", keypad)
    for n in range(capacity - 1):
        world.seed_auth(lock, code_auth(lock, n))
    api.create_auth([lock], keypad_code(999999))  # the last one that fits
    world.advance(timedelta(seconds=world.config.push_delay))
    world.sync(lock)
    with pytest.raises(Conflict):
        api.create_auth([lock], keypad_code(888888))


# --- capabilities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "refused"),
    [
        ("Opener", 4),
        ("Opener", 5),
        ("Box", 2),
        ("Box", 3),
        ("Smart Lock 3.0 Pro", 6),
        ("Smart Door", 7),
    ],
)
def test_an_action_the_model_cannot_do_is_refused_and_nothing_is_queued(model: str, refused: int):
    _, api, lock = world_with(model)
    with pytest.raises(BadParameter, match="parameter 'action'") as caught:
        api.action(lock.smartlock_id, refused)
    assert model in (caught.value.hint or "")
    assert not lock.cloud.queue


def test_an_opener_opens_then_is_back_online_and_takes_continuous_mode():
    world, api, lock = world_with("Opener")
    assert lock.smartlock_id >> 32 == devices.OPENER  # the id's leading digit is the type
    api.action(lock.smartlock_id, 3)  # electric strike actuation
    world.advance(timedelta(seconds=world.config.push_delay))
    assert int(lock.device.status.state) == 7  # opening
    world.advance(timedelta(seconds=world.config.motor_seconds))
    assert int(lock.device.status.state) == 5  # open
    world.advance(timedelta(seconds=world.config.unlatch_seconds))
    assert int(lock.device.status.state) == 1  # online
    api.action(lock.smartlock_id, 6)
    world.advance(timedelta(seconds=world.config.push_delay))
    assert lock.cloud.status.mode == LockMode.CONTINUOUS
    api.action(lock.smartlock_id, 1)  # ring to open
    world.advance(timedelta(seconds=world.config.push_delay))
    assert (int(lock.cloud.status.state), lock.cloud.status.last_action) == (3, 1)


def test_a_model_without_door_sensor_reports_door_state_unavailable():
    for name, spec in devices.MODELS.items():
        _, _, lock = world_with(name)
        expected = DoorState.DEACTIVATED if spec.door_sensor else DoorState.UNAVAILABLE
        assert lock.cloud.status.door_state == expected, name


def test_advanced_configs_follow_the_model():
    _, api, opener = world_with("Opener")
    with pytest.raises(BadParameter, match="smartlockId"):
        api.write_config(opener.smartlock_id, ConfigWrite("advanced", (("lng_timeout", 45),)))
    assert "openerAdvancedConfig" in wire.smartlock(opener)
    _, api, door = world_with("Smart Door")
    assert "smartdoorAdvancedConfig" in wire.smartlock(door)


def test_keypad_2_is_reported_as_keypad2_paired_and_a_box_pairs_none():
    _, _, lock = world_with("Smart Lock 4.0 Pro", "Keypad 2")
    config: Any = wire.smartlock(lock)["config"]
    assert (config["keypadPaired"], config["keypad2Paired"]) == (False, True)
    _, _, box = world_with("Box")
    assert not box.device.keypad_paired


@pytest.mark.parametrize(
    ("model", "keypad", "named"),
    [
        ("Smart Lock 9", None, "unknown model"),
        ("Opener", "Keypad 3", "unknown keypad"),
        ("Smart Lock 2.0", "Keypad 2", "does not pair"),
        ("Box", "Keypad", "does not pair"),
    ],
)
def test_a_new_lock_of_an_unknown_model_or_keypad_is_refused(
    model: str, keypad: str | None, named: str
):
    with pytest.raises(BadParameter, match=named):
        NewLock(model=model, keypad_model=keypad)
    with pytest.raises(BadParameter, match=named):
        world_with(model, keypad)


# --- the demo and snapshots ---------------------------------------------------------------------


def test_the_demo_mixes_models_and_keeps_its_first_lock():
    world = World(VirtualClock(T0), seed=1)
    locks = build_demo(world, locks=5).locks
    assert [(lk.model, lk.device.keypad_paired and lk.device.keypad_model) for lk in locks] == [
        ("Smart Lock 3.0 Pro", "Keypad"), ("Smart Lock 3.0 Pro", False),
        ("Smart Lock 4.0 Pro", "Keypad 2"), ("Opener", "Keypad"), ("Smart Door", "Keypad 2"),
    ]  # fmt: skip
    assert [lk.type for lk in locks] == [4, 4, 4, 2, 3]


def _drop_model(value: Any) -> Any:
    if isinstance(value, list):
        return [_drop_model(v) for v in value]
    if isinstance(value, dict):
        if value.get("$dc") in ("Lock", "Device"):
            kept = {
                k: _drop_model(v)
                for k, v in value["f"].items()
                if k not in ("model", "keypad_model")
            }
            return {**value, "f": kept}
        return {k: _drop_model(v) for k, v in value.items()}
    return value


def test_models_round_trip_and_an_older_snapshot_loads_as_the_one_model_there_was():
    world = World(VirtualClock(T0), seed=2)
    build_demo(world, locks=5)
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=9)
    snapshot.restore(again, data)
    assert again.locks == world.locks
    older = World(VirtualClock(T0), seed=9)
    snapshot.restore(older, _drop_model(data))
    assert {lk.model for lk in older.locks.values()} == {devices.DEFAULT_MODEL}
    assert {lk.device.keypad_model for lk in older.locks.values()} == {devices.DEFAULT_KEYPAD}


def test_a_snapshot_naming_an_unknown_model_is_refused():
    world = World(VirtualClock(T0), seed=2)
    build_demo(world, locks=1)
    text = json.dumps(snapshot.snapshot(world)).replace('"Smart Lock 3.0 Pro"', '"Smart Lock 9"')
    with pytest.raises(BadParameter, match="is no device model"):
        snapshot.restore(World(VirtualClock(T0), seed=1), json.loads(text))


def test_the_docs_table_is_the_catalogue():
    """docs/behaviour.md carries the table :func:`devices.docs_table` makes, unchanged."""
    text = (Path(__file__).parents[2] / "docs" / "behaviour.md").read_text(encoding="utf-8")
    assert devices.docs_table() in text
