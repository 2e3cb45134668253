"""Nuki Web's per-account settings (Swagger 4.18.0 ``AccountSetting``): checked, then merged.

The one part Nuki defines is ``web``: the device page's view and sort, the Nuki Club banner,
free ``annotations`` and two lists of stale devices. ``PUT /account/setting`` creates the
settings or merges into them: each field given replaces the stored one, except
``annotations``, which merge key by key (a key set to ``null`` is removed), as a web client
writes one annotation at a time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.errors import BadParameter

VIEW_TYPES = ("LIST", "TILE")
SORT_TYPES = ("FAVOURITES_FIRST", "NAME_ASC", "NAME_DESC", "LAST_ADDED_DESC")
STALE_LISTS = ("removedStaledDevices", "markedStaledDevices")
_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
ANNOTATION_KEY = re.compile(rf"^{_LABEL}(\.{_LABEL})*/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
"""Nuki: a prefix (a DNS subdomain), ``/``, and a name of letters and digits with dashes,
underscores and dots in between (``web.nuki.io/nfcBannerDismissed``)."""
MAX_KEY = 253 + 1 + 63
MAX_ANNOTATIONS = 100  # the simulator's bound: a settings object stays small
MAX_STALE = 500
INT64 = 2**63 - 1


def _bad(parameter: str, value: object, hint: str) -> BadParameter:
    return BadParameter(messages.invalid_value(parameter, value), hint=hint)


def _choice(value: object, parameter: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _bad(parameter, value, f"one of {', '.join(allowed)}")
    return value


def _stale(value: object, parameter: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_STALE:
        raise _bad(parameter, value, f"a list of at most {MAX_STALE} stale devices")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise _bad(parameter, item, "each stale device is an object")
        device: dict[str, Any] = {}
        lock_id, name, read = item.get("smartlockId"), item.get("name"), item.get("read")
        if lock_id is not None:
            if (
                isinstance(lock_id, bool)
                or not isinstance(lock_id, int)
                or not 0 <= lock_id <= INT64
            ):
                raise _bad("smartlockId", lock_id, "a smartlock id (int64)")
            device["smartlockId"] = lock_id
        if name is not None:
            if not isinstance(name, str):
                raise _bad("name", name, "name is a string")
            device["name"] = name
        if read is not None:
            if not isinstance(read, bool):
                raise _bad("read", read, "read is true or false")
            device["read"] = read
        out.append(device)
    return out


def _annotations(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad("annotations", value, "annotations is an object of prefix/name keys")
    for key in value:
        if len(key) > MAX_KEY or not ANNOTATION_KEY.match(key):
            raise _bad("annotations", key, "keys are prefix/name, e.g. web.nuki.io/bannerDismissed")
    return dict(value)


def web_setting(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``AccountSetting.web`` with every given field checked; null fields are left out."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key == "deviceViewType":
            out[key] = _choice(value, key, VIEW_TYPES)
        elif key == "deviceSortType":
            out[key] = _choice(value, key, SORT_TYPES)
        elif key == "nukiClubDismissed":
            if not isinstance(value, bool):
                raise _bad(key, value, f"{key} is true or false")
            out[key] = value
        elif key == "annotations":
            out[key] = _annotations(value)
        elif key in STALE_LISTS:
            out[key] = _stale(value, key)
    return out


def merge(stored: dict[str, Any] | None, change: dict[str, Any]) -> dict[str, Any]:
    """The settings after ``change``: fields replaced, annotations merged (null removes)."""
    merged = dict(stored or {})
    for key, value in change.items():
        if key == "annotations":
            notes = {**merged.get("annotations", {}), **value}
            notes = {k: v for k, v in notes.items() if v is not None}
            if len(notes) > MAX_ANNOTATIONS:
                raise _bad("annotations", len(notes), f"at most {MAX_ANNOTATIONS} annotations")
            merged[key] = notes
        else:
            merged[key] = value
    return merged
