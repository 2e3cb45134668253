"""The life of an authorization between the API and the lock, in one place.

Everything that moves an authorization from one state to the next lives in this module (the
rule h11 keeps for its state machine): the cloud's ``queue``, ``operations``, ``outcomes``,
``auths`` and ``errors`` of a :class:`~nuki_sim.simulator.domain.model.CloudCopy` are written
here and nowhere else (each change bumps the copy's ``version``); other modules only read them.

==========  ===========================================  ===============================  =======
state       where it shows                               entered by                       next
==========  ===========================================  ===============================  =======
pending     ``cloud.queue``; ``cloud.operations[id]``    :func:`accept` (an API write)    applied,
            (edits of the auth answer 423)                                                failed
applied     ``device.auths``; an ok outcome in           :func:`apply` (push, reconnect,  reported
            ``cloud.outcomes``                           or a sync delivers it)
failed      an outcome with ``error`` in                 :func:`apply` (the lock refused  reported
            ``cloud.outcomes``                           it: duplicate, full, gone)
reported    ``cloud.auths`` / ``cloud.errors``           :func:`report`: at a reconnect   listed
                                                         (what ran then) or at a sync;
                                                         :func:`propagate` (``nuki-docs``
                                                         profile: one outcome, a delay
                                                         after it was applied)
listed      ``cloud.auths`` = the device's auths plus    :func:`relist` (every sync)      pending
            failed creates (with ``error``)
==========  ===========================================  ===============================  =======

A failed create stays listed with its error until deleted; at most
:data:`MAX_LISTED_FAILURES` of them per lock (the oldest go first). Demo data and restores
skip the states and are placed straight onto device and cloud (:func:`seed`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import (
    Auth,
    Command,
    CreateAuth,
    DeleteAuth,
    Lock,
    LockAction,
    Outcome,
    UpdateAuth,
)

MAX_LISTED_FAILURES = 100
"""Failed creates listed per lock (with their ``error``) at most; the oldest go first."""


def target(command: Command) -> str | None:
    """The authorization a command is about (None for a lock action). Written once."""
    if isinstance(command, CreateAuth):
        return command.auth.id
    if isinstance(command, LockAction):
        return None
    return command.auth_id


def accept(lock: Lock, command: Command) -> None:
    """pending: queue ``command`` for the device; its auth is busy until the device has it."""
    lock.cloud.queue.append(command)
    auth_id = target(command)
    if auth_id is not None:
        lock.cloud.operations[auth_id] = command.operation_id
        lock.cloud.version += 1


def apply(lock: Lock, command: Command, at: datetime, config: SimConfig) -> Outcome:
    """applied or failed: the device runs an auth command; the cloud keeps its answer."""
    outcome = dev.apply_auth(lock.device, command, at, config)
    auth_id = target(command)
    cloud = lock.cloud
    if auth_id is not None and cloud.operations.get(auth_id) == command.operation_id:
        del cloud.operations[auth_id]
        cloud.version += 1
    cloud.outcomes.append(outcome)
    return outcome


def report(lock: Lock, only: list[Outcome] | None = None) -> None:
    """reported: fold what the device said about pushed commands into the cloud's copy: every
    outcome not yet reported, or ``only`` those given (the rest wait for the sync)."""
    cloud = lock.cloud
    cloud.version += 1
    for outcome in cloud.outcomes if only is None else only:
        command = outcome.command
        auth_id = target(command)
        if auth_id is None:
            continue
        if outcome.error is not None:
            if isinstance(command, CreateAuth):
                cloud.auths[auth_id] = command.auth
            elif auth_id not in lock.device.auths and auth_id not in cloud.errors:
                # The lock no longer holds the auth (an earlier delete ran): its answer
                # says so, and listing it with the error would keep a deleted auth forever.
                # A failed create (listed with its error) is never on the lock: a refused
                # change to it leaves it listed, with the newer error, until it is deleted.
                cloud.auths.pop(auth_id, None)
                cloud.errors.pop(auth_id, None)
                continue
            if auth_id in cloud.auths:
                cloud.errors[auth_id] = outcome.error
            continue
        cloud.errors.pop(auth_id, None)
        on_device = lock.device.auths.get(auth_id)
        if on_device is None:
            cloud.auths.pop(auth_id, None)
        else:
            cloud.auths[auth_id] = on_device
    if len(cloud.errors) > MAX_LISTED_FAILURES:
        _forget_oldest_failures(lock)
    if only is None:
        cloud.outcomes.clear()
    else:
        # Older outcomes for the auths just reported are superseded: folding them in at the
        # sync would undo the newer report (e.g. bring back an error a later success cleared).
        reported = {id(o) for o in only}
        touched = {target(o.command) for o in only} - {None}
        cloud.outcomes = [
            o for o in cloud.outcomes if id(o) not in reported and target(o.command) not in touched
        ]


def propagate(lock: Lock, operation_id: str) -> bool:
    """reported (``nuki-docs``): the cloud lists what the lock made of one API write without
    waiting for the sync. False if a sync or reconnect has reported it already, or if the lock
    has applied a newer change of the same authorization since: that one's propagation lists
    both, so nothing is listed before its delay is up."""
    outcomes = lock.cloud.outcomes
    mine = next((o for o in outcomes if o.command.operation_id == operation_id), None)
    if mine is None:
        return False
    auth_id = target(mine.command)
    same = [o for o in outcomes if target(o.command) == auth_id]  # in the order applied
    if same[-1] is not mine:
        return False
    report(lock, only=same)
    return True


def relist(lock: Lock) -> None:
    """listed (a sync): report every outcome, then list what the lock holds plus the failed
    creates, which stay listed with their error until deleted."""
    cloud = lock.cloud
    cloud.version += 1
    if not cloud.outcomes and not cloud.errors:  # nothing to fold in: list what the lock holds
        cloud.auths = dict(lock.device.auths)
        return
    if cloud.outcomes:
        report(lock)
    listed = dict(lock.device.auths)
    if cloud.errors:
        for auth_id in cloud.errors:
            if auth_id not in listed and auth_id in cloud.auths:
                listed[auth_id] = cloud.auths[auth_id]
        cloud.errors = {k: v for k, v in cloud.errors.items() if k in listed}
    cloud.auths = listed


def withdraw(lock: Lock, operation_id: str, at: datetime, error: str) -> Outcome | None:
    """failed without reaching the lock: take a queued command back (an Advanced API request
    that timed out) and report it at once; a create is then listed with ``error``. None if
    the command is no longer queued."""
    cloud = lock.cloud
    command = next((c for c in cloud.queue if c.operation_id == operation_id), None)
    if command is None:
        return None
    cloud.queue.remove(command)
    auth_id = target(command)
    if auth_id is not None and cloud.operations.get(auth_id) == operation_id:
        del cloud.operations[auth_id]
    outcome = Outcome(command, at, error)
    report(lock, only=[outcome])
    return outcome


def seed(lock: Lock, auth: Auth) -> Auth:
    """Put an authorization on the device and in the cloud at once (demo data, restores)."""
    placed = replace(auth, auth_id=lock.device.next_slot)
    lock.device.next_slot += 1
    lock.device.auths[placed.id] = placed
    dev.forget_codes(lock.device)
    lock.cloud.auths[placed.id] = placed
    lock.cloud.version += 1
    return placed


def keypad_codes(lock: Lock) -> dict[int, str]:
    """Keypad codes the cloud lists on a lock (code → auth id), failed creates excluded."""
    keypad, errors = AuthType.KEYPAD_CODE, lock.cloud.errors  # looked up once, not per auth
    return {
        a.code: a.id
        for a in lock.cloud.auths.values()
        if a.type == keypad and a.code is not None and a.id not in errors
    }


def known_keypad_codes(lock: Lock) -> dict[int, str]:
    """Keypad codes the cloud knows of on a lock (``nuki-docs``): those listed, changed by what
    the lock applied and the cloud has not listed yet, then by the writes still queued, in
    order (a create adds its code, a code update moves it, a delete frees it: the lock runs
    the queue in order, so a create queued after a delete of the same code succeeds)."""
    cloud = lock.cloud
    codes = keypad_codes(lock)
    if not cloud.outcomes and not cloud.queue:
        return codes
    owned = {auth_id: code for code, auth_id in codes.items()}
    keypad = AuthType.KEYPAD_CODE
    writes = [o.command for o in cloud.outcomes if o.error is None]
    writes.extend(cloud.queue)
    for command in writes:
        if isinstance(command, CreateAuth):
            auth = command.auth
            if auth.type == keypad and auth.code is not None:
                codes[auth.code], owned[auth.id] = auth.id, auth.code
        elif isinstance(command, UpdateAuth):
            new, old = command.changes.code, owned.get(command.auth_id)
            if new is not None and old is not None and new != old:
                if codes.get(old) == command.auth_id:
                    del codes[old]
                codes[new], owned[command.auth_id] = command.auth_id, new
        elif isinstance(command, DeleteAuth):
            old = owned.pop(command.auth_id, None)
            if old is not None and codes.get(old) == command.auth_id:
                del codes[old]
    return codes


def _forget_oldest_failures(lock: Lock) -> None:
    """Keep the newest :data:`MAX_LISTED_FAILURES` failed creates listed on ``lock``; older
    ones are dropped from the cloud's list, so a flood of refused creates cannot make every
    later request on the lock slower (each one reads the list)."""
    cloud = lock.cloud
    failed = [auth_id for auth_id in cloud.errors if auth_id not in lock.device.auths]
    for auth_id in failed[: len(failed) - MAX_LISTED_FAILURES]:
        del cloud.errors[auth_id]
        cloud.auths.pop(auth_id, None)
