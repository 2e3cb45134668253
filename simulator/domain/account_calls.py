"""The account calls of the Nuki Web API: update and delete the account, its settings, sub
accounts, integrations, one-time passwords, and the e-mail and password flows.

Accounts are global at Nuki: an e-mail address belongs to one account, so an update or a new
sub account with another account's address is 409. Updating the password deletes the
account's API tokens unless ``deleteApiTokens=false`` (the fact sheet: API tokens "are
destroyed when the account password changes"). The e-mail change and verification send mail
and nothing else (the address changes only once the link in that mail is followed, which no
API call does), so they are validated and accepted without a lasting effect.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Any

from nuki_sim.simulator.domain import messages, totp
from nuki_sim.simulator.domain.account_inputs import (
    AccountChange,
    IntegrationTarget,
    SubAccountCreate,
)
from nuki_sim.simulator.domain.account_settings import merge, web_setting
from nuki_sim.simulator.domain.account_store import MAX_OTP_FAILURES, AccountExtras, Otp
from nuki_sim.simulator.domain.errors import (
    BadParameter,
    Conflict,
    Forbidden,
    NotFound,
    SimError,
    Unauthorized,
)
from nuki_sim.simulator.domain.model import Account, ApiToken
from nuki_sim.simulator.domain.user_calls import _language, check_email, check_name
from nuki_sim.simulator.domain.world import World

MIN_PASSWORD = 7  # Nuki: "must be at least 7 chars long"
MAX_PASSWORD = 255
MAX_CREATE_RIGHTS = 31  # AccountSubCreate: 0 to 31
MAX_RIGHTS = 127  # AccountSubUpdate: 0 to 127
MAX_PATTERN = 64  # the simulator's bounds on the sub-account listing's e-mail regex
MAX_REPEATS = 1  # the search finds a match anywhere: `desk` needs no `.*`
ACCOUNT_NOT_FOUND = "Account not found"
SETTING_NOT_FOUND = "Account setting not found"
INTEGRATION_NOT_FOUND = "Integration not found"
OTP_EMPTY = "One-time password empty"
OTP_WRONG = "One-time password wrong"


class OtpAlreadyEnabled(SimError):
    """405: Nuki's answer to a new OTP secret while one-time passwords are enabled."""

    status = 405


class TooManyAttempts(SimError):
    """429: too many wrong one-time passwords for this secret."""

    status = 429


def token_id(token: ApiToken) -> int:
    """A token's number for ``DELETE /account/integration?tokenId=``: stable, from the token
    (the simulator's tokens carry no id of their own; 32 bits of its SHA-256)."""
    return int(hashlib.sha256(token.token.encode()).hexdigest()[:8], 16)


def _password(value: str) -> str:
    if not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        raise BadParameter(
            messages.invalid_value("password", "*" * len(value)),
            hint=f"a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters",
        )
    return value


def _rights(value: int, most: int) -> int:
    if not 0 <= value <= most:
        raise BadParameter(messages.invalid_value("rights", value), hint=f"a bitmask 0 to {most}")
    return value


def _required(parameter: str, value: Any) -> Any:
    if value is None:
        raise BadParameter(messages.invalid_value(parameter, None), hint=f"{parameter} is required")
    return value


def email_pattern(text: str) -> re.Pattern[str]:
    """The listing's ``email`` regular expression, if it is one the simulator can run safely.

    Python's engine backtracks: nested or repeated repetitions (``(a*)*b``, ``.*a.*b``) and
    alternations take exponential or high-polynomial time on a long address and would stall
    every client of the simulator. So a pattern has at most ``MAX_PATTERN`` characters and one
    repetition or alternation mark (``*``, ``+``, ``?``, ``{``, ``|``), not applied to a group:
    enough for ``^desk@.*\\.example$``; the match may start anywhere, so ``desk`` needs no
    ``.*``. One mark keeps the search quadratic in the address's length (at most 254).
    """
    hint = (
        f"a regular expression of at most {MAX_PATTERN} characters with at most one "
        "repetition or alternation (*, +, ?, {n}, |), not applied to a group"
    )
    if len(text) > MAX_PATTERN or not _few_repeats(text):
        raise BadParameter(messages.invalid_value("email", text), hint=hint)
    try:
        return re.compile(text, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError, ValueError):
        raise BadParameter(messages.invalid_value("email", text), hint=hint) from None


def _few_repeats(text: str) -> bool:
    """At most ``MAX_REPEATS`` unescaped marks and no repeated group (a mark in a character
    class or the ``?`` of ``(?`` counts too: stricter than needed, never looser)."""
    marks, previous, i = 0, "", 0
    while i < len(text):
        char = text[i]
        if char == "\\":  # an escape: the next character is literal
            previous, i = "\\", i + 2
            continue
        if char in "*+?{|":
            marks += 1
            if previous == ")":
                return False
        previous, i = char, i + 1
    return marks <= MAX_REPEATS


class AccountCalls:
    """What a token with the ``account`` scope may do with its own account."""

    world: World
    token: ApiToken

    # --- the account itself -------------------------------------------------------------

    def account_extras(self) -> AccountExtras:
        return self.world.account_store.of(self.token.account_id)

    def _check_email_free(self, email: str, owner: int) -> None:
        folded = email.casefold()
        for account in self.world.accounts.values():
            if account.email.casefold() == folded and account.account_id != owner:
                raise Conflict(messages.EMAIL_EXISTS, hint="another account has this e-mail")

    def _apply(self, account: Account, change: AccountChange, most_rights: int) -> bool:
        """Check ``change`` whole, then write it; whether it set a password."""
        language = _language(_required("language", change.language))
        email = check_email(change.email) if change.email is not None else account.email
        name = check_name(change.name) if change.name is not None else account.name
        if change.password is not None:
            _password(change.password)
        rights = account.rights
        if change.rights is not None:
            rights = _rights(change.rights, most_rights)
        self._check_email_free(email, account.account_id)
        world = self.world
        world.accounts[account.account_id] = replace(
            account, email=email, name=name, language=language, rights=rights,
            update_date=world.now(),
        )  # fmt: skip
        pins = (change.alexa_pin, change.gactions_home_pin)
        if change.profile is not None or pins != (None, None):
            extras = world.account_store.edit(account.account_id)
            if change.profile is not None:
                extras.profile = change.profile
            if change.alexa_pin is not None:
                extras.alexa_pin = change.alexa_pin
            if change.gactions_home_pin is not None:
                extras.gactions_home_pin = change.gactions_home_pin
        return change.password is not None

    def update_account(self, change: AccountChange, *, delete_tokens: bool = True) -> None:
        """``POST /account``; a new password revokes the account's API tokens (this one too)
        unless ``delete_tokens`` is false."""
        account = self.world.accounts[self.token.account_id]
        if self._apply(account, change, MAX_RIGHTS) and delete_tokens:
            self._revoke(
                [t for t in self.world.tokens.values() if t.account_id == account.account_id]
            )

    def delete_account(self) -> None:
        """``DELETE /account``: the account, its sub accounts and all of theirs, at once."""
        self.world.delete_account(self.token.account_id)

    def change_email(self, email: str | None) -> None:
        """Nuki mails a verification link to the new address; nothing changes until it is
        followed, which no API call does (accepted: checked, no lasting effect)."""
        self._check_email_free(check_email(_required("email", email)), self.token.account_id)

    def verify_email(self) -> None:
        """Nuki sends the verification mail again: nothing to check, nothing changes."""

    # --- settings ------------------------------------------------------------------------

    def setting(self) -> dict[str, Any]:
        stored = self.account_extras().setting
        if stored is None:
            raise NotFound(SETTING_NOT_FOUND, hint="no settings yet: PUT /account/setting")
        return stored

    def put_setting(self, web: dict[str, Any] | None) -> dict[str, Any]:
        change = web_setting(web or {})
        merged = merge(self.account_extras().setting, change)
        self.world.account_store.edit(self.token.account_id).setting = merged
        return merged

    def delete_setting(self) -> None:
        store = self.world.account_store
        if self.token.account_id in store.extras:
            store.edit(self.token.account_id).setting = None

    # --- one-time passwords --------------------------------------------------------------

    def create_otp(self) -> str:
        """A new secret (replacing one not yet enabled); 405 while OTP is enabled."""
        extras = self.world.account_store.edit(self.token.account_id)
        if extras.otp is not None and extras.otp.enabled is not None:
            raise OtpAlreadyEnabled(
                "One-time password is already enabled", hint="DELETE /account/otp first"
            )
        world = self.world
        extras.otp = Otp(totp.new_secret(world.rng, unpredictable=world.random_secrets))
        return extras.otp.secret

    def enable_otp(self, code: str | None) -> None:
        """Enable with a code of the secret (RFC 6238, on the simulator's clock)."""
        if code is None or not code.strip():
            raise BadParameter(OTP_EMPTY, hint="otp: the 6-digit code from the secret")
        otp = self.account_extras().otp
        if otp is None:
            raise BadParameter(
                messages.invalid_value("otp", code), hint="no secret yet: PUT /account/otp first"
            )
        if otp.failures >= MAX_OTP_FAILURES:
            raise TooManyAttempts(
                "Too many failed attempts", hint="draw a new secret with PUT /account/otp"
            )
        if not totp.verify(otp.secret, code, self.world.now()):
            otp.failures += 1
            raise Unauthorized(OTP_WRONG, hint="the code of the secret for the current 30 s")
        if otp.enabled is None:
            otp.enabled = self.world.now()
        otp.failures = 0

    def disable_otp(self) -> None:
        store = self.world.account_store
        if self.token.account_id in store.extras:
            store.edit(self.token.account_id).otp = None

    # --- integrations: the account's API tokens and its sub accounts' ---------------------

    def integrations(self) -> list[tuple[ApiToken, Account | None]]:
        """Each token of the account or of a sub account of it (with that sub account)."""
        mine = self.token.account_id
        accounts = self.world.accounts
        out: list[tuple[ApiToken, Account | None]] = []
        for token in self.world.tokens.values():
            owner = accounts.get(token.account_id)
            if token.account_id == mine:
                out.append((token, None))
            elif owner is not None and owner.master_account_id == mine:
                out.append((token, owner))
        return out

    def delete_integration(self, target: IntegrationTarget) -> None:
        """Revoke a whole API key's tokens, or one token (they are 401 from now on)."""
        key, number = target.api_key_id, target.token_id
        if key is None and number is None:
            raise BadParameter(
                messages.invalid_value("apiKeyId", None), hint="give apiKeyId, tokenId or both"
            )

        def picks(token: ApiToken) -> bool:
            return (key is None or token.api_key_id == key) and (
                number is None or token_id(token) == number
            )

        doomed = [token for token, _ in self.integrations() if picks(token)]
        if not doomed:
            if any(picks(token) for token in self.world.tokens.values()):
                raise Forbidden(
                    messages.FORBIDDEN, hint="the integration belongs to another account"
                )
            raise NotFound(INTEGRATION_NOT_FOUND, hint="see GET /account/integration")
        self._revoke(doomed)

    def _revoke(self, tokens: list[ApiToken]) -> None:
        for token in tokens:
            self.world.tokens.pop(token.token, None)

    # --- sub accounts --------------------------------------------------------------------

    def sub_accounts(self, email: str | None = None) -> list[Account]:
        """The caller's sub accounts by id; ``email`` is a regular expression (Nuki's)."""
        pattern = None if email is None else email_pattern(email)
        mine = self.token.account_id
        subs = [a for a in self.world.accounts.values() if a.master_account_id == mine]
        subs = [a for a in subs if pattern is None or pattern.search(a.email)]
        return sorted(subs, key=lambda a: a.account_id)

    def sub_account(self, account_id: int) -> Account:
        """A sub account of the caller's (404 no such account, 403 someone else's)."""
        account = self.world.accounts.get(account_id)
        if account is None:
            raise NotFound(ACCOUNT_NOT_FOUND, hint=f"no account {account_id}")
        if account.master_account_id != self.token.account_id:
            raise Forbidden(messages.FORBIDDEN, hint="not a sub account of this account")
        return account

    def create_sub_account(self, request: SubAccountCreate) -> Account:
        email = check_email(_required("email", request.email))
        _password(_required("password", request.password))
        name = check_name(_required("name", request.name))
        rights = _rights(_required("rights", request.rights), MAX_CREATE_RIGHTS)
        language = _language(_required("language", request.language))
        self._check_email_free(email, 0)
        account = self.world.add_account(
            email=email, name=name, language=language,
            master_account_id=self.token.account_id, rights=rights,
        )  # fmt: skip
        if request.profile is not None:
            self.world.account_store.edit(account.account_id).profile = request.profile
        return account

    def update_sub_account(self, account_id: int, change: AccountChange) -> None:
        self._apply(self.sub_account(account_id), change, MAX_RIGHTS)

    def delete_sub_account(self, account_id: int) -> None:
        self.world.delete_account(self.sub_account(account_id).account_id)


def password_reset(world: World, email: str | None) -> None:
    """``POST /account/password/reset``: Nuki mails a reset link if an account has the
    address and answers alike either way (no hint whether it does); nothing changes here."""
    check_email(_required("email", email))
