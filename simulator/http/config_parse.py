"""Config bodies parsed into :class:`~nuki_sim.simulator.domain.device_config.ConfigWrite`
values, or refused with Nuki's 400 naming the field (nothing is queued then).

One loop over :data:`~nuki_sim.simulator.domain.device_config.WRITABLE` checks every part:
a required field that is missing or null, a wrong type (a bool is not a number), a number
out of range or not one of the listed values. Unknown and read-only keys are ignored (the
bodies are open: a client may post back what it read).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nuki_sim.simulator.domain import messages, rules
from nuki_sim.simulator.domain.device_config import (
    INT32_MAX,
    WRITABLE,
    ConfigWrite,
    Setting,
    WebConfigWrite,
)
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import INT64_MAX, printable_name
from nuki_sim.simulator.http.parse import obj


def config_write(part: str, raw: object) -> ConfigWrite:
    """A body of one config part: every writable field it gives, checked."""
    body = obj(raw)
    values: list[tuple[str, bool | int | float | str]] = []
    for setting in WRITABLE[part]:
        value = body.get(setting.key)
        if value is None:
            if setting.required:
                raise BadParameter(
                    messages.invalid_value(setting.key, None), hint=f"{setting.key} is required"
                )
            continue
        values.append((setting.attr, _checked(setting, value)))
    return ConfigWrite(part, tuple(values))


def _checked(setting: Setting, value: object) -> bool | int | float | str:
    key, kind = setting.key, setting.kind
    refused = BadParameter(messages.invalid_value(key, value), hint=_expected(setting))
    if kind is bool:
        if not isinstance(value, bool):
            raise refused
        return value
    if kind is str:
        if not isinstance(value, str) or not value.strip() or len(value) > rules.AUTH_NAME_MAX:
            raise refused
        return printable_name(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refused
    if kind is int:
        if not isinstance(value, int):
            raise refused
        ok = value in setting.choices if setting.choices else setting.low <= value <= setting.high
        if not ok:
            raise refused
        return value
    if not math.isfinite(value) or not setting.low <= value <= setting.high:
        raise refused
    return float(value)


def _expected(setting: Setting) -> str:
    if setting.kind is bool:
        return f"{setting.key} is true or false"
    if setting.kind is str:
        return f"{setting.key} has 1 to {rules.AUTH_NAME_MAX} characters"
    if setting.choices:
        return f"{setting.key} is one of {', '.join(map(str, setting.choices))}"
    return f"{setting.key} is a number from {setting.low:g} to {setting.high:g}"


def web_config(raw: object, what: str = "body") -> WebConfigWrite:
    """A ``Smartlock.WebConfig`` body: both fields optional; null keeps the value."""
    body = obj(raw, what)
    mail = body.get("batteryWarningPerMailEnabled")
    if mail is not None and not isinstance(mail, bool):
        raise BadParameter(
            messages.invalid_value("batteryWarningPerMailEnabled", mail),
            hint="batteryWarningPerMailEnabled is true or false",
        )
    dismissed = body.get("dismissedLiftUpHandleWarning")
    ids: tuple[int, ...] | None = None
    if dismissed is not None:
        if not isinstance(dismissed, list) or not all(_account_id(i) for i in dismissed):
            raise BadParameter(
                messages.invalid_value("dismissedLiftUpHandleWarning", dismissed),
                hint="dismissedLiftUpHandleWarning is a list of account ids ([] clears it)",
            )
        ids = tuple(dict.fromkeys(dismissed))  # each account once, in the order given
    return WebConfigWrite(mail, ids)


def _account_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT32_MAX


def bulk_web_config(raw: object) -> list[tuple[int, WebConfigWrite]]:
    """A ``BulkWebConfigRequest``: ``webConfigRequests``, each a lock id and a web config."""
    body = obj(raw)
    items = body.get("webConfigRequests")
    if not isinstance(items, list):
        raise BadParameter(
            messages.invalid_value("webConfigRequests", items),
            hint="webConfigRequests is a list of {smartlockId, webConfig}",
        )
    writes: list[tuple[int, WebConfigWrite]] = []
    for item in items:
        entry: Mapping[str, Any] = obj(item, "webConfigRequests item")
        lock_id = entry.get("smartlockId")
        if (
            isinstance(lock_id, bool)
            or not isinstance(lock_id, int)
            or not 0 < lock_id <= INT64_MAX
        ):
            raise BadParameter(
                messages.invalid_value("smartlockId", lock_id), hint="smartlockId is a lock's id"
            )
        writes.append((lock_id, web_config(entry.get("webConfig"), "webConfig")))
    return writes
