"""The adapter's webhook receiver turns away unsigned and forged POSTs and applies signed ones."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable

import pytest

from nuki_sim.adapters.nuki.adapter import SIGNATURE_HEADER
from nuki_sim.adapters.traits import StateSet, TraitName
from tests.adapters.conftest import Rig

UNLOCKED = 3
LOW_CHARGE = 15
WRONG_SECRET = "0" * 40


def status_event(rig: Rig, charge: int = LOW_CHARGE) -> bytes:
    """A DEVICE_STATUS body as Nuki sends it: unlocked, critically low battery."""
    payload = {
        "feature": "DEVICE_STATUS",
        "smartlockId": rig.lock_id(),
        "state": {"state": UNLOCKED, "batteryCharge": charge, "batteryCritical": True},
        "serverState": 0,
    }
    return json.dumps(payload).encode()


def sign(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


async def post(rig: Rig, raw: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    async with rig.http.post(rig.receiver.url, data=raw, headers=headers) as response:
        return response.status


def test_secret_is_the_subscriptions(vrig: Rig) -> None:
    """The adapter verifies with the secret Nuki gave its webhook subscription."""
    assert vrig.adapter.webhook_id is not None
    assert vrig.adapter.secret == vrig.sim.world.subscriptions[vrig.adapter.webhook_id].secret


@pytest.mark.parametrize("forgery", ["unsigned", "empty", "wrong-secret", "other-body", "garbage"])
async def test_unsigned_or_forged_post_is_refused(vrig: Rig, forgery: str) -> None:
    """A POST without a valid signature of its own body gets 401 and changes nothing."""
    raw = status_event(vrig)
    secret = vrig.adapter.secret
    assert secret is not None
    signature = {
        "unsigned": None,
        "empty": "",
        "wrong-secret": sign(WRONG_SECRET, raw),
        "other-body": sign(secret, status_event(vrig, charge=LOW_CHARGE + 1)),
        "garbage": "not-a-signature",
    }[forgery]
    events = len(vrig.adapter.events())
    assert await post(vrig, raw, signature) == 401
    assert len(vrig.adapter.events()) == events
    assert vrig.reported(TraitName.LOCK, "isLocked") is True
    assert vrig.reported(TraitName.BATTERY_LEVEL, "percentage") == 100


@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lower-hex", "upper-hex"])
async def test_signed_post_is_applied(vrig: Rig, case: Callable[[str], str]) -> None:
    """A POST signed with the subscription's secret gets 204 and its state is applied."""
    raw = status_event(vrig)
    assert vrig.adapter.secret is not None
    vrig.mark()
    assert await post(vrig, raw, case(sign(vrig.adapter.secret, raw))) == 204
    assert vrig.reported(TraitName.LOCK, "isLocked") is False
    assert vrig.reported(TraitName.BATTERY_LEVEL, "percentage") == LOW_CHARGE
    assert vrig.reported(TraitName.BATTERY_LEVEL, "status") == "CRITICAL"
    assert {e.field for e in vrig.since(StateSet)} == {"isLocked", "percentage", "status"}


async def test_simulator_deliveries_pass_verification(vrig: Rig) -> None:
    """Every webhook the simulator signed and delivered was accepted with 204."""
    await vrig.lock_control("battery", {"charge": LOW_CHARGE})
    deliveries = await vrig.control("/webhooks/deliveries", method="GET")
    assert deliveries, "the battery change must have been delivered"
    assert {(d["succeeded"], d["responseStatus"]) for d in deliveries} == {(True, 204)}
