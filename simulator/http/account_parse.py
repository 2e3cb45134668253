"""The account bodies and query strings, JSON types checked (the domain checks values)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.account_inputs import (
    AccountChange,
    IntegrationTarget,
    SubAccountCreate,
)
from nuki_sim.simulator.domain.account_store import Profile
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.http.params import path_int
from nuki_sim.simulator.http.parse import _bool, _int, _str, obj

PROFILE_KEYS = ("firstName", "lastName", "address", "zip", "city", "country")
MAX_FIELD = 255


def _text(body: Mapping[str, Any], key: str) -> str | None:
    value = _str(body, key)
    if value is not None and len(value) > MAX_FIELD:
        raise BadParameter(messages.invalid_value(key, value[:40] + "…"), hint="too long")
    return value


def profile(body: Mapping[str, Any]) -> Profile | None:
    """``Account.Profile``: all six fields are required when a profile is given."""
    raw = body.get("profile")
    if raw is None:
        return None
    fields = obj(raw, "profile")
    values = [_text(fields, key) for key in PROFILE_KEYS]
    for key, value in zip(PROFILE_KEYS, values, strict=True):
        if value is None:
            raise BadParameter(messages.invalid_value(key, None), hint=f"profile.{key} is required")
    return Profile(*(v or "" for v in values))


def account_change(raw: object, *, sub: bool = False) -> AccountChange:
    """An ``AccountUpdate`` (or, ``sub``, ``AccountSubUpdate``) body."""
    body = obj(raw)
    config = obj(body.get("config") or {}, "config")
    return AccountChange(
        language=_str(body, "language"),
        email=_text(body, "email"),
        password=_text(body, "password"),
        name=_str(body, "name"),
        rights=_int(body, "rights") if sub else None,
        alexa_pin=_text(config, "alexaPin"),
        gactions_home_pin=_text(config, "gactionsHomePin"),
        profile=profile(body),
    )


def sub_account_create(raw: object) -> SubAccountCreate:
    body = obj(raw)
    return SubAccountCreate(
        email=_text(body, "email"),
        password=_text(body, "password"),
        name=_str(body, "name"),
        rights=_int(body, "rights"),
        language=_str(body, "language"),
        profile=profile(body),
    )


def email(raw: object) -> str | None:
    return _text(obj(raw), "email")


def otp(raw: object) -> str | None:
    return _text(obj(raw), "otp")


def password_reset(raw: object) -> str | None:
    body = obj(raw)
    _bool(body, "deleteApiTokens")
    return _text(body, "email")


def setting(raw: object) -> dict[str, Any] | None:
    """The ``web`` part of an ``AccountSetting`` body (None: nothing to change)."""
    web = obj(raw).get("web")
    return None if web is None else dict(obj(web, "web"))


def flag(query: Mapping[str, str], name: str, default: bool) -> bool:
    text = query.get(name)
    if text is None:
        return default
    if text not in ("true", "false"):
        raise BadParameter(messages.invalid_value(name, text), hint=f"{name} is true or false")
    return text == "true"


def integration_target(query: Mapping[str, str]) -> IntegrationTarget:
    key, token = query.get("apiKeyId"), query.get("tokenId")
    return IntegrationTarget(
        None if key is None else path_int(key, "apiKeyId"),
        None if token is None else path_int(token, "tokenId"),
    )
