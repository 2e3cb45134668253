"""Request bodies parsed into the domain's typed inputs, or refused with a Nuki 400.

The HTTP layer hands over whatever JSON it decoded (any shape); everything here checks types
strictly (a bool is not a number, a number is not a string) so that a wrong type is a clear
400 naming the parameter and never a 500. Rules about values (a keypad code's digits, a
name's length, a schedule's window) are the domain's, in :mod:`nuki_sim.simulator.domain.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from nuki_sim.simulator.domain import messages, rules, webhooks
from nuki_sim.simulator.domain.clock import parse_instant
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import (
    INT32_MAX,
    INT64_MAX,
    AccountUserCreate,
    AccountUserUpdate,
    AuthCreate,
    Registration,
    SmartlockUpdate,
    printable_name,
)
from nuki_sim.simulator.domain.model import ALWAYS, SCHEDULE_NAMES, AuthChanges, Schedule


def obj(body: object, what: str = "body") -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise BadParameter(f"The request {what} must be a JSON object")
    return body


def _int(body: Mapping[str, Any], key: str, *, lo: int = 0, hi: int = INT32_MAX) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BadParameter(messages.invalid_value(key, value))
    return value


def _bool(body: Mapping[str, Any], key: str) -> bool | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise BadParameter(messages.invalid_value(key, value), hint=f"{key} is true or false")
    return value


def _str(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadParameter(messages.invalid_value(key, value), hint=f"{key} is a string")
    return value


def _instant(body: Mapping[str, Any], key: str) -> datetime | None:
    value = _str(body, key)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        raise BadParameter(
            messages.invalid_value(key, value),
            hint=f"{key} is an ISO-8601 instant such as 2026-05-01T14:00:00.000Z",
        ) from None


def _code(body: Mapping[str, Any]) -> int | None:
    value = body.get("code")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadParameter(messages.invalid_value("code", value), hint="code is a number")
    return rules.check_code(value)


SCHEDULE_KEYS = (
    "allowedFromDate", "allowedUntilDate", "allowedWeekDays", "allowedFromTime", "allowedUntilTime",
)  # fmt: skip
SCHEDULE_ATTRS = dict(zip(SCHEDULE_KEYS, SCHEDULE_NAMES, strict=True))
"""Nuki's name of each time field → its :class:`Schedule` attribute."""


def schedule(body: Mapping[str, Any], *, check: bool = True) -> Schedule:
    """The five time fields; an omitted field means "no restriction" (so an update clears it).

    ``check=False`` leaves the consistency checks to the caller: for an update whose omitted
    fields keep their values, only the merged schedule can be checked.
    """
    for key in SCHEDULE_KEYS:
        if key in body:
            break
    else:
        return ALWAYS  # none given: what the checks below would build (most bodies)
    given = Schedule(
        allowed_from_date=_instant(body, "allowedFromDate"),
        allowed_until_date=_instant(body, "allowedUntilDate"),
        allowed_week_days=_int(body, "allowedWeekDays", hi=INT32_MAX),
        allowed_from_time=_int(body, "allowedFromTime", hi=INT32_MAX) or 0,
        allowed_until_time=_int(body, "allowedUntilTime", hi=INT32_MAX) or 0,
    )
    return rules.check_schedule(given) if check else given


def auth_create(raw: object) -> AuthCreate:
    """Check a create body. Keypad codes (type 13) need a valid code; other types refuse one."""
    body = obj(raw)
    type_value = _int(body, "type", hi=255)
    auth_type = AuthType.APP if type_value is None else type_value
    if auth_type not in (AuthType.APP, AuthType.FOB, AuthType.KEYPAD_CODE):
        raise BadParameter(
            messages.invalid_value("type", auth_type),
            hint="the API creates app authorizations (0), fobs (2) and keypad codes (13)",
        )
    keypad = auth_type == AuthType.KEYPAD_CODE
    name = _str(body, "name")
    if name is None:
        raise BadParameter(messages.invalid_value("name", None), hint="name is required")
    name = rules.check_name(name, keypad=keypad)
    code = _code(body)
    if keypad and code is None:
        raise BadParameter(
            messages.invalid_value("code", None), hint="a keypad code (type 13) needs a code"
        )
    if not keypad and body.get("code") is not None:
        raise BadParameter(
            messages.invalid_value("code", body.get("code")),
            hint="only keypad codes (type 13) have a code",
        )
    account_user_id = _int(body, "accountUserId")
    if not keypad and account_user_id is None:
        raise BadParameter(
            messages.invalid_value("accountUserId", None),
            hint="an app authorization (type 0) or fob (type 2) needs the accountUserId it is for",
        )
    return AuthCreate(
        name=name,
        type=AuthType(auth_type),
        code=code,
        schedule=schedule(body),
        remote_allowed=bool(_bool(body, "remoteAllowed")),
        smart_actions_enabled=bool(_bool(body, "smartActionsEnabled")),
        account_user_id=None if keypad else account_user_id,
    )


def auth_changes(raw: object, *, keypad: bool, keep_omitted: bool = False) -> AuthChanges:
    """Check an update body. The time fields are replaced: an omitted one is cleared, unless
    ``keep_omitted`` (the quirk partial-update-clears-times switched off): then the changes
    name the omitted ones in ``keep`` and the caller checks the merged schedule."""
    body = obj(raw)
    name = _str(body, "name")
    if name is not None:
        name = rules.check_name(name, keypad=keypad)
    code = _code(body)
    if code is not None and not keypad:
        raise BadParameter(
            messages.invalid_value("code", code), hint="only keypad codes (type 13) have a code"
        )
    return AuthChanges(
        name=name,
        enabled=_bool(body, "enabled"),
        remote_allowed=_bool(body, "remoteAllowed"),
        code=code,
        schedule=schedule(body, check=not keep_omitted),
        account_user_id=_int(body, "accountUserId"),
        keep=frozenset(
            SCHEDULE_ATTRS[key] for key in SCHEDULE_KEYS if keep_omitted and key not in body
        ),
    )


def smartlock_ids(raw: object) -> list[int]:
    """``smartlockIds`` of a bulk create: a non-empty list of lock ids."""
    body = obj(raw)
    ids = body.get("smartlockIds")
    if not isinstance(ids, list) or not ids:
        raise BadParameter(
            messages.invalid_value("smartlockIds", ids), hint="a non-empty list of smartlock ids"
        )
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= INT64_MAX:
            raise BadParameter(messages.invalid_value("smartlockIds", value))
    return list(dict.fromkeys(ids))


def auth_id_list(raw: object) -> list[str]:
    """A bulk delete body: a JSON array of auth id strings."""
    if not isinstance(raw, list) or not raw:
        raise BadParameter("The request body must be a non-empty JSON array of authorization ids")
    for value in raw:
        if not isinstance(value, str):
            raise BadParameter(messages.invalid_value("id", value))
    return list(dict.fromkeys(raw))


def bulk_updates(raw: object) -> list[Mapping[str, Any]]:
    """A bulk update body: a non-empty array of objects, each with a string ``id``."""
    if not isinstance(raw, list) or not raw:
        raise BadParameter("The request body must be a non-empty JSON array of updates")
    items = [obj(item, "array items") for item in raw]
    for item in items:
        if not isinstance(item.get("id"), str):
            raise BadParameter(messages.invalid_value("id", item.get("id")))
    return items


def action(raw: object) -> tuple[int, int]:
    """A ``SmartlockAction`` body: ``action`` (required, 1..7: which ones the lock's model
    takes is the domain's check) and ``option`` (bitmask 0..7)."""
    body = obj(raw)
    value = _int(body, "action", hi=255)
    if value is None or not 1 <= value <= ACTION_MAX:
        raise BadParameter(
            messages.invalid_value("action", body.get("action")),
            hint="smart lock actions are 1 unlock, 2 lock, 3 unlatch, 4 lock 'n' go, "
            "5 lock 'n' go with unlatch; an opener's 1, 2, 3, 6, 7",
        )
    option = _int(body, "option", hi=7) or 0
    return value, option


ACTION_MAX = 7  # SmartlockAction.action's maximum in the Swagger


def smartlock_update(raw: object) -> SmartlockUpdate:
    """A ``SmartlockUpdate`` body: ``name`` and/or ``favorite``."""
    body = obj(raw)
    name = _str(body, "name")
    if name is not None and (not name.strip() or len(name) > rules.AUTH_NAME_MAX):
        raise BadParameter(
            messages.invalid_value("name", name), hint="a lock name has 1 to 32 characters"
        )
    if name is not None:
        printable_name(name)
    return SmartlockUpdate(name, _bool(body, "favorite"))


def registration(raw: object) -> Registration:
    """A ``DecentralWebhookCreate`` body: ``webhookUrl`` a string, ``webhookFeatures`` a list of
    strings (which URL and which features are taken is the world's rule)."""
    body = obj(raw)
    url = body.get("webhookUrl")
    if not isinstance(url, str):
        raise BadParameter(
            messages.invalid_value("webhookUrl", None), hint="webhookUrl is a string"
        )
    features = body.get("webhookFeatures")
    if not isinstance(features, list):
        raise BadParameter(
            messages.invalid_value("webhookFeatures", features),
            hint=f"a non-empty list of: {', '.join(webhooks.FEATURES)}",
        )
    for feature in features:
        if not isinstance(feature, str):
            raise BadParameter(
                messages.invalid_value("webhookFeatures", feature),
                hint=f"features are: {', '.join(webhooks.FEATURES)}",
            )
    return Registration(url, tuple(features))


def account_user_create(raw: object) -> AccountUserCreate:
    """An ``AccountUserCreate`` body, types checked (the domain checks the values)."""
    body = obj(raw)
    return AccountUserCreate(
        _str(body, "email"), _str(body, "name"), _str(body, "language"), _int(body, "type")
    )


def account_user_update(raw: object) -> AccountUserUpdate:
    """An ``AccountUserUpdate`` body, types checked."""
    body = obj(raw)
    return AccountUserUpdate(_str(body, "email"), _str(body, "name"), _str(body, "language"))
