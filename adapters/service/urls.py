"""Which callback URLs the service posts to: the simulator's webhook URL rule, restated.

https to a public host; http or https to loopback, where local receivers run; never a
private, link-local, unspecified, multicast or reserved address. The adapter shares nothing
with the simulator but HTTP, so the rule is written here again (about forty lines) rather
than imported; tests/service/test_callback_urls.py holds the two to the same verdicts.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from yarl import URL

URL_MAX = 2048
LOCALHOST_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
# RFC 1918, carrier-grade NAT, link-local, unique-local and site-local: one site's network.
_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
        "fc00::/7", "fe80::/10", "fec0::/10",
    )
)  # fmt: skip
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # connecting to 0.x reaches this host


def callback_url_allowed(url: str) -> bool:
    """Whether the service registers (and posts to) ``url``."""
    return _absolute_http(url) and _allowed(url)


def _absolute_http(text: str) -> bool:
    try:
        url = URL(text)
    except ValueError:
        return False
    return url.absolute and url.scheme in ("http", "https") and bool(url.host)


def _allowed(url: str) -> bool:
    if len(url) > URL_MAX or not url.isascii() or not url.isprintable() or " " in url:
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return False
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https"):
        return False
    kind = _host_kind(host)
    if kind == "loopback":
        return True
    if kind in ("forbidden", "private"):
        return False
    return parts.scheme == "https"


def _host_kind(host: str) -> str:
    name = host.lower().strip("[]").rstrip(".")
    if name in LOCALHOST_NAMES or name.endswith(".localhost"):
        return "loopback"
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(name)
    except ValueError:
        return "name"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return "forbidden"
    if address in _THIS_NETWORK:
        return "forbidden"
    if any(address in network for network in _PRIVATE):
        return "private"
    return "public"
