"""The typed inputs the domain takes, and the text rules every input obeys.

The HTTP layer (:mod:`nuki_sim.simulator.http.parse`, :mod:`nuki_sim.simulator.http.queries`)
turns request bodies and query strings into these frozen values, refusing a wrong type with
a Nuki 400; the domain never sees raw JSON or a query string. Rules that need the world (a
lock's keypad, a duplicate code) stay with the domain call that checks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfoNotFoundError

from nuki_sim.simulator.domain import devices, messages
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.model import Schedule
from nuki_sim.simulator.domain.schedule import zone

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


@dataclass(frozen=True)
class SmartlockUpdate:
    """A checked ``SmartlockUpdate`` body: what to change (None keeps the value)."""

    name: str | None
    favorite: bool | None


@dataclass(frozen=True)
class LockFilter:
    """``GET /smartlock``: only locks with this Web API slot and/or of this device type."""

    auth_id: int | None = None
    type: int | None = None


@dataclass(frozen=True)
class AuthFilter:
    """Which authorizations a listing shows (None: no restriction).

    A negative ``account_user_id`` selects those without a user (Nuki's rule).
    """

    types: frozenset[int] | None = None
    account_user_id: int | None = None


@dataclass(frozen=True)
class PageRequest:
    page: int = 0
    size: int = 100


@dataclass(frozen=True)
class LogQuery:
    """Filters of an activity log listing; ``cursor`` is the id of the last entry seen."""

    auth_id: str | None = None
    account_user_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    action: int | None = None
    limit: int | None = None
    cursor: str | None = None


@dataclass(frozen=True)
class WebhookLogQuery:
    limit: int | None = None
    cursor: str | None = None


# --- the control plane's ----------------------------------------------------------------


@dataclass(frozen=True)
class NewAccount:
    """``POST /_sim/accounts``; a missing name or e-mail is made up from the account id."""

    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class NewToken:
    scopes: frozenset[str]
    name: str | None = None


@dataclass(frozen=True)
class NewLock:
    """``POST /_sim/smartlocks`` (the account is given apart); None: the simulator picks."""

    name: str | None = None
    keypad: bool = True
    online: bool = True
    battery: int = 100
    timezone: str = "Europe/Berlin"
    sync_minute: int | None = None
    model: str = devices.DEFAULT_MODEL
    keypad_model: str | None = None  # None: the model's default keypad (when ``keypad``)

    def __post_init__(self) -> None:
        """Refused here too, so an in-process caller cannot put an impossible lock in the
        world (the routes' parser refuses the same values first, in the same words)."""
        devices.check_pairing(self.model, self.keypad_model if self.keypad else None)
        if not 0 <= self.battery <= 100:
            raise BadParameter("batteryCharge is an integer from 0 to 100")
        if self.sync_minute is not None and not 0 <= self.sync_minute < 1440:
            raise BadParameter("syncTime is 'HH:MM' (UTC) or minutes after midnight UTC (0-1439)")
        try:
            zone(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadParameter(f"unknown IANA time zone {self.timezone!r}") from None


@dataclass(frozen=True)
class DeliveryQuery:
    webhook_id: int | None = None
    limit: int | None = None
    cursor: str | None = None


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


@dataclass(frozen=True)
class Registration:
    """A ``DecentralWebhookCreate`` body with its JSON types checked; the world applies the
    URL rule and the feature list's (``webhooks.check_registration``)."""

    url: str
    features: tuple[str, ...]


@dataclass(frozen=True)
class AccountUserCreate:
    """A type-checked ``AccountUserCreate`` body (the domain checks the values)."""

    email: str | None
    name: str | None
    language: str | None = None
    type: int | None = None


@dataclass(frozen=True)
class AccountUserUpdate:
    """A type-checked ``AccountUserUpdate`` body: None leaves a field as it is."""

    email: str | None = None
    name: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class AccountUserQuery:
    """``GET /account/user``: an exact e-mail filter and a window of the list."""

    email: str | None = None
    offset: int = 0
    limit: int | None = None
