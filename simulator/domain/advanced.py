"""Advanced API requests: a ``requestId`` at once, the outcome later by an API-triggered webhook.

Nuki's Advanced API endpoints (docs "API triggered webhooks") answer ``{"requestId": …}`` and
POST the outcome to the integration's webhook once it is known. Here a request waits for the
commands it queued (one lock action, or one new authorization per lock). The cloud sync tells
:meth:`AdvancedRequests.settled` what the device made of each command, wherever it was
delivered (push, reconnect, sync); when the last one is known, one webhook goes to every
decentral webhook of the account, whatever its features (those name the device-triggered
kinds only; Nuki sends API-triggered ones to the integration's webhook).

A command that has not reached its lock :data:`TIMEOUT` after it was due there (the push
delay after the request) is taken back from the queue and fails with ``ff`` (Nuki's ERROR_UNKNOWN, "device most likely offline"): an
advanced unlock does not wait for days and then open a door. A create that failed this way is
listed with its ``error`` at once, like any failed create.

Shared-key authorizations (``…/auth/advanced/sharedkey``) keep their generated key here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain import ids, lifecycle
from nuki_sim.simulator.domain.codes import Action
from nuki_sim.simulator.domain.model import CreateAuth, Lock, Outcome
from nuki_sim.simulator.domain.outbox import Outbox
from nuki_sim.simulator.domain.parts import Context, Reports

TIMEOUT = timedelta(seconds=60)
"""How long a request's command may wait for its lock, after the push delay (when an online
lock would have had it), before it fails with ``ff``."""
AUTH_CREATION = "AuthCreation"
ACTION_TYPES: dict[int, str] = {
    Action.UNLOCK: "UnlockAction",
    Action.LOCK: "LockAction",
    Action.UNLATCH: "UnlatchAction",
    Action.LOCK_N_GO: "LockNGoAction",
    Action.LOCK_N_GO_UNLATCH: "LockNGoWithUnlatchAction",
}
"""The webhook ``type`` of each action (Nuki documents ``UnlockAction``; the rest follow it)."""
OTHER_ACTION = "Action"
"""The webhook ``type`` of an opener's continuous-mode actions (6, 7): Nuki names none."""
UNKNOWN = "ff"
ERR_NOT_REACHED = "ERROR_UNKNOWN (0xFF): the lock was not reached in time (most likely offline)"
ERROR_CODES: dict[str, str] = {
    dev.ERR_CODE_EXISTS: "2a",
    dev.ERR_MAX_USER: "13",
    dev.ERR_NOT_ON_DEVICE: UNKNOWN,
    dev.ERR_MOTOR_BLOCKED: "42",  # K_ERROR_MOTOR_BLOCKED
    dev.ERR_BUSY: "45",
    ERR_NOT_REACHED: UNKNOWN,
}
"""Device error texts → the hex error byte the webhook reports (Nuki's error-code table)."""
_HEX = re.compile(r"\(0x([0-9A-Fa-f]{2})\)")
SHARED_KEY_BITS = 256


def error_code(error: str) -> str:
    """The lowercase hex device error byte for a device error text (``ff`` if unknown)."""
    code = ERROR_CODES.get(error)
    if code is not None:
        return code
    found = _HEX.search(error)
    return found.group(1).lower() if found else UNKNOWN


@dataclass(frozen=True)
class RequestPart:
    """One command a request waits for: on which lock, and (a create) the new auth's id."""

    smartlock_id: int
    operation_id: str
    auth_id: str | None = None
    error_code: str | None = None  # set when it failed


@dataclass
class AdvancedRequest:
    """An accepted Advanced API request whose outcome is not yet reported."""

    request_id: str
    account_id: int
    type: str  # the webhook's ``type``: UnlockAction, …, AuthCreation
    deadline: datetime
    smartlock_id: int | None  # an action's lock (its webhook names it); None: AuthCreation
    waiting: list[RequestPart]
    failed: list[RequestPart] = field(default_factory=list)


@dataclass(frozen=True)
class SharedKey:
    """The key generated for a shared-key authorization (64 hex digits)."""

    account_id: int
    smartlock_id: int
    key: str


@dataclass
class AdvancedBook:
    """The Advanced API's state: open requests by requestId, shared keys by auth id."""

    requests: dict[str, AdvancedRequest] = field(default_factory=dict)
    shared_keys: dict[str, SharedKey] = field(default_factory=dict)


@dataclass(frozen=True)
class AdvancedTimeout:
    """Fail what request ``request_id`` still waits for (its commands did not reach a lock)."""

    request_id: str


def payload(request: AdvancedRequest) -> dict[str, Any]:
    """The API-triggered webhook: ``type``, ``requestId``, (an action's) ``smartlockId``,
    ``success``, and on failure ``detail``: one entry per lock that failed."""
    body: dict[str, Any] = {"type": request.type, "requestId": request.request_id}
    if request.smartlock_id is not None:
        body["smartlockId"] = request.smartlock_id
    body["success"] = not request.failed
    if request.failed:
        body["detail"] = [_detail(part) for part in request.failed]
    return body


def _detail(part: RequestPart) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "smartlockId": part.smartlock_id,
        "success": False,
        "errorCode": part.error_code or UNKNOWN,
    }
    if part.auth_id is not None:
        entry["id"] = part.auth_id
    return entry


class AdvancedRequests:
    """Open requests, their timeouts and their webhooks (a part of the world)."""

    def __init__(self, ctx: Context, outbox: Outbox, notifier: Reports) -> None:
        self.ctx = ctx
        self.outbox = outbox
        self.notifier = notifier
        self.book = AdvancedBook()
        self._by_operation: dict[str, str] = {}  # operation id -> request id (derived)

    # --- requests -------------------------------------------------------------------------

    def open(
        self, account_id: int, kind: str, parts: list[RequestPart], smartlock_id: int | None = None
    ) -> str:
        """Note a request for the commands of ``parts`` (queued already); its requestId."""
        ctx = self.ctx
        now = ctx.now()
        request_id = ids.object_id(ctx.rng, now)
        while request_id in self.book.requests:
            request_id = ids.object_id(ctx.rng, now)
        deadline = now + timedelta(seconds=ctx.config.push_delay) + TIMEOUT
        request = AdvancedRequest(request_id, account_id, kind, deadline, smartlock_id, list(parts))
        self.book.requests[request_id] = request
        for part in parts:
            self._by_operation[part.operation_id] = request_id
        ctx.scheduler.schedule(request.deadline, AdvancedTimeout(request_id))
        return request_id

    def settled(self, lock: Lock, outcome: Outcome) -> None:
        """The device gave ``outcome``: if a request waits for it, note it (and report)."""
        if not self._by_operation:
            return
        request_id = self._by_operation.pop(outcome.command.operation_id, None)
        request = self.book.requests.get(request_id) if request_id is not None else None
        if request is None:
            return
        operation_id = outcome.command.operation_id
        part = next(p for p in request.waiting if p.operation_id == operation_id)
        request.waiting.remove(part)
        if outcome.error is not None:
            request.failed.append(replace(part, error_code=error_code(outcome.error)))
        if not request.waiting:
            self._finish(request)

    def run_timeout(self, job: AdvancedTimeout, at: datetime) -> None:
        """What has not reached its lock by now is taken back and fails with ``ff``."""
        request = self.book.requests.get(job.request_id)
        if request is None:
            return  # reported already
        for part in list(request.waiting):
            lock = self.ctx.locks.get(part.smartlock_id)
            if lock is not None:
                self._withdraw(lock, part.operation_id, at)
            self._fail(request, part)
        self._finish(request)

    def _withdraw(self, lock: Lock, operation_id: str, at: datetime) -> None:
        before, errors_before = dict(lock.cloud.auths), dict(lock.cloud.errors)
        outcome = lifecycle.withdraw(lock, operation_id, at, ERR_NOT_REACHED)
        if outcome is not None and isinstance(outcome.command, CreateAuth):
            self.notifier.auth_changes(lock, before, errors_before)

    def _fail(self, request: AdvancedRequest, part: RequestPart, code: str = UNKNOWN) -> None:
        request.waiting.remove(part)
        self._by_operation.pop(part.operation_id, None)
        request.failed.append(replace(part, error_code=code))

    def _finish(self, request: AdvancedRequest) -> None:
        del self.book.requests[request.request_id]
        self.outbox.post_result(request.account_id, request.smartlock_id, payload(request))

    # --- shared keys ----------------------------------------------------------------------

    def new_shared_key(self, account_id: int, smartlock_id: int, auth_id: str) -> str:
        """Generate (from the seeded RNG) and keep the shared key of a new authorization."""
        key = f"{self.ctx.rng.getrandbits(SHARED_KEY_BITS):064x}"
        self.book.shared_keys[auth_id] = SharedKey(account_id, smartlock_id, key)
        return key

    # --- cascades and state ---------------------------------------------------------------

    def forget_lock(self, smartlock_id: int) -> None:
        """The lock is gone: what a request still waits for on it fails (``ff``) now."""
        for request in list(self.book.requests.values()):
            parts = [p for p in request.waiting if p.smartlock_id == smartlock_id]
            for part in parts:
                self._fail(request, part)
            if parts and not request.waiting:
                self._finish(request)
        keys = self.book.shared_keys
        for auth_id in [a for a, k in keys.items() if k.smartlock_id == smartlock_id]:
            del keys[auth_id]

    def forget_account(self, account_id: int) -> None:
        """Drop the account's open requests (unreported) and its shared keys."""
        book = self.book
        for request_id in [r for r, q in book.requests.items() if q.account_id == account_id]:
            for part in book.requests.pop(request_id).waiting:
                self._by_operation.pop(part.operation_id, None)
        for auth_id in [a for a, k in book.shared_keys.items() if k.account_id == account_id]:
            del book.shared_keys[auth_id]

    def load(self, book: AdvancedBook) -> None:
        self.book = book
        self._by_operation = {
            part.operation_id: request.request_id
            for request in book.requests.values()
            for part in request.waiting
        }
