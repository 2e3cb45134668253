"""What an account has beyond its row in ``World.accounts``: profile, pins, OTP, settings.

One store, one snapshot key (``account_store``). A row exists only for an account that set
something; :meth:`AccountStore.of` answers an empty one for the others, so reading never
writes. Sub accounts and the update date live on :class:`~.model.Account` itself, as every
listing of accounts shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Profile:
    """Nuki's ``Account.Profile``: all six fields, as its Swagger requires them."""

    first_name: str
    last_name: str
    address: str
    zip: str
    city: str
    country: str


@dataclass
class Otp:
    """A one-time-password secret: created by ``PUT /account/otp``, then enabled by a code.

    ``failures`` counts wrong codes against this secret; at ``MAX_OTP_FAILURES`` further tries
    are 429 until a new secret is drawn.
    """

    secret: str
    enabled: datetime | None = None
    failures: int = 0


MAX_OTP_FAILURES = 5


@dataclass
class AccountExtras:
    """One account's optional parts; ``setting`` is ``AccountSetting.web`` as last merged."""

    profile: Profile | None = None
    alexa_pin: str | None = None
    gactions_home_pin: str | None = None
    otp: Otp | None = None
    setting: dict[str, Any] | None = None


EMPTY = AccountExtras()


@dataclass
class AccountStore:
    """The optional parts of every account, by account id."""

    extras: dict[int, AccountExtras] = field(default_factory=dict)

    def of(self, account_id: int) -> AccountExtras:
        """The account's parts (an empty, shared value when it has none: do not change it)."""
        return self.extras.get(account_id, EMPTY)

    def edit(self, account_id: int) -> AccountExtras:
        """The account's parts, to change in place (created on first use)."""
        found = self.extras.get(account_id)
        if found is None:
            found = self.extras[account_id] = AccountExtras()
        return found

    def forget_account(self, account_id: int) -> None:
        self.extras.pop(account_id, None)
