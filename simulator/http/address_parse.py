"""Address request bodies and queries parsed into typed inputs, or refused with a Nuki 400.

Types are checked strictly here (a bool is not a number); rules that need the world (the
locks must be the caller's, a unit must be the address's) are the domain's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.address_calls import AccessTimes, AddressChanges
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import INT64_MAX
from nuki_sim.simulator.http.parse import _str, obj
from nuki_sim.simulator.http.queries import query_bool


def _lock_ids(body: Mapping[str, Any]) -> tuple[int, ...] | None:
    value = body.get("smartlockIds")
    if value is None:
        return None
    if not isinstance(value, list):
        raise BadParameter(
            messages.invalid_value("smartlockIds", value), hint="a list of smartlock ids"
        )
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item <= INT64_MAX:
            raise BadParameter(messages.invalid_value("smartlockIds", item))
    return tuple(dict.fromkeys(value))


def address(raw: object) -> AddressChanges:
    """An ``AddressCreate`` or ``AddressUpdate`` body (the domain says what is required)."""
    body = obj(raw)
    settings = body.get("settings")
    if settings is not None and not isinstance(settings, dict):
        raise BadParameter(
            messages.invalid_value("settings", settings), hint="settings is a JSON object"
        )
    return AddressChanges(_str(body, "name"), _lock_ids(body), settings)


def unit_name(raw: object) -> str | None:
    """An ``AddressUnit`` body: only ``name`` is read (the rest is read-only)."""
    return _str(obj(raw), "name")


def unit_ids(raw: object) -> list[str]:
    """A bulk unit delete: a non-empty JSON array of unit id strings."""
    if not isinstance(raw, list) or not raw:
        raise BadParameter("The request body must be a non-empty JSON array of address unit ids")
    for value in raw:
        if not isinstance(value, str):
            raise BadParameter(messages.invalid_value("id", value))
    return list(dict.fromkeys(raw))


def _minutes(body: Mapping[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 24 * 60:
        raise BadParameter(
            messages.invalid_value(key, value), hint=f"{key} is minutes from midnight, 0 to 1439"
        )
    return value


def access_times(raw: object) -> AccessTimes:
    """A ``ReservationAccessTimesUpdate`` body: at least one of the two times."""
    body = obj(raw)
    times = AccessTimes(_minutes(body, "checkInTime"), _minutes(body, "checkOutTime"))
    if times.check_in_time is None and times.check_out_time is None:
        raise BadParameter(
            messages.invalid_value("checkInTime", None),
            hint="give checkInTime and/or checkOutTime (minutes from midnight)",
        )
    return times


def redeem_email(query: Mapping[str, str]) -> bool:
    """``email``: true or false (default true); anything else is a 400."""
    flag = query_bool(query, "email")
    return True if flag is None else flag
