"""The Advanced API calls of a session: actions and authorizations answered with a requestId,
and shared-key authorizations.

A mixin of :class:`~nuki_sim.simulator.domain.api.Session`: it checks like the plain calls
(the same ownership, 423 and body rules, through the session's own checks), queues the same
commands, and hands them to the world's :class:`~.advanced.AdvancedRequests`, which reports
their outcome by an API-triggered webhook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.advanced import (
    ACTION_TYPES,
    AUTH_CREATION,
    OTHER_ACTION,
    RequestPart,
)
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.devices import check_action
from nuki_sim.simulator.domain.errors import BadParameter, Locked
from nuki_sim.simulator.domain.inputs import AuthCreate
from nuki_sim.simulator.domain.model import ApiToken, Auth, CreateAuth, Lock, LockAction
from nuki_sim.simulator.domain.world import World


class AdvancedCalls:
    """What a token may do through the Advanced API (the operation table checks scopes)."""

    world: World
    token: ApiToken
    # The session's own checks (LockSession), used as they are.
    lock: Callable[[int], Lock]
    _check_create: Callable[[Lock, AuthCreate], None]
    _queue_create: Callable[[Lock, AuthCreate], CreateAuth]

    def advanced_action(self, smartlock_id: int, action: int, option: int = 0) -> str:
        """Queue a lock action like ``POST …/action`` (400 if the model has no such action,
        423 while the lock is busy); the requestId whose webhook reports what the lock made
        of it."""
        world = self.world
        lock = self.lock(smartlock_id)
        check_action(lock.model, action)
        if world.lock_busy(lock):
            raise Locked(messages.LOCK_BUSY, hint="wait until the running action has finished")
        command = LockAction(
            world.new_id(), world.now(), action, option, self.token.name, lock.api_auth_id
        )
        world.enqueue(lock, command)
        part = RequestPart(lock.smartlock_id, command.operation_id)
        kind = ACTION_TYPES.get(action, OTHER_ACTION)
        return world.advanced.open(lock.account_id, kind, [part], lock.smartlock_id)

    def advanced_create_auths(self, locks: list[Lock], request: AuthCreate) -> str:
        """Queue an app authorization on each lock like ``PUT /smartlock/auth`` (every lock
        checked first); the requestId of the one webhook that reports all of them."""
        for lock in locks:
            self._check_create(lock, request)
        parts = []
        for lock in locks:
            command = self._queue_create(lock, request)
            parts.append(RequestPart(lock.smartlock_id, command.operation_id, command.auth.id))
        return self.world.advanced.open(self.token.account_id, AUTH_CREATION, parts)

    def create_shared_key_auth(self, lock: Lock, request: AuthCreate) -> tuple[Auth, str]:
        """A new app authorization whose shared key the cloud generates (kept by the world),
        queued for the lock like any create; the authorization as created and its operation."""
        world = self.world
        user_id = request.account_user_id
        if user_id is not None:
            user = world.account_users.get(user_id)
            if user is None or user.account_id != lock.account_id:
                raise BadParameter(messages.invalid_value("accountUserId", user_id))
        # The same create as every other (ids drawn in the same order), then the key.
        app = replace(request, type=AuthType.APP, code=None, smart_actions_enabled=False)
        command = self._queue_create(lock, app)
        world.advanced.new_shared_key(lock.account_id, lock.smartlock_id, command.auth.id)
        return command.auth, command.operation_id
