"""Sync: how the cloud's copy of a lock is reconciled from the device.

A mixin of :class:`~nuki_sim.simulator.domain.world.World`. A sync (daily, manual, or the report at a
reconnect) is the only way the cloud learns what the lock holds; until then
``GET /smartlock/{id}/auth`` keeps listing the cloud's last copy, which is the behaviour the
seed tells integrators to expect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain.clock import ONE_DAY
from nuki_sim.simulator.domain.model import CreateAuth, Lock, LockAction, Outcome
from nuki_sim.simulator.domain.scheduler import Due, Scheduler

MAX_LISTED_FAILURES = 100
"""Failed creates listed per lock (with their ``error``) at most; the oldest go first."""


@dataclass(frozen=True)
class AutoSync:
    """The lock's daily auto sync (skipped while the lock is offline)."""

    smartlock_id: int


class Syncing:
    """Sync, the daily auto sync and the reconnect report (mixed into World)."""

    scheduler: Scheduler
    _wanted: Callable[[int, str], list[Any]]
    now: Callable[[], datetime]
    deliver: Callable[..., list[Outcome]]
    _status_changed: Callable[[Lock], None]
    notify_log: Callable[..., None]
    notify_auth_changes: Callable[..., None]
    notify_masterdata: Callable[..., None]
    notify_config: Callable[[Lock], None]

    def sync(self, lock: Lock) -> bool:
        """Deliver what is queued, then make the cloud's copy equal the device's truth.

        A sync needs the device: on an offline lock it does nothing and returns False. A
        create that failed on the device stays listed with ``error`` set until deleted.
        """
        if not lock.device.online:
            return False
        if lock.cloud.queue:
            self.deliver(lock)
        cloud = lock.cloud
        watched = self._wanted(lock.account_id, "DEVICE_AUTHS")
        before, errors_before = (dict(cloud.auths), dict(cloud.errors)) if watched else ({}, {})
        if cloud.outcomes:
            self._report_outcomes(lock)
        listed = dict(lock.device.auths)
        if cloud.errors:
            for auth_id in cloud.errors:  # failed creates stay listed (with error) until deleted
                if auth_id not in listed and auth_id in cloud.auths:
                    listed[auth_id] = cloud.auths[auth_id]
            cloud.errors = {k: v for k, v in cloud.errors.items() if k in listed}
        cloud.auths = listed
        if lock.device.unsent_logs:
            self._upload_logs(lock)
        self._status_changed(lock)
        cloud.last_sync = self.now()
        if watched:
            self.notify_auth_changes(lock, before, errors_before)
        self.notify_masterdata(lock)
        self.notify_config(lock)
        return True

    def _report_outcomes(self, lock: Lock, only: list[Outcome] | None = None) -> None:
        """Fold what the device said about pushed commands into the cloud's copy: every
        outcome not yet reported, or ``only`` those given (the rest wait for the sync)."""
        cloud = lock.cloud
        for outcome in cloud.outcomes if only is None else only:
            command = outcome.command
            if isinstance(command, LockAction):
                continue
            target = command.auth.id if isinstance(command, CreateAuth) else command.auth_id
            if outcome.error is not None:
                if isinstance(command, CreateAuth):
                    cloud.auths[target] = command.auth
                elif target not in lock.device.auths:
                    # The lock no longer holds the auth (an earlier delete ran): its answer
                    # says so, and listing it with the error would keep a deleted auth forever.
                    cloud.auths.pop(target, None)
                    cloud.errors.pop(target, None)
                    continue
                if target in cloud.auths:
                    cloud.errors[target] = outcome.error
                continue
            cloud.errors.pop(target, None)
            on_device = lock.device.auths.get(target)
            if on_device is None:
                cloud.auths.pop(target, None)
            else:
                cloud.auths[target] = on_device
        if len(cloud.errors) > MAX_LISTED_FAILURES:
            _forget_oldest_failures(lock)
        if only is None:
            cloud.outcomes.clear()
        else:
            # Older outcomes for the auths just reported are superseded: folding them in at the
            # sync would undo the newer report (e.g. bring back an error a later success cleared).
            reported = {id(o) for o in only}
            touched = {_target(o) for o in only} - {None}
            cloud.outcomes = [
                o for o in cloud.outcomes if id(o) not in reported and _target(o) not in touched
            ]

    def _upload_logs(self, lock: Lock) -> None:
        for entry in lock.device.unsent_logs:
            lock.cloud.logs.append(entry)
            self.notify_log(lock, entry)
        lock.device.unsent_logs.clear()

    def schedule_auto_sync(self, lock: Lock) -> None:
        """Put the lock's next daily auto sync on the agenda, at its time of day (UTC)."""
        now = self.now()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        at = today + timedelta(minutes=lock.sync_minute)
        if at <= now:
            at += timedelta(days=1)
        lock.next_auto_sync = at
        self.scheduler.schedule(at, AutoSync(lock.smartlock_id))

    def _run_auto_sync(self, lock: Lock, due: Due) -> None:
        if lock.next_auto_sync != due.at:
            return  # superseded: the lock's sync time was changed after this was scheduled
        self.sync(lock)  # on an offline lock it does nothing: the next try is a day on
        lock.next_auto_sync = due.at + ONE_DAY
        self.scheduler.schedule(lock.next_auto_sync, due.job)  # the same (frozen) job value


def _forget_oldest_failures(lock: Lock) -> None:
    """Keep the newest :data:`MAX_LISTED_FAILURES` failed creates listed on ``lock``; older
    ones are dropped from the cloud's list, so a flood of refused creates cannot make every
    later request on the lock slower (each one reads the list)."""
    cloud = lock.cloud
    failed = [auth_id for auth_id in cloud.errors if auth_id not in lock.device.auths]
    for auth_id in failed[: len(failed) - MAX_LISTED_FAILURES]:
        del cloud.errors[auth_id]
        cloud.auths.pop(auth_id, None)


def _target(outcome: Outcome) -> str | None:
    """The auth an outcome is about (None for a lock action)."""
    command = outcome.command
    if isinstance(command, LockAction):
        return None
    return command.auth.id if isinstance(command, CreateAuth) else command.auth_id
