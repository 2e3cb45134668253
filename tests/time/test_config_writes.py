"""Config writes travel like authorization writes, in both time modes: 204 at once, applied by
an online lock after the push delay (then GET shows them and a DEVICE_CONFIG webhook reaches
a real receiver with them), held in the queue while the lock is offline and applied when it
is back."""

from __future__ import annotations

from typing import Any

from tests.time.helpers import CFG, Rig
from tests.webhooks.receiver import Receiver

CONFIG = {
    "name": "Config Door",
    "latitude": 47.07,
    "longitude": 15.44,
    "timezoneId": 37,
    "timezoneOffset": 60,
    "singleLock": True,
    "advertisingMode": 3,
    "ledEnabled": False,
}
ADVANCED = {
    "batteryType": 0,
    "lockedPositionOffsetDegrees": -30,
    "singleLockedPositionOffsetDegrees": -150,
    "unlockedPositionOffsetDegrees": 30,
    "unlockedToLockedTransitionOffsetDegrees": 15,
    "lngTimeout": 45,
}


def subset(shown: dict[str, Any], written: dict[str, Any]) -> dict[str, Any]:
    return {key: shown[key] for key in written}


async def config_hooks(rig: Rig, receiver: Receiver, lock: int) -> list[dict[str, Any]]:
    """The DEVICE_CONFIG payloads the receiver has for ``lock`` once every due one was sent."""
    await rig.smartlock(lock)  # a Nuki request: catches the scheduler up (freezegun mode)
    flushed = await rig.ctl.post("/webhooks/flush", {"timeoutSeconds": 5})
    assert flushed["drained"]
    return [d.payload for d in receiver.for_lock(lock) if d.feature == "DEVICE_CONFIG"]


async def test_online_lock_applies_after_the_push_delay_and_reports_device_config(rig: Rig):
    lock = await rig.new_lock()
    async with Receiver() as receiver:
        body = {"webhookUrl": receiver.url, "webhookFeatures": ["DEVICE_CONFIG"]}
        assert (await rig.api.put("/api/decentralWebhook", body)).status == 200
        before = await rig.smartlock(lock)
        assert (await rig.api.post(f"/smartlock/{lock}/config", CONFIG)).status == 204

        await rig.advance(CFG.push_delay / 2)
        assert await rig.smartlock(lock) == before
        assert await config_hooks(rig, receiver, lock) == []

        await rig.advance(CFG.push_delay)
        after = await rig.smartlock(lock)
        assert subset(after["config"], CONFIG) == CONFIG
        assert after["name"] == CONFIG["name"]
        [hook] = await config_hooks(rig, receiver, lock)
        assert hook == {
            "feature": "DEVICE_CONFIG",
            "smartlockId": lock,
            "config": after["config"],
            "advancedConfig": after["advancedConfig"],
        }


async def test_offline_lock_applies_at_reconnect(rig: Rig):
    lock = await rig.new_lock()
    async with Receiver() as receiver:
        body = {"webhookUrl": receiver.url, "webhookFeatures": ["DEVICE_CONFIG"]}
        assert (await rig.api.put("/api/decentralWebhook", body)).status == 200
        await rig.set_online(lock, False)
        before = await rig.smartlock(lock)
        assert (await rig.api.post(f"/smartlock/{lock}/advanced/config", ADVANCED)).status == 204
        assert (
            await rig.api.post(f"/smartlock/{lock}/admin/pin", {"adminPin": 1357})
        ).status == 204

        await rig.advance(10 * CFG.push_delay)
        assert await rig.smartlock(lock) == before
        queue = (await rig.device(lock))["queue"]
        assert [c["command"] for c in queue] == ["WriteConfig", "WriteConfig"]
        assert await config_hooks(rig, receiver, lock) == []

        await rig.set_online(lock, True)
        after = await rig.smartlock(lock)
        assert subset(after["advancedConfig"], ADVANCED) == ADVANCED
        assert (after["serverState"], after["adminPinState"]) == (0, 0)
        assert (await rig.device(lock))["queue"] == []
        hooks = await config_hooks(rig, receiver, lock)
        assert len(hooks) == 2  # one per applied write, in order
        assert hooks[-1]["advancedConfig"] == after["advancedConfig"]
        assert rig.sim.world.locks[lock].device.config.admin_pin == 1357
