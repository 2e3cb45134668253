"""API key request bodies parsed into typed changes (JSON types only; the domain checks values)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.apikey_calls import AdvancedChange, ApiKeyChange, TokenChange
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.http.parse import _bool, _str, obj


def _strings(body: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise BadParameter(messages.invalid_value(key, value), hint=f"{key} is a list of strings")
    for item in value:
        if not isinstance(item, str):
            raise BadParameter(messages.invalid_value(key, item), hint=f"{key} holds strings")
    return tuple(value)


def api_key_change(raw: object) -> ApiKeyChange:
    """An ``ApiKeyCreate`` or ``ApiKeyUpdate`` body."""
    body = obj(raw)
    return ApiKeyChange(_str(body, "description"), _strings(body, "redirectUris"))


def token_change(raw: object) -> TokenChange:
    """An ``ApiKeyTokenCreate`` or ``ApiKeyTokenUpdate`` body."""
    body = obj(raw)
    return TokenChange(_str(body, "description"), _strings(body, "scopes"))


def advanced_change(raw: object) -> AdvancedChange:
    """An ``AdvancedApiKeyCreate`` or ``AdvancedApiKeyUpdate`` body."""
    body = obj(raw)
    return AdvancedChange(
        name=_str(body, "name"),
        country=_str(body, "country"),
        description=_str(body, "description"),
        type=_str(body, "type"),
        url=_str(body, "url"),
        email=_str(body, "email"),
        webhook_url=_str(body, "webhookUrl"),
        webhook_features=_strings(body, "webhookFeatures"),
        restricted=_bool(body, "restricted"),
    )
