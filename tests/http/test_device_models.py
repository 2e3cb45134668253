"""Device models over HTTP: every model made through ``POST /_sim/smartlocks`` and read back
through ``GET /smartlock/{id}`` (checked against the OpenAPI document), and an opener's actions."""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain import devices
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

ADVANCED_KEY = {"advanced": "advancedConfig", "opener": "openerAdvancedConfig",
                "smartdoor": "smartdoorAdvancedConfig"}  # fmt: skip
CFG = SimConfig()


async def create(api: ApiClient, nuki_sim: RunningSimulator, **body: Any) -> Any:
    return await api.post(
        "/_sim/smartlocks", {"accountId": nuki_sim.demo.account.account_id, **body}
    )


async def advance(api: ApiClient, seconds: float) -> None:
    assert (await api.post("/_sim/clock/advance", {"seconds": seconds})).status == 200


@pytest.mark.parametrize("spec", devices.MODELS.values(), ids=lambda m: m.name)
async def test_each_model_is_created_and_read_back_as_nuki_shows_it(
    api: ApiClient, nuki_sim: RunningSimulator, spec: devices.DeviceModel
):
    made = await create(api, nuki_sim, model=spec.name)
    assert made.status == 201
    smartlock_id = made.body["smartlockId"]
    assert smartlock_id >> 32 == spec.type  # the id's leading digit is the device type
    reply = await api.get(f"/smartlock/{smartlock_id}")
    assert reply.status == 200
    body = reply.body
    assert (body["type"], body["firmwareVersion"], body["hardwareVersion"]) == (
        spec.type, spec.firmware_version, spec.hardware_version,
    )  # fmt: skip
    config = body["config"]
    assert (config["deviceType"], config["productVariant"]) == (spec.type, spec.product_variant)
    assert config["wifiEnabled"] is spec.wifi
    keypad = spec.default_keypad
    keypad2 = keypad is not None and devices.KEYPADS[keypad].keypad2
    assert (config["keypadPaired"], config["keypad2Paired"]) == (
        keypad is not None and not keypad2, keypad2,
    )  # fmt: skip
    assert ADVANCED_KEY[spec.advanced] in body
    assert body["state"]["doorState"] == (1 if spec.door_sensor else 0)
    device = await api.get(f"/_sim/smartlocks/{smartlock_id}/device")
    assert (device.body["model"], device.body["keypad"]) == (spec.name, keypad)


async def test_a_keypad_is_chosen_by_name_or_left_out(api: ApiClient, nuki_sim: RunningSimulator):
    two = await create(api, nuki_sim, model="Smart Lock 3.0", keypad="Keypad 2")
    config = (await api.get(f"/smartlock/{two.body['smartlockId']}")).body["config"]
    assert (config["keypadPaired"], config["keypad2Paired"]) == (False, True)
    none = await create(api, nuki_sim, model="Smart Lock 4.0 Pro", keypad=False)
    device = await api.get(f"/_sim/smartlocks/{none.body['smartlockId']}/device")
    assert (device.body["keypadPaired"], device.body["keypad"]) == (False, None)
    plain = await create(api, nuki_sim)  # no model: the one model there always was
    assert (plain.body["type"], plain.body["config"]["productVariant"]) == (4, 2)


@pytest.mark.parametrize(
    ("body", "named", "choices"),
    [
        ({"model": "Smart Lock 9"}, "unknown model", "'Smart Lock 4.0 Pro'"),
        ({"model": "Opener", "keypad": "Keypad 3"}, "unknown keypad", "'Keypad 2'"),
        ({"model": "Smart Lock 2.0", "keypad": "Keypad 2"}, "does not pair", "'Keypad'"),
        ({"model": 4}, "model must be a string", ""),
        ({"keypad": 2}, "keypad is true, false", ""),
    ],
)
async def test_an_unknown_model_or_keypad_is_400_listing_the_choices(
    api: ApiClient, nuki_sim: RunningSimulator, body: dict[str, Any], named: str, choices: str
):
    before = set(nuki_sim.world.locks)
    reply = await create(api, nuki_sim, **body)
    assert reply.status == 400
    assert named in reply.body["detailMessage"]
    assert choices in (reply.headers.get("X-Nuki-Sim-Hint") or "")
    assert set(nuki_sim.world.locks) == before


async def test_an_opener_opens_and_refuses_a_lock_s_actions(
    api: ApiClient, nuki_sim: RunningSimulator
):
    opener = (await create(api, nuki_sim, model="Opener")).body["smartlockId"]
    refused = await api.post(f"/smartlock/{opener}/action", {"action": 4})  # lock 'n' go
    assert refused.status == 400
    assert (
        refused.body["detailMessage"]
        == "The supplied value '4' for parameter 'action' is not valid"
    )
    assert "Opener" in (refused.headers.get("X-Nuki-Sim-Hint") or "")
    assert not nuki_sim.world.locks[opener].cloud.queue
    assert (await api.post(f"/smartlock/{opener}/action", {"action": 3})).status == 204
    await advance(api, CFG.push_delay + CFG.motor_seconds)
    state = (await api.get(f"/smartlock/{opener}")).body["state"]
    assert (state["state"], state["lastAction"]) == (5, 3)  # open, by the electric strike
    await advance(api, CFG.unlatch_seconds)
    assert (await api.get(f"/smartlock/{opener}")).body["state"]["state"] == 1  # online
    assert (await api.post(f"/smartlock/{opener}/action", {"action": 6})).status == 204
    await advance(api, CFG.push_delay)
    assert (await api.get(f"/smartlock/{opener}")).body["state"]["mode"] == 3  # continuous
    logged = (await api.get(f"/smartlock/{opener}/log")).body  # checked against the document
    assert [(e["deviceType"], e["action"]) for e in logged] == [(2, 3)]  # a mode switch: none


async def test_a_box_unlocks_and_logs_as_device_type_0(api: ApiClient, nuki_sim: RunningSimulator):
    box = (await create(api, nuki_sim, model="Box")).body["smartlockId"]
    assert (await api.post(f"/smartlock/{box}/action", {"action": 2})).status == 400
    assert (await api.post(f"/smartlock/{box}/action/unlock")).status == 204
    await advance(api, CFG.push_delay + CFG.motor_seconds)
    assert (await api.get(f"/smartlock/{box}")).body["state"]["state"] == 3  # unlocked
    logged = (await api.get(f"/smartlock/{box}/log")).body
    assert [(e["deviceType"], e["action"]) for e in logged] == [(0, 1)]


async def test_a_smart_lock_refuses_an_opener_action(api: ApiClient, nuki_sim: RunningSimulator):
    lock = nuki_sim.demo.locks[0]
    reply = await api.post(f"/smartlock/{lock.smartlock_id}/action", {"action": 6})
    assert reply.status == 400
    assert not lock.cloud.queue
