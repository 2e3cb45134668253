"""The account's API keys, their tokens' bookkeeping and advanced API keys (one store).

An API key is what a Nuki Web account creates to hand out tokens: the tokens themselves
stay in ``World.tokens`` (the table every request authenticates against, and from which
the account's integrations are derived), each naming its key by ``api_key_id``. This store
keeps what the tokens table does not: the keys, each token's public id and creation date
(the secret token string is shown only once, when it is created), and the advanced API key
(the Advanced API application, at most one per key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ADVANCED_TYPES = ("ONLY_SECRET", "SHORT_RENTAL", "HEALTHCARE", "SMART_HOME", "OTHER")
ADVANCED_STATUSES = ("INACTIVE", "APPLIED", "TESTING", "ACTIVE")
WEBHOOK_STATUSES = ("ACTIVE", "DEACTIVATED")


@dataclass(frozen=True)
class ApiKey:
    """One API key of an account (Nuki's ``ApiKey``)."""

    api_key_id: int
    account_id: int
    description: str
    redirect_uris: tuple[str, ...]
    api_key: str  # the key's own public string (Nuki's ``apiKey``)
    created: datetime


@dataclass(frozen=True)
class KeyToken:
    """What is known of a token of an API key besides ``World.tokens``' entry."""

    id: str  # the public id in paths (``/api/key/{apiKeyId}/token/{id}``), not the secret
    token: str  # the key of its ``World.tokens`` entry
    api_key_id: int
    account_id: int
    created: datetime


@dataclass(frozen=True)
class AdvancedKey:
    """The Advanced API application of one API key (Nuki's ``AdvancedApiKey``)."""

    api_key_id: int
    account_id: int
    name: str
    country: str
    description: str
    type: str  # one of ADVANCED_TYPES
    url: str
    email: str
    webhook_url: str
    webhook_features: tuple[str, ...]
    restricted: bool
    status: str  # one of ADVANCED_STATUSES
    secret: str
    created: datetime
    updated: datetime


@dataclass
class ApiKeyBook:
    """All API keys, key tokens and advanced keys of the world, keyed by their ids."""

    keys: dict[int, ApiKey] = field(default_factory=dict)
    tokens: dict[str, KeyToken] = field(default_factory=dict)  # by public id
    advanced: dict[int, AdvancedKey] = field(default_factory=dict)  # by api_key_id

    def key_tokens(self, api_key_id: int) -> list[KeyToken]:
        """The key's tokens, oldest first."""
        found = [t for t in self.tokens.values() if t.api_key_id == api_key_id]
        return sorted(found, key=lambda t: (t.created, t.id))

    def drop_key(self, api_key_id: int) -> list[str]:
        """Forget the key, its token records and its advanced key; answer the token strings
        (the caller removes them from ``World.tokens``, which revokes them)."""
        self.keys.pop(api_key_id, None)
        self.advanced.pop(api_key_id, None)
        gone = self.key_tokens(api_key_id)
        for record in gone:
            del self.tokens[record.id]
        return [record.token for record in gone]

    def forget_account(self, account_id: int) -> list[str]:
        """Drop everything of the account; answer its key tokens' strings (see ``drop_key``)."""
        strings: list[str] = []
        for key in [k for k in self.keys.values() if k.account_id == account_id]:
            strings += self.drop_key(key.api_key_id)
        for record in [t for t in self.tokens.values() if t.account_id == account_id]:
            del self.tokens[record.id]
            strings.append(record.token)
        for api_key_id in [a for a, v in self.advanced.items() if v.account_id == account_id]:
            del self.advanced[api_key_id]
        return strings
