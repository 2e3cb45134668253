"""The control plane's bodies and queries parsed into the domain's typed inputs.

The refusals are the control plane's own plain texts (a 400 in Nuki's error body), which
say what the value should be.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from nuki_sim.simulator.domain import devices
from nuki_sim.simulator.domain.address_calls import Booking
from nuki_sim.simulator.domain.clock import parse_instant
from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import (
    DeliveryQuery,
    NewAccount,
    NewLock,
    printable_name,
)
from nuki_sim.simulator.domain.schedule import zone
from nuki_sim.simulator.http.parse import obj
from nuki_sim.simulator.http.queries import query_int

MAX_FLUSH_SECONDS = 60


def text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadParameter(f"{key} must be a string")
    return value


def flag(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise BadParameter(f"{key} must be true or false")
    return value


def required_flag(body: object, key: str) -> bool:
    data = obj(body)
    if key not in data:
        raise BadParameter(f"{key} (true or false) is required")
    return flag(data, key, False)


def new_account(body: object) -> NewAccount:
    data = obj(body or {})
    return NewAccount(text(data, "name"), text(data, "email"))


def token_scopes(data: Mapping[str, Any]) -> frozenset[str]:
    scopes = data.get("scopes", sorted(SCOPES))
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise BadParameter("scopes must be a list of scope names")
    unknown = sorted(set(scopes) - SCOPES)
    if unknown:
        raise BadParameter(
            f"unknown scopes: {', '.join(unknown)}", hint=f"known: {', '.join(sorted(SCOPES))}"
        )
    return frozenset(scopes)


def account_id(data: Mapping[str, Any]) -> int:
    value = data.get("accountId")
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadParameter("accountId (an integer) is required")
    return value


def new_lock(data: Mapping[str, Any]) -> NewLock:
    """Everything of a new lock but its account (checked first, by the domain)."""
    timezone = text(data, "timezone") or "Europe/Berlin"
    try:
        zone(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadParameter(f"unknown IANA time zone {timezone!r}") from None
    charge = data.get("batteryCharge", 100)
    if isinstance(charge, bool) or not isinstance(charge, int) or not 0 <= charge <= 100:
        raise BadParameter("batteryCharge is an integer from 0 to 100")
    name = text(data, "name")
    keypad = data.get("keypad", True)
    if not isinstance(keypad, bool | str):
        raise BadParameter("keypad is true, false or a keypad model's name")
    return NewLock(
        name=printable_name(name) if name else None,
        model=text(data, "model") or devices.DEFAULT_MODEL,
        keypad=keypad is not False,
        keypad_model=keypad if isinstance(keypad, str) else None,
        online=flag(data, "online", True),
        battery=charge,
        timezone=timezone,
        sync_minute=sync_minute(data.get("syncTime")),
    )


def sync_minute(value: object) -> int | None:
    """``syncTime``: "HH:MM" (UTC) or minutes after midnight UTC; None = spread by the seed."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1440:
        return value
    if isinstance(value, str):
        hours, _, minutes = value.partition(":")
        if hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
            return int(hours) * 60 + int(minutes)
    raise BadParameter("syncTime is 'HH:MM' (UTC) or minutes after midnight UTC (0-1439)")


def seconds(body: object) -> float:
    value = obj(body).get("seconds")
    # ``not value >= 0`` also refuses NaN; the bound is checked by the domain before
    # timedelta(), which overflows (a 500) on huge numbers such as 1e308 or Infinity.
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise BadParameter("seconds is a number of seconds, 0 or more")
    return value


def instant(body: object) -> datetime:
    value = text(obj(body), "now")
    if value is None:
        raise BadParameter("now (an ISO-8601 instant) is required")
    try:
        return parse_instant(value)
    except ValueError:
        raise BadParameter(f"not an ISO-8601 instant: {value!r}") from None


def charge(body: object) -> float:
    value = obj(body).get("charge")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise BadParameter("charge is a number from 0 to 100")
    return float(value)


def keypad_code(body: object) -> int | str:
    code = obj(body).get("code")
    if isinstance(code, bool) or not isinstance(code, int | str):
        raise BadParameter("code (the digits typed on the keypad) is required")
    return code


def delivery_query(query: Mapping[str, str]) -> DeliveryQuery:
    webhook = query_int(query, "webhookId")
    return DeliveryQuery(webhook, query_int(query, "limit", lo=1), query.get("id") or None)


def flush_timeout(body: object) -> float:
    timeout = obj(body or {}).get("timeoutSeconds", 10)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout <= MAX_FLUSH_SECONDS
    ):
        raise BadParameter("timeoutSeconds is a number in (0, 60]")
    return float(timeout)


# --- bookings (PUT /_sim/addresses/{addressId}/reservations) ------------------------------

SERVICES = ("airbnb", "bookingsync")
MAX_GUESTS = 100
MAX_TEXT = 254


def _booking_text(body: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise BadParameter(f"{key} is a non-empty string of at most {MAX_TEXT} characters")
    return printable_name(value, key)


def _required_text(body: Mapping[str, Any], key: str) -> str:
    value = _booking_text(body, key, required=True)
    if value is None:  # _text refuses a missing required value; this only narrows the type
        raise BadParameter(f"{key} is required")
    return value


def _at(body: Mapping[str, Any], key: str) -> datetime:
    value = body.get(key)
    if not isinstance(value, str):
        raise BadParameter(f"{key} (an ISO-8601 instant) is required")
    try:
        return parse_instant(value)
    except ValueError:
        raise BadParameter(f"{key} is not an ISO-8601 instant: {value!r}") from None


def booking(raw: object) -> Booking:
    """``PUT /_sim/addresses/{addressId}/reservations``: a guest's booking."""
    body = obj(raw)
    guests = body.get("guests", 1)
    if isinstance(guests, bool) or not isinstance(guests, int) or not 1 <= guests <= MAX_GUESTS:
        raise BadParameter(f"guests is a number from 1 to {MAX_GUESTS}")
    service = _booking_text(body, "serviceId")
    if service is not None and service not in SERVICES:
        raise BadParameter(f"serviceId is one of {', '.join(SERVICES)}")
    return Booking(
        name=_required_text(body, "name"),
        email=_required_text(body, "email"),
        start_date=_at(body, "checkIn"),
        end_date=_at(body, "checkOut"),
        guests=guests,
        unit_id=_booking_text(body, "unitId"),
        reference=_booking_text(body, "reference"),
        service_id=service,
    )
