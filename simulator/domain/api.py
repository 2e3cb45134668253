"""The Nuki Web API as domain calls: one method per operation, scopes and ownership checked.

A :class:`Session` is what a bearer token may do. The HTTP layer checks the token's scopes
(once, from the operation table), parses HTTP into the typed inputs of
:mod:`nuki_sim.simulator.domain.inputs` and serializes what comes back; it decides nothing
else. Every write is checked completely before anything changes, so a refused request
leaves the world exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from nuki_sim.simulator.domain import ids, lifecycle, messages, quirks
from nuki_sim.simulator.domain.account_calls import AccountCalls
from nuki_sim.simulator.domain.address_calls import AddressCalls
from nuki_sim.simulator.domain.advanced_calls import AdvancedCalls
from nuki_sim.simulator.domain.apikey_calls import ApiKeyCalls
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.config_calls import ConfigCalls
from nuki_sim.simulator.domain.devices import check_action, keypad_capacity
from nuki_sim.simulator.domain.errors import (
    BadParameter,
    Conflict,
    Forbidden,
    Locked,
    NotFound,
    Unauthorized,
)
from nuki_sim.simulator.domain.inputs import (
    AuthCreate,
    AuthFilter,
    LockFilter,
    LogQuery,
    PageRequest,
    Registration,
    SmartlockUpdate,
    WebhookLogQuery,
)
from nuki_sim.simulator.domain.model import (
    Account,
    ApiToken,
    Auth,
    AuthChanges,
    CreateAuth,
    DeleteAuth,
    Lock,
    LockAction,
    LogEntry,
    UpdateAuth,
    merged,
)
from nuki_sim.simulator.domain.notification_calls import NotificationCalls
from nuki_sim.simulator.domain.rules import check_schedule
from nuki_sim.simulator.domain.user_calls import AccountUserCalls
from nuki_sim.simulator.domain.webhooks import Attempt, Subscription
from nuki_sim.simulator.domain.world import World

MAX_LOG_LIMIT = 50
DEFAULT_LOG_LIMIT = 20


EVERY_AUTH = AuthFilter()
EVERY_ENTRY = LogQuery()


@dataclass(frozen=True)
class CloudAuth:
    """One authorization as the cloud lists it, with its pending operation and error."""

    auth: Auth
    operation_id: str | None
    error: str | None


@dataclass(frozen=True)
class Page:
    results: list[CloudAuth]
    total: int
    page: int
    size: int


def open_session(world: World, authorization: str | None) -> Session:
    """Find the token in an ``Authorization: Bearer …`` header value, or refuse (401)."""
    if not authorization:
        raise Unauthorized(messages.TOKEN_NOT_AUTHORIZED, hint="send Authorization: Bearer <token>")
    scheme, _, value = authorization.partition(" ")
    token = world.tokens.get(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise Unauthorized(messages.TOKEN_NOT_AUTHORIZED, hint="the token is unknown")
    return Session(world, token)


class LockSession:
    """What one API token may do with accounts, locks, authorizations and logs."""

    def __init__(self, world: World, token: ApiToken) -> None:
        self.world = world
        self.token = token

    # --- checks ----------------------------------------------------------------------

    def require(self, *scopes: str) -> None:
        """Refuse (401) unless the token has one of ``scopes`` (the operation table's)."""
        if not self.token.scopes.intersection(scopes):
            raise Unauthorized(
                messages.TOKEN_NOT_AUTHORIZED,
                hint=f"this call needs a token with the scope {' or '.join(scopes)}",
            )

    def lock(self, smartlock_id: int) -> Lock:
        """The lock, if it exists (404) and belongs to the token's account (403)."""
        lock = self.world.locks.get(smartlock_id)
        if lock is None:
            raise NotFound(messages.SMARTLOCK_NOT_FOUND, hint=f"no smartlock {smartlock_id}")
        if lock.account_id != self.token.account_id:
            raise Forbidden(messages.FORBIDDEN, hint="the smartlock belongs to another account")
        return lock

    def _my_locks(self) -> list[Lock]:
        return [lk for lk in self.world.locks.values() if lk.account_id == self.token.account_id]

    def _cloud_auth(self, lock: Lock, auth_id: str) -> Auth:
        auth = lock.cloud.auths.get(auth_id)
        if auth is None:
            raise NotFound(
                messages.AUTH_NOT_FOUND,
                hint="new authorizations are listed only after the lock's next sync",
            )
        return auth

    def locks(self, smartlock_ids: list[int]) -> list[Lock]:
        return [self.lock(i) for i in smartlock_ids]

    def find_auth(self, smartlock_id: int | None, auth_id: str) -> tuple[Lock, Auth]:
        """An authorization of one lock, or (``smartlock_id`` None) of any lock of the account."""
        if smartlock_id is not None:
            lock = self.lock(smartlock_id)
            return lock, self._cloud_auth(lock, auth_id)
        for lock in self._my_locks():
            auth = lock.cloud.auths.get(auth_id)
            if auth is not None:
                return lock, auth
        raise NotFound(messages.AUTH_NOT_FOUND, hint=f"no authorization {auth_id} in this account")

    def _listed(self, lock: Lock, auth: Auth) -> CloudAuth:
        return CloudAuth(auth, lock.cloud.operations.get(auth.id), lock.cloud.errors.get(auth.id))

    # --- account and locks --------------------------------------------------------------

    def account(self) -> Account:
        return self.world.accounts[self.token.account_id]

    def smartlocks(self, only: LockFilter) -> list[Lock]:
        return [
            lk
            for lk in self._my_locks()
            if (only.auth_id is None or lk.auth_id == only.auth_id)
            and (only.type is None or lk.type == only.type)
        ]

    def update_smartlock(self, lock: Lock, update: SmartlockUpdate) -> None:
        if update.name is not None:
            lock.name = update.name
        if update.favorite is not None:
            lock.favorite = update.favorite
        lock.update_date = self.world.now()
        self.world.notify_masterdata(lock)

    def delete_smartlock(self, smartlock_id: int) -> None:
        lock = self.lock(smartlock_id)
        del self.world.locks[lock.smartlock_id]
        self.world.forget_lock(lock.smartlock_id)
        self.world.notify_masterdata(lock, deleted=True)

    def action(self, smartlock_id: int, action: int, option: int = 0) -> None:
        """Queue a lock action; 400 if the lock's model has no such action, 423 while another
        action is queued or the motor runs."""
        lock = self.lock(smartlock_id)
        check_action(lock.model, action)
        if self.world.lock_busy(lock):
            raise Locked(messages.LOCK_BUSY, hint="wait until the running action has finished")
        command = LockAction(
            self.world.new_id(), self.world.now(), action, option, self.token.name,
            lock.api_auth_id,
        )  # fmt: skip
        self.world.enqueue(lock, command)

    def sync(self, smartlock_id: int) -> None:
        """``POST /smartlock/{id}/sync``: accepted always; does nothing while offline."""
        self.world.sync(self.lock(smartlock_id))

    # --- authorizations ---------------------------------------------------------------

    def auths(self, lock: Lock, only: AuthFilter = EVERY_AUTH) -> list[CloudAuth]:
        types = only.types
        return [
            self._listed(lock, a)
            for a in lock.cloud.auths.values()
            if types is None or a.type in types
        ]

    def all_auths(self, only: AuthFilter = EVERY_AUTH) -> list[CloudAuth]:
        types, user = only.types, only.account_user_id
        return [
            self._listed(lock, a)
            for lock in self._my_locks()
            for a in lock.cloud.auths.values()
            if (types is None or a.type in types) and _user_matches(a, user)
        ]

    def auths_paged(self, only: AuthFilter, at: PageRequest) -> Page:
        everything = self.all_auths(only)
        page, size = at.page, at.size
        return Page(everything[page * size : (page + 1) * size], len(everything), page, size)

    def auth(self, smartlock_id: int, auth_id: str) -> CloudAuth:
        return self._listed(*self.find_auth(smartlock_id, auth_id))

    def create_auth(self, locks: list[Lock], request: AuthCreate) -> None:
        """Queue a new authorization on each lock, after checking every lock first."""
        for lock in locks:
            self._check_create(lock, request)
        for lock in locks:
            self._queue_create(lock, request)

    def _check_create(self, lock: Lock, request: AuthCreate) -> None:
        if request.type == AuthType.KEYPAD_CODE:
            if not lock.device.keypad_paired:
                raise_invalid_type()
            codes = self.world.cloud_keypad_codes(lock)
            if request.code in codes:
                raise Conflict(messages.DUPLICATE_CODE, hint="codes are unique per lock")
            capacity = keypad_capacity(lock.device.keypad_model, self.world.config.max_keypad_codes)
            if len(codes) >= capacity:
                raise Conflict(
                    messages.NO_SPACE,
                    hint=f"a lock holds {capacity} keypad codes; "
                    "delete one first (expired codes still count)",
                )
        elif request.account_user_id not in self.world.account_users or (
            self.world.account_users[request.account_user_id].account_id != lock.account_id
        ):
            raise_invalid("accountUserId", request.account_user_id)

    def _queue_create(self, lock: Lock, request: AuthCreate) -> CreateAuth:
        world = self.world
        now = world.now()  # read once: the ids are minted as of the same instant
        auth = Auth(
            id=ids.object_id(world.rng, now),
            smartlock_id=lock.smartlock_id,
            auth_id=0,
            type=request.type,
            name=request.name,
            enabled=True,
            remote_allowed=request.remote_allowed,
            creation_date=now,
            update_date=now,
            code=request.code,
            schedule=request.schedule,
            account_user_id=request.account_user_id,
            smart_actions_enabled=request.smart_actions_enabled,
        )
        command = CreateAuth(ids.object_id(world.rng, now), now, auth)
        world.enqueue(lock, command)
        return command

    def update_auths(self, updates: Iterable[tuple[Lock, Auth, AuthChanges]]) -> None:
        """Check every update, then queue them all (423 while one of them is pending).

        ``updates`` is read one at a time: the caller may find and parse each lazily, so the
        first refusal is for the first bad update, as Nuki checks them in order. With the
        quirk rapid-update-lost, the first update of an auth whose update is still pending
        is checked like any other, answered 204 and dropped; only the next one gets 423.
        """
        planned: list[tuple[Lock, UpdateAuth]] = []
        dropped: list[tuple[Lock, str]] = []
        seen: set[str] = set()
        claimed: dict[tuple[int, int], str] = {}
        known: dict[int, dict[int, str]] = {}  # per lock: nothing is queued until all pass
        lose = quirks.RAPID_UPDATE_LOST in self.world.config.quirks
        for lock, auth, changes in updates:
            drop = auth.id in lock.cloud.operations or auth.id in seen
            if drop and not (lose and self._may_lose(lock, auth.id, seen, dropped)):
                raise Locked(
                    messages.AUTH_LOCKED, hint="wait until the pending change reached the lock"
                )
            if changes.code is not None:
                codes = known.get(lock.smartlock_id)
                if codes is None:
                    codes = known[lock.smartlock_id] = self.world.cloud_keypad_codes(lock)
                owner = codes.get(changes.code, auth.id)
                key = (lock.smartlock_id, changes.code)
                if owner != auth.id or claimed.get(key, auth.id) != auth.id:
                    raise Conflict(messages.DUPLICATE_CODE, hint="codes are unique per lock")
                if not drop:
                    claimed[key] = auth.id
            if changes.account_user_id is not None and changes.account_user_id not in (
                self.world.account_users
            ):
                raise_invalid("accountUserId", changes.account_user_id)
            if changes.keep:  # omitted time fields keep their values: check what they make
                check_schedule(merged(auth.schedule, changes))
            if drop:
                dropped.append((lock, auth.id))
                continue
            seen.add(auth.id)
            planned.append(
                (lock, UpdateAuth(self.world.new_id(), self.world.now(), auth.id, changes))
            )
        for lock, command in planned:
            self.world.enqueue(lock, command)
        for lock, auth_id in dropped:
            lifecycle.lose(lock, auth_id)

    @staticmethod
    def _may_lose(
        lock: Lock, auth_id: str, seen: set[str], dropped: list[tuple[Lock, str]]
    ) -> bool:
        """Whether an update of a busy auth is swallowed (rapid-update-lost) rather than 423:
        its pending update (queued before, or earlier in this request) swallowed none yet."""
        if any(a == auth_id for _, a in dropped):
            return False
        return auth_id in seen or lifecycle.may_lose(lock, auth_id)

    def delete_auths(self, targets: list[tuple[int | None, str]]) -> None:
        """Check every target, then queue the deletes (423 while one is pending)."""
        planned: list[tuple[Lock, str]] = []
        for smartlock_id, auth_id in targets:
            lock, auth = self.find_auth(smartlock_id, auth_id)
            if auth.id in lock.cloud.operations:
                raise Locked(
                    messages.AUTH_LOCKED, hint="wait until the pending change reached the lock"
                )
            planned.append((lock, auth.id))
        for lock, auth_id in planned:
            self.world.enqueue(lock, DeleteAuth(self.world.new_id(), self.world.now(), auth_id))

    # --- activity log -------------------------------------------------------------------

    def logs(self, locks: list[Lock] | None, query: LogQuery = EVERY_ENTRY) -> list[LogEntry]:
        """Newest first (``locks`` None: every lock of the account); ``cursor`` is the id of
        the last entry seen (entries older than it follow); ``limit`` at most 50."""
        if locks is None:
            locks = self._my_locks()
        auth_id, user, action = query.auth_id, query.account_user_id, query.action
        start, end, cursor = query.start, query.end, query.cursor
        limit = query.limit or DEFAULT_LOG_LIMIT
        # Each lock's log is in the order things happened; a stable sort by date keeps that
        # order among entries of the same millisecond, and reversing makes it newest first.
        entries = sorted((e for lock in locks for e in lock.cloud.logs), key=lambda e: e.date)[::-1]
        if cursor is not None:
            at = next((i for i, e in enumerate(entries) if e.id == cursor), None)
            if at is None:
                raise_invalid("id", cursor)
            entries = entries[at + 1 :]
        picked = [
            e
            for e in entries
            if (auth_id is None or e.auth_id == auth_id)
            and (user is None or e.account_user_id == user)
            and (start is None or e.date >= start)
            and (end is None or e.date <= end)
            and (action is None or e.action == action)
        ]
        return picked[: min(limit, MAX_LOG_LIMIT)]


# --- decentral webhooks --------------------------------------------------------------------

MAX_WEBHOOK_LOG_LIMIT = 100
DEFAULT_WEBHOOK_LOG_LIMIT = 50


class Session(
    LockSession,
    AccountUserCalls,
    AccountCalls,
    ApiKeyCalls,
    NotificationCalls,
    AddressCalls,
    AdvancedCalls,
    ConfigCalls,
):
    """What one API token may do: the lock operations and the calls of each area (the
    account, account users, API keys, notifications, addresses, advanced actions, configuration, ...), one
    mixin per area."""

    def subscribe(self, registration: Registration) -> Subscription:
        """The world checks the URL and features (``webhooks.check_registration``)."""
        return self.world.subscribe(self.token, registration)

    def subscriptions(self) -> list[Subscription]:
        return [
            s for s in self.world.subscriptions.values() if s.account_id == self.token.account_id
        ]

    def unsubscribe(self, sub_id: int) -> None:
        self.world.unsubscribe(self.token.account_id, sub_id)

    def own_key(self, api_key_id: int) -> int:
        """``api_key_id``, if it is a key of the token's account (403 another's, 404 none)."""
        keys = {
            t.api_key_id
            for t in self.world.tokens.values()
            if t.account_id == self.token.account_id
        }
        made = self.world.api_keys.keys.get(api_key_id)  # a key made by PUT /api/key
        if made is not None and made.account_id == self.token.account_id:
            keys.add(api_key_id)
        if api_key_id not in keys:
            owner = made is not None or any(
                t.api_key_id == api_key_id for t in self.world.tokens.values()
            )
            if owner:
                raise Forbidden(messages.FORBIDDEN, hint="the API key belongs to another account")
            raise NotFound(f"no API key {api_key_id}")
        return api_key_id

    def webhook_logs(self, api_key_id: int, query: WebhookLogQuery) -> list[Attempt]:
        """Newest first; ``cursor`` is an older-than cursor; ``limit`` default 50, at most 100.

        ``api_key_id`` is one :meth:`own_key` has let through."""
        limit = query.limit or DEFAULT_WEBHOOK_LOG_LIMIT
        attempts = self.world.attempts(api_key_id)
        cursor = query.cursor
        if cursor is not None:
            index = next((i for i, a in enumerate(attempts) if a.id == cursor), None)
            if index is None:
                raise_invalid("id", cursor)
            attempts = attempts[index + 1 :]
        return attempts[: min(limit, MAX_WEBHOOK_LOG_LIMIT)]

    def reactivate(self, api_key_id: int) -> None:
        self.own_key(api_key_id)
        self.world.reactivate_key(self.token.account_id, api_key_id)


def _user_matches(auth: Auth, user: int | None) -> bool:
    if user is None:
        return True
    if user < 0:  # Nuki: a negative accountUserId selects auths without a user
        return auth.account_user_id is None
    return auth.account_user_id == user


def raise_invalid(parameter: str, value: Any) -> NoReturn:
    raise BadParameter(messages.invalid_value(parameter, value))


def raise_invalid_type() -> NoReturn:
    raise BadParameter(
        messages.invalid_value("type", 13),
        hint="keypad codes (type 13) need a keypad paired with the lock",
    )
