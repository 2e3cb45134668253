"""The opener intercom catalogue, companies and third-party services: sample data.

Nuki Web serves a catalogue of intercom brands and models for Nuki Opener set-up, the
companies an account may belong to, and the services (rental platforms) an account can link.
The simulator serves a small fixed sample of each, so a client's calls work and answer
plausible values; **all of it is made-up sample data**, not Nuki's catalogue. The only state
is which services each account has linked (``World.service_links``, kept in snapshots).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.errors import BadParameter, NotFound

INT32_MAX = 2**31 - 1
RECENT = timedelta(days=90)
"""How far back ``recentlyChanged`` looks from the simulated present."""


@dataclass(frozen=True)
class Brand:
    brand_id: int
    name: str


@dataclass(frozen=True)
class Intercom:
    """One intercom model and how an Opener is wired to it (sample values)."""

    intercom_id: int
    brand_id: int
    model: str
    type: int  # 1 analogue, 2 digital bus (sample meaning)
    verified: int  # 1 verified, 2 may be compatible, 3 not compatible
    wiring: tuple[str, str, str, str, str, str, str]  # gndBus, busAudio, audioOut, bell+, bell-,
    # openDoor, gndAnalogue
    bus_mode_switch: int
    short_circuit_ms: int
    created: datetime
    updated: datetime


@dataclass(frozen=True)
class Service:
    service_id: str
    name: str


_DAY = datetime(2024, 3, 1, tzinfo=UTC)
BRANDS = (
    Brand(1, "Siedle"),
    Brand(2, "Ritto"),
    Brand(3, "BTicino"),
    Brand(4, "Urmet"),
    Brand(5, "Comelit"),
)
_BUS = ("b", "a", "", "", "", "", "")
_ANALOGUE = ("", "", "7", "1", "15", "6", "15")
INTERCOMS = (
    Intercom(101, 1, "HTA 711-01", 2, 1, _BUS, 0, 0, _DAY, _DAY),
    Intercom(102, 1, "HT 611-01", 1, 1, _ANALOGUE, 0, 0, _DAY, _DAY),
    Intercom(201, 2, "Twinbus 7630", 2, 1, _BUS, 1, 0, _DAY, _DAY),
    Intercom(202, 2, "Acero 1763", 2, 2, _BUS, 1, 25, _DAY, _DAY),
    Intercom(301, 3, "Classe 100 X16E", 2, 1, ("BUS", "BUS", "", "", "", "", ""), 0, 0, _DAY, _DAY),
    Intercom(302, 3, "Swing 344212", 1, 3, _ANALOGUE, 0, 0, _DAY, _DAY + timedelta(days=800)),
    Intercom(401, 4, "Mod. 1130", 2, 2, ("1", "2", "", "", "", "", ""), 2, 0, _DAY, _DAY),
    Intercom(501, 5, "Mini 6701W", 2, 1, ("L", "L", "", "", "", "", ""), 3, 50, _DAY, _DAY),
)
COMPANIES = (("Sample Property Management GmbH", "office@sample-pm.example"),)
SERVICES = (
    Service("airbnb", "Airbnb"),
    Service("guesty", "Guesty"),
    Service("smoobu", "Smoobu"),
)
_SERVICE_ID = re.compile(r"[a-z0-9_-]{1,64}")


def parse_int32(text: str, name: str) -> int:
    """A path or query id: a decimal int32 (400 naming ``name`` otherwise)."""
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > INT32_MAX:
        raise BadParameter(messages.invalid_value(name, text))
    return int(text)


def parse_flag(text: str | None, name: str) -> bool:
    """An optional boolean query value: ``true`` or ``false``."""
    if text is None:
        return False
    if text.lower() not in ("true", "false"):
        raise BadParameter(messages.invalid_value(name, text))
    return text.lower() == "true"


def service_id(text: str) -> str:
    """A service id as in the path: lowercase letters, digits, ``-`` and ``_`` (400 else)."""
    if not _SERVICE_ID.fullmatch(text):
        raise BadParameter(messages.invalid_value("serviceId", text))
    return text


def brand(brand_id: int) -> Brand:
    for item in BRANDS:
        if item.brand_id == brand_id:
            return item
    raise NotFound("Brand not found", hint=f"no intercom brand {brand_id}")


def intercom(intercom_id: int) -> Intercom:
    for item in INTERCOMS:
        if item.intercom_id == intercom_id:
            return item
    raise NotFound("Intercom not found", hint=f"no intercom model {intercom_id}")


def intercoms(
    brand_id: int | None, *, ignore_verified: bool, recently_changed: bool, now: datetime
) -> list[Intercom]:
    """Nuki needs ``brandId`` unless ``recentlyChanged``; not-compatible models are left out
    unless ``ignoreVerified``."""
    if brand_id is None and not recently_changed:
        raise BadParameter(
            messages.invalid_value("brandId", None),
            hint="brandId is required unless recentlyChanged=true",
        )
    return [
        i
        for i in INTERCOMS
        if (brand_id is None or i.brand_id == brand_id)
        and (ignore_verified or i.verified != 3)
        and (not recently_changed or now - i.updated <= RECENT)
    ]


def service(sid: str) -> Service:
    for item in SERVICES:
        if item.service_id == sid:
            return item
    raise NotFound("Service not found", hint=f"no service {sid!r}")


def services(filter_text: str | None) -> list[Service]:
    """All services, or those named in a comma-separated filter (unknown names match none)."""
    if filter_text is None:
        return list(SERVICES)
    wanted = {part.strip() for part in filter_text.split(",") if part.strip()}
    return [s for s in SERVICES if s.service_id in wanted]


def linked(links: dict[int, set[str]], account_id: int) -> set[str]:
    """The services ``account_id`` has linked (an empty set when none)."""
    return links.get(account_id, set())


def link(links: dict[int, set[str]], account_id: int, sid: str) -> str:
    """Link a known service (again is fine); the answer is the service's connect URL."""
    service(sid)
    links.setdefault(account_id, set()).add(sid)
    return f"https://{sid}.example/connect/nuki?account={account_id}"


def unlink(links: dict[int, set[str]], account_id: int, sid: str) -> None:
    """Unlink a known service; unlinking one that is not linked changes nothing."""
    service(sid)
    own = links.get(account_id)
    if own is not None:
        own.discard(sid)
        if not own:
            del links[account_id]


def sync(links: dict[int, set[str]], account_id: int, sid: str) -> None:
    """Sync a linked service (nothing to fetch in the simulator); an unlinked one is a 400."""
    service(sid)
    if sid not in linked(links, account_id):
        raise BadParameter(messages.invalid_value("serviceId", sid), hint="service is not linked")
