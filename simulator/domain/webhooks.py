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
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import Registration

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
SECOND_HEADER = "X-Nuki-Signature"  # sent only with the quirk second-signature-header
EVENT_ID_HEADER = "X-Nuki-Sim-Event-Id"  # the same on every retry of one event
ATTEMPT_HEADER = "X-Nuki-Sim-Attempt"  # 1 for the first POST of an event, then 2, 3, ...
URL_MAX = 2048
LOCALHOST_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
LOOPBACK, PRIVATE, PUBLIC, FORBIDDEN, NAME = "loopback", "private", "public", "forbidden", "name"
PRIVATE_HINT = (
    "private and link-local addresses are refused; "
    "allow them with SimConfig(webhook_allow_private=True)"
)
# RFC 1918, carrier-grade NAT, link-local, unique-local and site-local: one site's network.
# (``ipaddress.is_private`` would also count the documentation ranges, which are not.)
_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
        "fc00::/7", "fe80::/10", "fec0::/10",
    )
)  # fmt: skip
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # connecting to 0.x reaches this host


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


def sign_second(secret: str, body: bytes) -> str:
    """``X-Nuki-Signature``: Nuki sends it beside the SHA-256 one with another hex value and
    documents no algorithm; the simulator's choice is HMAC-SHA1 of the body with the secret."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def signatures(secret: str, body: bytes, second: bool) -> dict[str, str]:
    """The signature headers of one delivery (``second``: the quirk second-signature-header)."""
    headers = {SIGNATURE_HEADER: sign(secret, body)}
    if second:
        headers[SECOND_HEADER] = sign_second(secret, body)
    return headers


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def request_id_of(body: str) -> str | None:
    """The ``requestId`` of an API-triggered webhook's body (None for device-triggered ones).

    Read from the bytes that were sent, so delivery logs of older snapshots show it too. A
    quoted ``"requestId"`` can only be a key: inside a JSON string the quotes are escaped."""
    if '"requestId"' not in body:
        return None
    value = json.loads(body).get("requestId")
    return value if isinstance(value, str) else None


def check_registration(
    registration: Registration, *, allow_private: bool = False, own_ports: Collection[int] = ()
) -> tuple[str, tuple[str, ...]]:
    """Check a registration's URL and features; 400 for a bad URL or an unknown feature.

    ``own_ports`` are the ports the simulator listens on: a URL that would reach the
    simulator itself is refused (a webhook to ``/_sim/reset`` would wipe the world). The JSON
    types were checked where the body was read (``http.parse.registration``).
    """
    url, features = registration.url, registration.features
    problem = url_problem(url, allow_private=allow_private, own_ports=own_ports)
    if problem is not None:
        shown = url if url.isascii() and url.isprintable() else None
        raise BadParameter(messages.invalid_value("webhookUrl", shown), hint=problem)
    if not features:
        raise BadParameter(
            messages.invalid_value("webhookFeatures", list(features)),
            hint=f"a non-empty list of: {', '.join(FEATURES)}",
        )
    check_features(features)
    return url, features


def check_features(features: tuple[str, ...]) -> None:
    """Each feature one of Nuki's, none twice (decentral webhooks and advanced API keys)."""
    for feature in features:
        if feature not in FEATURES:
            raise BadParameter(
                messages.invalid_value("webhookFeatures", feature),
                hint=f"features are: {', '.join(FEATURES)}",
            )
    if len(set(features)) != len(features):
        raise BadParameter(
            messages.invalid_value("webhookFeatures", list(features)), hint="no repeats"
        )


def url_allowed(url: str, *, allow_private: bool = False, own_ports: Collection[int] = ()) -> bool:
    """Whether the simulator would register (and send to) ``url``; see :func:`url_problem`."""
    return url_problem(url, allow_private=allow_private, own_ports=own_ports) is None


def url_problem(
    url: str, *, allow_private: bool = False, own_ports: Collection[int] = ()
) -> str | None:
    """Why the simulator will not send webhooks to ``url``, or None when it will.

    The rule (docs/security.md): https to a public host; http or https to loopback, where
    local test receivers run; private and link-local addresses only with
    ``SimConfig.webhook_allow_private`` (then plain http too); never an unspecified,
    multicast or reserved address, and never the simulator itself.
    """
    if len(url) > URL_MAX or not url.isascii() or not url.isprintable() or " " in url:
        return f"a URL of printable ASCII characters, at most {URL_MAX}"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError:
        return "not a URL (bad host or port)"
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https"):
        return "an absolute http(s) URL with a host"
    port = port or (443 if parts.scheme == "https" else 80)
    kind = host_kind(host)
    if port in own_ports and kind != PUBLIC:  # a name may resolve to this machine
        return "the URL points at the simulator itself"
    if kind == LOOPBACK:
        return None
    if kind == FORBIDDEN:
        return "unspecified, multicast and reserved addresses cannot receive webhooks"
    if kind == PRIVATE:
        return None if allow_private else PRIVATE_HINT
    if parts.scheme == "http" and not (allow_private and kind == NAME):
        return "an https URL; plain http only to a loopback address (127.0.0.1, ::1, localhost)"
    return None


def host_kind(host: str) -> str:
    """Classify a URL host (a name or an IP literal) for :func:`url_problem`."""
    name = host.lower().strip("[]").rstrip(".")
    if name in LOCALHOST_NAMES or name.endswith(".localhost"):
        return LOOPBACK
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return NAME
    return address_kind(address)


def address_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Classify an IP address: loopback, private (incl. link-local), forbidden or public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return LOOPBACK
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return FORBIDDEN
    if address in _THIS_NETWORK:
        return FORBIDDEN
    if any(address in network for network in _PRIVATE):
        return PRIVATE
    return PUBLIC


def address_allowed(
    address: str, port: int, *, allow_private: bool = False, own_ports: Collection[int] = ()
) -> bool:
    """Whether a resolved address may be connected to (the rule of :func:`url_problem`)."""
    try:
        kind = address_kind(ipaddress.ip_address(address.split("%", 1)[0]))
    except ValueError:
        return False
    if kind != PUBLIC and port in own_ports:
        return False
    return kind in (LOOPBACK, PUBLIC) or (kind == PRIVATE and allow_private)


def is_loopback_host(host: str) -> bool:
    """A bind or URL host that only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    return host_kind(host) == LOOPBACK


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
