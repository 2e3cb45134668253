"""Advanced API requests in both time modes: the outcome webhook comes when the lock ran the
command (after the push delay), or, for a lock that stays offline, when the request times
out (60 simulated seconds after the push delay); then the command is gone from the queue."""

from __future__ import annotations

from typing import Any

from nuki_sim.simulator.domain.advanced import TIMEOUT
from tests.time.helpers import CFG, Rig
from tests.webhooks.receiver import Receiver

GIVE_UP = CFG.push_delay + TIMEOUT.total_seconds()  # after the request


async def reports(rig: Rig, receiver: Receiver) -> list[dict[str, Any]]:
    """The API-triggered webhooks that arrived, once everything due is delivered (a Nuki
    request first, so the freezegun mode catches the scheduler up)."""
    assert (await rig.api.get("/smartlock")).status == 200
    flushed = await rig.ctl.post("/webhooks/flush", {"timeoutSeconds": 5})
    assert flushed["drained"]
    return [p for p in receiver.payloads() if "feature" not in p]


async def subscribe(rig: Rig, receiver: Receiver) -> None:
    body = {"webhookUrl": receiver.url, "webhookFeatures": ["DEVICE_STATUS"]}
    assert (await rig.api.put("/api/decentralWebhook", body)).status == 200


async def test_advanced_lock_reports_after_the_push_delay(rig: Rig):
    async with Receiver() as receiver:
        await subscribe(rig, receiver)
        lock = await rig.new_lock()
        reply = await rig.api.post(f"/smartlock/{lock}/action/lock/advanced")
        assert reply.status == 200
        await rig.advance(CFG.push_delay / 2)
        assert await reports(rig, receiver) == []
        await rig.advance(CFG.push_delay / 2)
        assert await reports(rig, receiver) == [
            {
                "type": "LockAction",
                "requestId": reply.body["requestId"],
                "smartlockId": lock,
                "success": True,
            }
        ]


async def test_offline_lock_times_out_and_drops_the_command(rig: Rig):
    async with Receiver() as receiver:
        await subscribe(rig, receiver)
        lock = await rig.new_lock()
        await rig.set_online(lock, False)
        reply = await rig.api.put(
            "/smartlock/auth/advanced",
            {"name": "Late", "accountUserId": 200001, "remoteAllowed": False,
             "smartlockIds": [lock]},
        )  # fmt: skip
        assert reply.status == 200
        await rig.advance(GIVE_UP - 1)
        assert await reports(rig, receiver) == []
        await rig.advance(1)
        (report,) = await reports(rig, receiver)
        assert (report["type"], report["success"]) == ("AuthCreation", False)
        assert report["detail"][0]["errorCode"] == "ff"
        await rig.set_online(lock, True)
        await rig.advance(CFG.push_delay)
        names = [a["name"] for a in (await rig.device(lock))["auths"]]
        assert "Late" not in names
