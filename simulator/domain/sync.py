"""The cloud's side of a lock: the command queue to the device, pushes, and sync.

A part of the :class:`~nuki_sim.simulator.domain.world.World`. API writes wait in the lock's
queue; an online device receives them after the push delay (a :class:`Push` job). A sync
(daily, manual, or the report at a reconnect) is the only way the cloud learns what the lock
holds; until then ``GET /smartlock/{id}/auth`` keeps listing the cloud's last copy, which is
the behaviour the seed tells integrators to expect. The authorization's states themselves
are kept by :mod:`~nuki_sim.simulator.domain.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from nuki_sim.simulator.domain import config_writes, lifecycle
from nuki_sim.simulator.domain.clock import ONE_DAY
from nuki_sim.simulator.domain.lifecycle import MAX_LISTED_FAILURES
from nuki_sim.simulator.domain.model import Command, Lock, LockAction, Outcome, WriteConfig
from nuki_sim.simulator.domain.parts import Context, Motor, Reports

__all__ = ["MAX_LISTED_FAILURES", "AutoSync", "CloudSync", "Propagate", "Push"]


@dataclass(frozen=True)
class Push:
    """Deliver a lock's queued commands up to and including ``operation_id``."""

    smartlock_id: int
    operation_id: str


@dataclass(frozen=True)
class Propagate:
    """``nuki-docs`` profile: list what the lock made of one API write (``propagation_seconds``
    after it applied it), unless a sync or reconnect listed it first."""

    smartlock_id: int
    operation_id: str


@dataclass(frozen=True)
class AutoSync:
    """The lock's daily auto sync (skipped while the lock is offline)."""

    smartlock_id: int


class CloudSync:
    """The queue between cloud and device, the push, the sync and the daily auto sync."""

    motor: Motor  # wired by the world once the device events exist
    settled: Callable[[Lock, Outcome], None] | None = None
    """Told each outcome as the device gives it (the Advanced API's pending requests)."""

    def __init__(self, ctx: Context, notifier: Reports) -> None:
        self.ctx = ctx
        self.notifier = notifier

    # --- the queue between cloud and device --------------------------------------------

    def enqueue(self, lock: Lock, command: Command) -> None:
        """Accept a command: it waits in the lock's queue until the device receives it."""
        lifecycle.accept(lock, command)
        if lock.device.online:
            self.ctx.scheduler.schedule(
                command.accepted_at + timedelta(seconds=self.ctx.config.push_delay),
                Push(lock.smartlock_id, command.operation_id),
            )

    def deliver(self, lock: Lock, *, until: str | None = None) -> list[Outcome]:
        """Hand queued commands to the (online) device in order, up to ``until`` if given."""
        outcomes: list[Outcome] = []
        queue = lock.cloud.queue
        if until is not None and all(c.operation_id != until for c in queue):
            return outcomes  # already delivered (by a sync, or an earlier push)
        while queue and lock.device.online:
            command = queue.popleft()
            outcomes.append(self._apply(lock, command))
            if command.operation_id == until:
                break
        return outcomes

    def _apply(self, lock: Lock, command: Command) -> Outcome:
        at = self.ctx.now()
        if isinstance(command, LockAction):
            outcome = self.motor.start_action(lock, command, at)
        elif isinstance(command, WriteConfig):
            outcome = config_writes.apply(lock, command, at, self.notifier)
        else:
            config = self.ctx.config
            outcome = lifecycle.apply(lock, command, at, config)
            if config.profile == "nuki-docs":  # the cloud lists it soon, not at the sync
                self.ctx.scheduler.schedule(
                    at + timedelta(seconds=config.propagation_seconds),
                    Propagate(lock.smartlock_id, command.operation_id),
                )
        settled = self.settled
        if settled is not None:
            settled(lock, outcome)
        return outcome

    def run_push(self, job: Push, at: datetime) -> None:
        lock = self.ctx.locks.get(job.smartlock_id)
        if lock is not None:
            self.deliver(lock, until=job.operation_id)

    def run_propagate(self, job: Propagate, at: datetime) -> None:
        """List one applied write and send DEVICE_AUTHS for it (the ``nuki-docs`` cloud)."""
        lock = self.ctx.locks.get(job.smartlock_id)
        if lock is None:
            return
        notifier = self.notifier
        watched = bool(notifier.audience) and notifier.watching(lock.account_id, "DEVICE_AUTHS")
        cloud = lock.cloud
        before, errors_before = (dict(cloud.auths), dict(cloud.errors)) if watched else ({}, {})
        if lifecycle.propagate(lock, job.operation_id) and watched:
            notifier.auth_changes(lock, before, errors_before)

    def lock_busy(self, lock: Lock) -> bool:
        """True while an action is queued for the device or its motor is still moving."""
        return lock.device.motion_ends is not None or any(
            isinstance(c, LockAction) for c in lock.cloud.queue
        )

    # --- sync ----------------------------------------------------------------------------

    def sync(self, lock: Lock, at: datetime | None = None) -> bool:
        """Deliver what is queued, then make the cloud's copy equal the device's truth.

        A sync needs the device: on an offline lock it does nothing and returns False. A
        create that failed on the device stays listed with ``error`` set until deleted.
        ``at``: the instant it runs as of, when the caller knows it (the daily auto sync: its
        due time, which is what the clock would say), saving a clock read per lock and day.
        """
        device = lock.device
        if not device.online:
            return False
        cloud = lock.cloud
        if cloud.queue:
            self.deliver(lock)
        notifier = self.notifier
        telling = bool(notifier.audience)  # nobody to tell: the cheap path a simulated year takes
        watched = telling and notifier.watching(lock.account_id, "DEVICE_AUTHS")
        before, errors_before = (dict(cloud.auths), dict(cloud.errors)) if watched else ({}, {})
        lifecycle.relist(lock)
        if device.unsent_logs:
            self.motor.upload_logs(lock)
        if cloud.status is not device.status:
            self.motor.status_changed(lock)
        cloud.last_sync = self.ctx.now() if at is None else at
        if watched:
            notifier.auth_changes(lock, before, errors_before)
        if telling:
            notifier.masterdata(lock)
            notifier.config(lock)
        return True

    def schedule_auto_sync(self, lock: Lock) -> None:
        """Put the lock's next daily auto sync on the agenda, at its time of day (UTC)."""
        now = self.ctx.now()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        at = today + timedelta(minutes=lock.sync_minute)
        if at <= now:
            at += ONE_DAY
        lock.next_auto_sync = at
        self.ctx.scheduler.schedule(at, AutoSync(lock.smartlock_id))

    def run_auto_sync(self, job: AutoSync, at: datetime) -> datetime | None:
        """Sync, and be due again a day on (the scheduler puts the same frozen job back)."""
        lock = self.ctx.locks.get(job.smartlock_id)
        if lock is None or lock.next_auto_sync != at:
            return None  # removed, or superseded: its time was changed after it was scheduled
        self.sync(lock, at)  # on an offline lock it does nothing: the next try is a day on
        lock.next_auto_sync = at = at + ONE_DAY
        return at
