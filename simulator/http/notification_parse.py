"""The ``Notification`` body parsed into the domain's input, or refused with a Nuki 400.

Types only (a number is not a string, a setting is an object); the values (the os, the
events, the locks, the authorizations) are the domain's to check. Read-only fields a client
echoes back (``notificationId``, ``status``, ``lastActiveDate``) are ignored, as Nuki
ignores what it sets itself. ``triggerEvents`` and ``authIds`` are sets at Nuki: a repeated
entry counts once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import INT32_MAX, INT64_MAX
from nuki_sim.simulator.domain.notifications import NotificationInput, NotificationSetting
from nuki_sim.simulator.http.parse import obj


def notification(raw: object) -> NotificationInput:
    body = obj(raw)
    settings = body.get("settings")
    if settings is not None and not isinstance(settings, list):
        raise _bad("settings", settings, "settings is a list of objects")
    return NotificationInput(
        push_id=_str(body, "pushId"),
        os=_int(body, "os", INT32_MAX),
        settings=None if settings is None else tuple(_setting(s) for s in settings),
        language=_str(body, "language"),
        secret=_str(body, "secret"),
        reference_id=_str(body, "referenceId"),
    )


def _setting(raw: object) -> NotificationSetting:
    if not isinstance(raw, dict):
        raise _bad("settings", raw, "each setting is an object")
    events = _strings(raw, "triggerEvents")
    if events is None:
        raise _bad("triggerEvents", None, "each setting lists its triggerEvents")
    return NotificationSetting(
        _int(raw, "smartlockId", INT64_MAX), events, _strings(raw, "authIds") or ()
    )


def _bad(parameter: str, value: object, hint: str) -> BadParameter:
    shown = value if isinstance(value, str | int | float | bool) or value is None else "…"
    return BadParameter(messages.invalid_value(parameter, shown), hint=hint)


def _str(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise _bad(key, value, f"{key} is a string")
    return value


def _int(body: Mapping[str, Any], key: str, top: int) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise _bad(key, value, f"{key} is a whole number from 0")
    return value


def _strings(body: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(key, "…", f"{key} is a list of strings")
    return tuple(dict.fromkeys(value))  # a set at Nuki: repeats count once, order kept
