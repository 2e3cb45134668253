"""Helpers of the webhook tests: what a user does over HTTP, and the control plane's view.

Everything a Nuki Web user would do goes through the Nuki routes; time and waiting for
deliveries go through ``/_sim`` (``clock/advance`` and ``webhooks/flush``), never through a
real sleep. All responses are checked against the simulator's OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from tests.client import ApiClient

WEBHOOKS = "/api/decentralWebhook"
ALL_FEATURES = [
    "DEVICE_STATUS",
    "DEVICE_MASTERDATA",
    "DEVICE_CONFIG",
    "DEVICE_LOGS",
    "DEVICE_AUTHS",
    "ACCOUNT_USER",
]
KEYPAD_CODE = 13  # SmartlockAuth.type of a keypad code
PUSH_DELAY = 3  # SimConfig.push_delay: seconds until an online lock receives a command
MOTOR = 2  # SimConfig.motor_seconds: one lock/unlock
ACTION_DONE = PUSH_DELAY + MOTOR  # an action sent now has finished after this many seconds
FLUSH_SECONDS = 5  # real seconds a flush may take at most (local receivers answer in ms)


async def subscribe(api: ApiClient, url: str, features: list[str] | None = None) -> dict[str, Any]:
    """Register a decentral webhook; returns ``{id, secret, webhookUrl, webhookFeatures}``."""
    body = {"webhookUrl": url, "webhookFeatures": ALL_FEATURES if features is None else features}
    reply = await api.put(WEBHOOKS, body)
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def flush(api: ApiClient, timeout: float = FLUSH_SECONDS) -> bool:
    """Wait until every delivery due now was attempted; False if that took over ``timeout``."""
    reply = await api.post("/_sim/webhooks/flush", {"timeoutSeconds": timeout})
    assert reply.status == 200, reply.body
    return bool(reply.body["drained"])


async def advance(api: ApiClient, seconds: float) -> None:
    """Move the simulated clock (due jobs and due retries run), then deliver what is due."""
    reply = await api.post("/_sim/clock/advance", {"seconds": seconds})
    assert reply.status == 200, reply.body
    assert await flush(api)


async def webhook_view(api: ApiClient, webhook_id: int) -> dict[str, Any]:
    """The control plane's view of one subscription (active, failures, outbox, nextAttempt)."""
    reply = await api.get("/_sim/webhooks")
    assert reply.status == 200
    return next(view for view in reply.body if view["id"] == webhook_id)


async def attempts(api: ApiClient, webhook_id: int) -> list[dict[str, Any]]:
    """One subscription's delivery attempts, oldest first."""
    reply = await api.get("/_sim/webhooks/deliveries", params={"webhookId": str(webhook_id)})
    assert reply.status == 200
    return list(reversed(reply.body))


async def create_code(api: ApiClient, smartlock_id: int, name: str, code: int) -> None:
    body = {"type": KEYPAD_CODE, "name": name, "code": code}
    reply = await api.put(f"/smartlock/{smartlock_id}/auth", body)
    assert reply.status == 204, reply.body


async def sync(api: ApiClient, smartlock_id: int) -> None:
    reply = await api.post(f"/smartlock/{smartlock_id}/sync")
    assert reply.status == 204, reply.body


async def act(api: ApiClient, smartlock_id: int, verb: str) -> None:
    """``verb`` is ``lock`` or ``unlock``; the lock runs it after the push delay."""
    reply = await api.post(f"/smartlock/{smartlock_id}/action/{verb}")
    assert reply.status == 204, reply.body


async def rename(api: ApiClient, smartlock_id: int, name: str) -> None:
    reply = await api.post(f"/smartlock/{smartlock_id}", {"name": name})
    assert reply.status == 204, reply.body


async def set_online(api: ApiClient, smartlock_id: int, online: bool) -> None:
    reply = await api.post(f"/_sim/smartlocks/{smartlock_id}/connectivity", {"online": online})
    assert reply.status == 200, reply.body
