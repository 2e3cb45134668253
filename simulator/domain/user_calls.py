"""The account-user calls of the Nuki Web API: list, create, read, update, delete.

Type-0 app authorizations name an account user, so a user created here can be given one at
once. A delete is asynchronous as at Nuki: the user keeps its ``operationId`` (writes are 423)
until the scheduler removes it after the push delay.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.account_users import DeleteAccountUser
from nuki_sim.simulator.domain.errors import BadParameter, Conflict, Forbidden, Locked, NotFound
from nuki_sim.simulator.domain.inputs import (
    AccountUserCreate,
    AccountUserQuery,
    AccountUserUpdate,
    printable_name,
)
from nuki_sim.simulator.domain.model import AccountUser, ApiToken
from nuki_sim.simulator.domain.world import World

LANGUAGES = ("en", "de", "es", "fr", "it", "nl", "cs", "sk")
MAX_USERS = 100  # the most one listing returns (Nuki caps ``limit`` at a maximum of its own)
MAX_NAME = 50
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(value: str) -> str:
    """An e-mail address (400 if it is not one): account users, accounts, API key contacts."""
    if len(value) > 254 or not _EMAIL.match(value):
        raise BadParameter(messages.invalid_value("email", value), hint="a valid e-mail address")
    return value


def check_name(value: str) -> str:
    """A display name of 1 to 50 printable characters (users, accounts, addresses)."""
    if not value.strip() or len(value) > MAX_NAME:
        raise BadParameter(
            messages.invalid_value("name", value), hint=f"a name of 1 to {MAX_NAME} characters"
        )
    return printable_name(value)


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise BadParameter(
            messages.invalid_value("language", value), hint=f"one of {', '.join(LANGUAGES)}"
        )
    return value


class AccountUserCalls:
    """What a token may do with its account's users (the operation table checks scopes)."""

    world: World
    token: ApiToken

    def _users(self) -> list[AccountUser]:
        mine = self.token.account_id
        return [u for u in self.world.account_users.values() if u.account_id == mine]

    def account_user(self, account_user_id: int) -> AccountUser:
        """The user, if it exists (404) and belongs to the token's account (403)."""
        user = self.world.account_users.get(account_user_id)
        if user is None:
            raise NotFound(
                messages.ACCOUNT_USER_NOT_FOUND, hint=f"no account user {account_user_id}"
            )
        if user.account_id != self.token.account_id:
            raise Forbidden(messages.FORBIDDEN, hint="the account user belongs to another account")
        return user

    def _writable(self, account_user_id: int) -> AccountUser:
        user = self.account_user(account_user_id)
        if user.operation_id is not None:
            raise Locked(messages.ACCOUNT_USER_LOCKED, hint="its delete is still pending")
        return user

    def _check_unique(self, email: str, but: int | None = None) -> None:
        folded = email.casefold()
        for user in self._users():
            if user.email.casefold() == folded and user.account_user_id != but:
                raise Conflict(messages.EMAIL_EXISTS, hint="another account user has this e-mail")

    def account_users(self, query: AccountUserQuery) -> list[AccountUser]:
        users = sorted(self._users(), key=lambda u: u.account_user_id)
        if query.email is not None:
            users = [u for u in users if u.email.casefold() == query.email.casefold()]
        limit = MAX_USERS if query.limit is None else min(query.limit, MAX_USERS)
        return users[query.offset : query.offset + limit]

    def create_account_user(self, request: AccountUserCreate) -> AccountUser:
        if request.email is None:
            raise BadParameter(messages.invalid_value("email", None), hint="email is required")
        if request.name is None:
            raise BadParameter(messages.invalid_value("name", None), hint="name is required")
        email, name = check_email(request.email), check_name(request.name)
        language = _language(request.language) if request.language is not None else "en"
        if request.type is not None and request.type not in (0, 1):
            raise BadParameter(messages.invalid_value("type", request.type), hint="0 or 1")
        self._check_unique(email)
        return self.world.add_account_user(
            self.token.account_id, email=email, name=name, language=language, kind=request.type or 0
        )

    def update_account_user(self, account_user_id: int, changes: AccountUserUpdate) -> AccountUser:
        user = self._writable(account_user_id)
        email = check_email(changes.email) if changes.email is not None else user.email
        name = check_name(changes.name) if changes.name is not None else user.name
        language = _language(changes.language) if changes.language is not None else user.language
        self._check_unique(email, but=account_user_id)
        user = replace(
            user, email=email, name=name, language=language, update_date=self.world.now()
        )
        self.world.account_users[account_user_id] = user
        return user

    def delete_account_user(self, account_user_id: int) -> None:
        user = self._writable(account_user_id)
        operation_id = self.world.new_id()
        self.world.account_users[account_user_id] = replace(user, operation_id=operation_id)
        due = self.world.now() + timedelta(seconds=self.world.config.push_delay)
        self.world.scheduler.schedule(due, DeleteAccountUser(account_user_id, operation_id))
