"""Decentral webhooks: subscriptions, a per-subscription outbox, retries and delivery logs.

The domain decides *what* is delivered, in which order and *when* it is due; the HTTP
layer only carries out the POST and reports back. Every event is serialized once, at the
moment it happens, into the exact bytes that are signed and sent, so a retry sends the same
bytes. An item leaves the outbox only when a receiver answered 2xx: at-least-once, in
event order per subscription (and so per lock), and nothing is dropped by deactivation,
restarts or snapshots.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from simulator.domain import messages
from simulator.domain.errors import BadParameter

FEATURES = (
    "DEVICE_STATUS",
    "DEVICE_MASTERDATA",
    "DEVICE_CONFIG",
    "DEVICE_LOGS",
    "DEVICE_AUTHS",
    "ACCOUNT_USER",
)
LOG_KEEP = 300  # Nuki Web keeps the last 300 deliveries per API key
SIGNATURE_HEADER = "X-Nuki-Signature-SHA256"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff on the simulator's clock, and when to give up on a receiver."""

    first: float = 10.0
    factor: float = 2.0
    ceiling: float = 3600.0
    deactivate_after: int = 20  # consecutive failed attempts

    def delay(self, attempts: int) -> timedelta:
        seconds = min(self.ceiling, self.first * self.factor ** max(0, attempts - 1))
        return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Pending:
    """One event waiting in a subscription's outbox."""

    seq: int
    feature: str
    smartlock_id: int | None
    body: str  # the exact JSON text that is signed and sent
    created: datetime
    attempts: int = 0
    due: datetime | None = None  # None: due at once


@dataclass(frozen=True)
class Attempt:
    """One delivery attempt, as ``GET /api/key/{apiKeyId}/webhook/logs`` shows it."""

    id: str
    subscription_id: int
    account_id: int
    api_key_id: int
    seq: int
    url: str
    body: str
    succeeded: bool
    status: int  # 0 when no HTTP answer came (refused, timeout)
    duration_ms: int
    error: str
    response_body: str
    at: datetime


@dataclass
class Subscription:
    id: int
    account_id: int
    api_key_id: int
    url: str
    features: tuple[str, ...]
    secret: str
    created: datetime
    active: bool = True
    failures: int = 0  # consecutive failed attempts
    sent_ok: int = 0
    sent_failed: int = 0
    outbox: deque[Pending] = field(default_factory=deque)

    def head(self, now: datetime) -> Pending | None:
        """The next item to send now, or None (inactive, empty, or waiting for a retry)."""
        if not self.active or not self.outbox:
            return None
        item = self.outbox[0]
        return item if item.due is None or item.due <= now else None


def sign(secret: str, body: bytes) -> str:
    """``X-Nuki-Signature-SHA256``: lowercase hex HMAC-SHA256 of the body, keyed by the secret."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def check_registration(raw: object) -> tuple[str, tuple[str, ...]]:
    """Check ``{webhookUrl, webhookFeatures}``; 400 for an unknown feature or a bad URL."""
    if not isinstance(raw, dict):
        raise BadParameter("The request body must be a JSON object")
    url = raw.get("webhookUrl")
    if not isinstance(url, str) or not url_allowed(url):
        raise BadParameter(
            messages.invalid_value("webhookUrl", url),
            hint="an https URL; plain http only to a loopback address (127.0.0.1, ::1, localhost)",
        )
    features = raw.get("webhookFeatures")
    if not isinstance(features, list) or not features:
        raise BadParameter(
            messages.invalid_value("webhookFeatures", features),
            hint=f"a non-empty list of: {', '.join(FEATURES)}",
        )
    for feature in features:
        if feature not in FEATURES:
            raise BadParameter(
                messages.invalid_value("webhookFeatures", feature),
                hint=f"features are: {', '.join(FEATURES)}",
            )
    if len(set(features)) != len(features):
        raise BadParameter(messages.invalid_value("webhookFeatures", features), hint="no repeats")
    return url, tuple(features)


def url_allowed(url: str) -> bool:
    """https anywhere; plain http only to loopback, which is what local test receivers use."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError:
        return False
    del port
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https") or len(url) > 2048:
        return False
    if parts.scheme == "https":
        return True
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def after_success(sub: Subscription) -> None:
    sub.outbox.popleft()
    sub.failures = 0
    sub.sent_ok += 1


def after_failure(sub: Subscription, now: datetime, policy: RetryPolicy) -> None:
    """Keep the item at the head with a later due time; deactivate after too many failures."""
    item = sub.outbox[0]
    attempts = item.attempts + 1
    sub.outbox[0] = replace(item, attempts=attempts, due=now + policy.delay(attempts))
    sub.failures += 1
    sub.sent_failed += 1
    if sub.failures >= policy.deactivate_after:
        sub.active = False


def reactivate(sub: Subscription) -> None:
    """Deliver again from where it stopped; the outbox was kept while deactivated."""
    sub.active = True
    sub.failures = 0
    if sub.outbox:
        sub.outbox[0] = replace(sub.outbox[0], due=None)
