"""The API key calls of the Nuki Web API: keys, their tokens, and advanced API keys.

A token created here is an ordinary entry of ``World.tokens``: it authenticates at once with
exactly its scopes, a change of its scopes applies to the next call it makes, and deleting
it (or its key) revokes it, so its next call is 401. Every check runs before anything
changes, so a refused request leaves the world as it was.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlsplit

from nuki_sim.simulator.domain import ids, messages, webhooks
from nuki_sim.simulator.domain.api_keys import (
    ADVANCED_TYPES,
    AdvancedKey,
    ApiKey,
    KeyToken,
)
from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.errors import BadParameter, Forbidden, NotFound
from nuki_sim.simulator.domain.inputs import printable_name
from nuki_sim.simulator.domain.model import ApiToken
from nuki_sim.simulator.domain.user_calls import check_email
from nuki_sim.simulator.domain.world import World

TOKEN_SCOPES = SCOPES | {"smartlock.create"}
"""Nuki's OAuth scopes (``smartlock.create`` included) and ``webhook.decentral``, which the
decentral webhook routes ask for."""
MAX_TEXT = 255  # descriptions and the advanced key's texts (Nuki states no limit)
API_KEY_NOT_FOUND = "API key not found"
TOKEN_NOT_FOUND = "API key token not found"
ADVANCED_NOT_FOUND = "Advanced API key not found"
T = TypeVar("T")


@dataclass(frozen=True)
class ApiKeyChange:
    """An ``ApiKeyCreate`` / ``ApiKeyUpdate`` body, types checked; None: not given."""

    description: str | None = None
    redirect_uris: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TokenChange:
    """An ``ApiKeyTokenCreate`` / ``ApiKeyTokenUpdate`` body, types checked; None: not given."""

    description: str | None = None
    scopes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AdvancedChange:
    """An ``AdvancedApiKeyCreate`` / ``AdvancedApiKeyUpdate`` body, types checked."""

    name: str | None = None
    country: str | None = None
    description: str | None = None
    type: str | None = None
    url: str | None = None
    email: str | None = None
    webhook_url: str | None = None
    webhook_features: tuple[str, ...] | None = None
    restricted: bool | None = None


@dataclass(frozen=True)
class KeyDeliveries:
    """What the advanced key reports of its webhooks (see :meth:`ApiKeyCalls.deliveries`)."""

    sent_ok: int
    sent_failed: int
    deactivated: bool
    last_success: datetime | None  # the instant of the newest successful attempt still logged
    last_duration_ms: int | None
    last_ok: bool | None


def _required(value: T | None, name: str) -> T:
    if value is None:
        raise BadParameter(messages.invalid_value(name, None), hint=f"{name} is required")
    return value


def _text(value: str, name: str) -> str:
    if not value.strip() or len(value) > MAX_TEXT:
        raise BadParameter(
            messages.invalid_value(name, value), hint=f"{name}: 1 to {MAX_TEXT} characters"
        )
    return printable_name(value, name)


def _web_url(value: str, name: str) -> str:
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok or len(value) > 2048 or not value.isascii() or not value.isprintable():
        shown = value if value.isascii() and value.isprintable() else None
        raise BadParameter(messages.invalid_value(name, shown), hint=f"{name} is an http(s) URL")
    return value


def _redirect_uris(uris: tuple[str, ...]) -> tuple[str, ...]:
    for uri in uris:
        scheme = urlsplit(uri).scheme if uri.isascii() and uri.isprintable() else ""
        if not scheme or "://" not in uri or len(uri) > 2048:
            raise BadParameter(
                messages.invalid_value("redirectUris", uri if scheme else None),
                hint="each redirect URI is absolute (scheme://...)",
            )
    return uris


def _scopes(scopes: tuple[str, ...]) -> frozenset[str]:
    if not scopes:
        raise BadParameter(
            messages.invalid_value("scopes", []), hint="at least one scope is required"
        )
    for scope in scopes:
        if scope not in TOKEN_SCOPES:
            raise BadParameter(
                messages.invalid_value("scopes", scope),
                hint=f"scopes are: {', '.join(sorted(TOKEN_SCOPES))}",
            )
    return frozenset(scopes)


def _features(features: tuple[str, ...], kind: str) -> tuple[str, ...]:
    webhooks.check_features(features)
    if not features and kind != "ONLY_SECRET":
        raise BadParameter(
            messages.invalid_value("webhookFeatures", []),
            hint="at least one feature (only ONLY_SECRET keys have none)",
        )
    return features


def _webhook(change: AdvancedChange, kind: str) -> tuple[str, tuple[str, ...]]:
    url = _required(change.webhook_url, "webhookUrl")
    features = _required(change.webhook_features, "webhookFeatures")
    if url or kind != "ONLY_SECRET":  # an ONLY_SECRET key needs no webhook at all
        _web_url(url, "webhookUrl")
    return url, _features(features, kind)


class ApiKeyCalls:
    """What a token may do with its account's API keys (the operation table checks scopes)."""

    world: World
    token: ApiToken

    def _key_secret(self, bits: int) -> str:
        drawn = f"{self.world.rng.getrandbits(bits):0{bits // 4}x}"  # drawn either way
        return secrets.token_hex(bits // 8) if self.world.random_secrets else drawn

    # --- keys ---------------------------------------------------------------------------

    def api_key(self, api_key_id: int) -> ApiKey:
        """The key, if it exists (404) and belongs to the token's account (403)."""
        key = self.world.api_keys.keys.get(api_key_id)
        if key is None:
            raise NotFound(API_KEY_NOT_FOUND, hint=f"no API key {api_key_id}")
        if key.account_id != self.token.account_id:
            raise Forbidden(messages.FORBIDDEN, hint="the API key belongs to another account")
        return key

    def api_keys(self) -> list[ApiKey]:
        mine = self.token.account_id
        return sorted(
            (k for k in self.world.api_keys.keys.values() if k.account_id == mine),
            key=lambda k: k.api_key_id,
        )

    def create_api_key(self, change: ApiKeyChange) -> ApiKey:
        description = _text(_required(change.description, "description"), "description")
        uris = _redirect_uris(change.redirect_uris or ())
        key = ApiKey(
            self.world.new_api_key_id(),
            self.token.account_id,
            description,
            uris,
            self._key_secret(128),
            self.world.now(),
        )
        self.world.api_keys.keys[key.api_key_id] = key
        return key

    def update_api_key(self, api_key_id: int, change: ApiKeyChange) -> None:
        key = self.api_key(api_key_id)
        description = (
            key.description
            if change.description is None
            else _text(change.description, "description")
        )
        uris = key.redirect_uris if change.redirect_uris is None else change.redirect_uris
        self.world.api_keys.keys[api_key_id] = replace(
            key, description=description, redirect_uris=_redirect_uris(uris)
        )

    def delete_api_key(self, api_key_id: int) -> None:
        """The key goes with its tokens (revoked at once) and its advanced key."""
        self.api_key(api_key_id)
        for revoked in self.world.api_keys.drop_key(api_key_id):
            self.world.tokens.pop(revoked, None)

    # --- tokens -------------------------------------------------------------------------

    def key_tokens(self, api_key_id: int) -> list[tuple[KeyToken, ApiToken]]:
        """The key's live tokens, oldest first."""
        self.api_key(api_key_id)
        tokens = self.world.tokens
        return [
            (record, tokens[record.token])
            for record in self.world.api_keys.key_tokens(api_key_id)
            if record.token in tokens
        ]

    def _key_token(self, api_key_id: int, token_id: str) -> tuple[KeyToken, ApiToken]:
        self.api_key(api_key_id)
        record = self.world.api_keys.tokens.get(token_id)
        live = self.world.tokens.get(record.token) if record is not None else None
        if record is None or live is None or record.api_key_id != api_key_id:
            raise NotFound(TOKEN_NOT_FOUND, hint=f"API key {api_key_id} has no token {token_id}")
        return record, live

    def create_key_token(self, api_key_id: int, change: TokenChange) -> tuple[KeyToken, ApiToken]:
        """A new bearer token of the key: it authenticates at once, with exactly ``scopes``."""
        self.api_key(api_key_id)
        description = _text(_required(change.description, "description"), "description")
        scopes = _scopes(_required(change.scopes, "scopes"))
        world = self.world
        now = world.now()
        drawn = ids.token(world.rng)  # drawn either way, so later ids follow from the seed
        secret = ids.random_token() if world.random_secrets else drawn
        api_token = ApiToken(secret, self.token.account_id, scopes, description, api_key_id)
        record = KeyToken(
            ids.object_id(world.rng, now), secret, api_key_id, self.token.account_id, now
        )
        world.tokens[secret] = api_token
        world.api_keys.tokens[record.id] = record
        return record, api_token

    def update_key_token(self, api_key_id: int, token_id: str, change: TokenChange) -> None:
        """New description or scopes; the token's very next call has the new scopes."""
        record, live = self._key_token(api_key_id, token_id)
        description = (
            live.name if change.description is None else _text(change.description, "description")
        )
        scopes = live.scopes if change.scopes is None else _scopes(change.scopes)
        self.world.tokens[record.token] = replace(live, name=description, scopes=scopes)

    def delete_key_token(self, api_key_id: int, token_id: str) -> None:
        """Revoke the token: its next call is 401."""
        record, _ = self._key_token(api_key_id, token_id)
        del self.world.api_keys.tokens[record.id]
        del self.world.tokens[record.token]

    # --- advanced keys ------------------------------------------------------------------

    def advanced_key(self, api_key_id: int) -> AdvancedKey:
        self.api_key(api_key_id)
        advanced = self.world.api_keys.advanced.get(api_key_id)
        if advanced is None:
            raise NotFound(ADVANCED_NOT_FOUND, hint=f"API key {api_key_id} has no advanced key")
        return advanced

    def deliveries(self, api_key_id: int) -> KeyDeliveries:
        """The counters of the key's decentral webhooks (those registered with its tokens):
        attempts that succeeded and that failed (each failed retry counts), over the
        subscriptions that still exist; DEACTIVATED while one of them is switched off after
        failures; the last attempt and last success among the kept delivery logs."""
        sent_ok, sent_failed, deactivated = self.world.outbox.key_counts(api_key_id)
        attempts = self.world.outbox.attempts(api_key_id)  # newest first
        last = attempts[0] if attempts else None
        success = next((a for a in attempts if a.succeeded), None)
        return KeyDeliveries(
            sent_ok,
            sent_failed,
            deactivated,
            success.at if success else None,
            last.duration_ms if last else None,
            last.succeeded if last else None,
        )

    def apply_advanced_key(self, api_key_id: int, change: AdvancedChange) -> None:
        """Apply for the Advanced API; applying again replaces the application's fields.

        There is no review in a simulator: the key is ACTIVE at once and shows its secret."""
        self.api_key(api_key_id)
        kind = _required(change.type, "type")
        if kind not in ADVANCED_TYPES:
            raise BadParameter(
                messages.invalid_value("type", kind), hint=f"one of {', '.join(ADVANCED_TYPES)}"
            )
        texts = {
            name: _text(_required(value, name), name)
            for name, value in (
                ("name", change.name),
                ("country", change.country),
                ("description", change.description),
            )
        }
        url = _web_url(_required(change.url, "url"), "url")
        email = check_email(_required(change.email, "email"))
        restricted = _required(change.restricted, "restricted")
        webhook_url, features = _webhook(change, kind)
        now = self.world.now()
        before = self.world.api_keys.advanced.get(api_key_id)
        self.world.api_keys.advanced[api_key_id] = AdvancedKey(
            api_key_id,
            self.token.account_id,
            texts["name"],
            texts["country"],
            texts["description"],
            kind,
            url,
            email,
            webhook_url,
            features,
            restricted,
            "ACTIVE",
            before.secret if before else self._key_secret(160),
            before.created if before else now,
            now,
        )

    def update_advanced_key(self, api_key_id: int, change: AdvancedChange) -> None:
        advanced = self.advanced_key(api_key_id)
        webhook_url, features = _webhook(change, advanced.type)
        self.world.api_keys.advanced[api_key_id] = replace(
            advanced, webhook_url=webhook_url, webhook_features=features, updated=self.world.now()
        )

    def delete_advanced_key(self, api_key_id: int) -> None:
        self.advanced_key(api_key_id)
        del self.world.api_keys.advanced[api_key_id]
