"""What the account calls take: bodies with their JSON types checked (the calls check values)."""

from __future__ import annotations

from dataclasses import dataclass

from nuki_sim.simulator.domain.account_store import Profile


@dataclass(frozen=True)
class AccountChange:
    """``AccountUpdate`` / ``AccountSubUpdate``: omitted (or null) fields stay as they are.

    ``language`` is required by Nuki's Swagger in both bodies; ``rights`` only exists in the
    sub-account body.
    """

    language: str | None
    email: str | None = None
    password: str | None = None
    name: str | None = None
    rights: int | None = None
    alexa_pin: str | None = None
    gactions_home_pin: str | None = None
    profile: Profile | None = None


@dataclass(frozen=True)
class SubAccountCreate:
    """``AccountSubCreate``: everything but the profile is required."""

    email: str | None
    password: str | None
    name: str | None
    rights: int | None
    language: str | None
    profile: Profile | None = None


@dataclass(frozen=True)
class IntegrationTarget:
    """``DELETE /account/integration``'s query: a whole API key, or one of its tokens."""

    api_key_id: int | None
    token_id: int | None
