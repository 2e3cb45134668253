"""Request bodies and query values, parsed into typed values or refused with a Nuki 400.

The HTTP layer hands over whatever JSON it decoded (any shape); everything here checks types
strictly (a bool is not a number, a number is not a string) so that a wrong type is a clear
400 naming the parameter and never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nuki_sim.simulator.domain import messages, rules
from nuki_sim.simulator.domain.clock import parse_instant
from nuki_sim.simulator.domain.codes import Action, AuthType
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.model import AuthChanges, Schedule

_INTEGER = re.compile(r"-?[0-9]{1,19}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls, DEL and C1 controls: harmless inside JSON, but they would break a terminal
# line (the banner prints lock names) or an HTTP header.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class AuthCreate:
    """A checked ``SmartlockAuthCreate`` body."""

    name: str
    type: AuthType
    code: int | None
    schedule: Schedule
    remote_allowed: bool
    smart_actions_enabled: bool
    account_user_id: int | None


def check_text(value: object, where: str = "body") -> None:
    """Refuse (400) a lone surrogate in any string, key or value, at any depth of ``value``.

    ``"\\ud800"`` is a valid JSON escape but not Unicode: Python decodes it, and then the text
    cannot be encoded as UTF-8 when it is written out (a response, a webhook, a state file,
    the terminal). Stored once, it would make every later read of the world fail, so it is
    refused where it comes in. The walk is iterative: JSON nests as deep as the parser allows.
    """
    stack: list[tuple[object, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                raise _not_unicode(path)
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and not key.isascii() and _SURROGATE.search(key):
                    raise _not_unicode(f"{path} (a key)")
                stack.append((child, f"{path}.{key}"))
        elif isinstance(item, list | tuple):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))


def _not_unicode(path: str) -> BadParameter:
    shown = _SURROGATE.sub("\ufffd", path)
    return BadParameter(
        f"The supplied value for parameter '{shown}' is not valid Unicode text",
        hint="lone UTF-16 surrogate escapes such as \\ud800 cannot be stored",
    )


def printable_name(name: str, what: str = "name") -> str:
    """Refuse control characters in a name the simulator prints on a terminal line."""
    if _CONTROL.search(name):
        raise BadParameter(
            messages.invalid_value(what, name.encode("unicode_escape").decode("ascii")),
            hint=f"{what} cannot hold control characters (NUL, newline, escape, ...)",
        )
    return name


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


def schedule(body: Mapping[str, Any]) -> Schedule:
    """The five time fields; an omitted field means "no restriction" (so an update clears it)."""
    return rules.check_schedule(
        Schedule(
            allowed_from_date=_instant(body, "allowedFromDate"),
            allowed_until_date=_instant(body, "allowedUntilDate"),
            allowed_week_days=_int(body, "allowedWeekDays", hi=INT32_MAX),
            allowed_from_time=_int(body, "allowedFromTime", hi=INT32_MAX) or 0,
            allowed_until_time=_int(body, "allowedUntilTime", hi=INT32_MAX) or 0,
        )
    )


def auth_create(raw: object) -> AuthCreate:
    """Check a create body. Keypad codes (type 13) need a valid code; other types refuse one."""
    body = obj(raw)
    type_value = _int(body, "type", hi=255)
    auth_type = AuthType.APP if type_value is None else type_value
    if auth_type not in (AuthType.APP, AuthType.KEYPAD_CODE):
        raise BadParameter(
            messages.invalid_value("type", auth_type),
            hint="the API creates app authorizations (0) and keypad codes (13)",
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
            hint="an app authorization (type 0) needs the accountUserId it is for",
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


def auth_changes(raw: object, *, keypad: bool) -> AuthChanges:
    """Check an update body. The time fields are replaced: an omitted one is cleared."""
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
        schedule=schedule(body),
        account_user_id=_int(body, "accountUserId"),
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
    """A ``SmartlockAction`` body: ``action`` (required) and ``option`` (bitmask 0..7)."""
    body = obj(raw)
    value = _int(body, "action", hi=255)
    if value is None or value not in {a.value for a in Action}:
        raise BadParameter(
            messages.invalid_value("action", body.get("action")),
            hint="smart lock actions are 1 unlock, 2 lock, 3 unlatch, 4 lock 'n' go, "
            "5 lock 'n' go with unlatch",
        )
    option = _int(body, "option", hi=7) or 0
    return value, option


def smartlock_update(raw: object) -> tuple[str | None, bool | None]:
    """A ``SmartlockUpdate`` body: ``name`` and/or ``favorite``."""
    body = obj(raw)
    name = _str(body, "name")
    if name is not None and (not name.strip() or len(name) > rules.AUTH_NAME_MAX):
        raise BadParameter(
            messages.invalid_value("name", name), hint="a lock name has 1 to 32 characters"
        )
    if name is not None:
        printable_name(name)
    return name, _bool(body, "favorite")


# --- query strings -----------------------------------------------------------------------


def query_int(
    query: Mapping[str, str], key: str, *, lo: int = 0, hi: int = INT32_MAX
) -> int | None:
    text = query.get(key)
    if text is None or text == "":
        return None
    if not _INTEGER.fullmatch(text):
        raise BadParameter(messages.invalid_value(key, text))
    value = int(text)
    if not lo <= value <= hi:
        raise BadParameter(messages.invalid_value(key, text))
    return value


def query_types(query: Mapping[str, str]) -> frozenset[int] | None:
    """``types=0,2,13``: a comma list of auth types."""
    text = query.get("types")
    if text is None or text == "":
        return None
    try:
        return frozenset(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise BadParameter(messages.invalid_value("types", text)) from None


def query_instant(query: Mapping[str, str], key: str) -> datetime | None:
    text = query.get(key)
    if text is None or text == "":
        return None
    try:
        return parse_instant(text)
    except ValueError:
        raise BadParameter(messages.invalid_value(key, text)) from None


def query_bool(query: Mapping[str, str], key: str) -> bool | None:
    text = query.get(key)
    if text is None or text == "":
        return None
    if text.lower() not in ("true", "false"):
        raise BadParameter(messages.invalid_value(key, text))
    return text.lower() == "true"


def smartlock_id(text: str) -> int:
    """A path id: a positive decimal int64 (Nuki declares it a string on some paths)."""
    return path_int(text, "smartlockId")


def path_int(text: str, name: str) -> int:
    """A numeric path parameter (decimal, at most int64), named in the refusal."""
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > INT64_MAX:
        raise BadParameter(messages.invalid_value(name, text))
    return int(text)
