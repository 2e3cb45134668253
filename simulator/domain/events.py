"""The device's side of a lock: its motor, its log, and what happens to it rather than
through the API (connectivity, battery, a jammed motor, someone typing on the keypad).

A part of the :class:`~nuki_sim.simulator.domain.world.World`. An online device reports its
status and log entries to the cloud as they happen; an offline one keeps its log entries until
it reconnects. The cloud's queue is reached through the :class:`~.parts.Queue` interface only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain import devices, lifecycle, quirks
from nuki_sim.simulator.domain.codes import (
    LOG_ACTIONS,
    Action,
    AuthType,
    LogSource,
    LogState,
    LogTrigger,
)
from nuki_sim.simulator.domain.model import Lock, LockAction, LogEntry, Outcome
from nuki_sim.simulator.domain.parts import Context, Queue, Reports
from nuki_sim.simulator.domain.schedule import refusal as schedule_refusal


@dataclass(frozen=True)
class MotionStep:
    """Move the motor of a lock to step ``index`` of ``action``'s walk."""

    smartlock_id: int
    operation_id: str
    action: int
    index: int


class DeviceEvents:
    """The motor, the log, connectivity, battery, jam and keypad entry of every lock."""

    def __init__(self, ctx: Context, notifier: Reports, queue: Queue) -> None:
        self.ctx = ctx
        self.notifier = notifier
        self.queue = queue

    # --- the motor ---------------------------------------------------------------------

    def start_action(
        self,
        lock: Lock,
        command: LockAction,
        at: datetime,
        trigger: int = LogTrigger.WEB,
        source: int = LogSource.DEFAULT,
    ) -> Outcome:
        device = lock.device
        who, slot = command.who, command.auth_id
        if device.motion_ends is not None:
            if command.action in LOG_ACTIONS:
                self.log(lock, command.action, trigger, LogState.BUSY, who, slot, source)
            return Outcome(command, at, dev.ERR_BUSY)
        walks = dev.walks_for(lock.type)
        outcome, step = dev.start_motion(device, command, at, self.ctx.config, walks)
        state = LogState.SUCCESS if outcome.ok else LogState.MOTOR_BLOCKED
        if command.action in LOG_ACTIONS:  # an opener's mode switch (6, 7) has no log code
            self.log(lock, command.action, trigger, state, who, slot, source)
        if step is not None:
            device.motion_ends = at + step
            self.ctx.scheduler.schedule(
                at + step, MotionStep(lock.smartlock_id, command.operation_id, command.action, 1)
            )
        self.status_changed(lock)
        return outcome

    def run_motion_step(self, job: MotionStep, at: datetime) -> None:
        lock = self.ctx.locks.get(job.smartlock_id)
        if lock is None:  # the lock was removed after the job was scheduled
            return
        walks = dev.walks_for(lock.type)
        step = dev.motion_step(lock.device, job.action, job.index, self.ctx.config, walks)
        if step is not None:
            lock.device.motion_ends = at + step
            self.ctx.scheduler.schedule(at + step, replace(job, index=job.index + 1))
        self.status_changed(lock)

    def status_changed(self, lock: Lock) -> None:
        """An online device reports its status to the cloud as it changes."""
        status = lock.device.status
        if lock.device.online and lock.cloud.status is not status and lock.cloud.status != status:
            lock.cloud.status = status
            self.notifier.status(lock)

    # --- the log -------------------------------------------------------------------------

    def log(
        self, lock: Lock, action: int, trigger: int, state: int, name: str, auth_id: str,
        source: int = 0,
    ) -> LogEntry:  # fmt: skip
        ctx = self.ctx
        entry = LogEntry(
            id=ctx.new_id(),
            smartlock_id=lock.smartlock_id,
            device_type=lock.type
            if lock.type != devices.BOX
            else 0,  # log: "0 Smartlock 1/2 + Box"
            name=name,
            action=action,
            trigger=trigger,
            state=state,
            date=ctx.now(),
            auth_id=auth_id,
            source=source,
        )
        lock.device.log.append(entry)
        if lock.device.online:
            lock.cloud.logs.append(entry)
            self.notifier.log(lock, entry)
        else:
            lock.device.unsent_logs.append(entry)
        return entry

    def upload_logs(self, lock: Lock) -> None:
        """Hand the cloud what the lock logged while it was offline."""
        for entry in lock.device.unsent_logs:
            lock.cloud.logs.append(entry)
            self.notifier.log(lock, entry)
        lock.device.unsent_logs.clear()

    # --- things that happen to a lock ----------------------------------------------------

    def set_online(self, lock: Lock, online: bool) -> list[Outcome]:
        """Take the device off the network or bring it back.

        On reconnect the device receives everything queued while it was away, in order, and
        the cloud learns the outcome of each command it pushed at once (the seed: "once the
        command is processed by Nuki, [the platform] will send a webhook event with the
        result"). Only those: outcomes of commands pushed while the lock was online, and
        changes made on the lock itself, still wait for the daily sync.
        """
        device = lock.device
        if device.online == online:
            return []
        device.online = online
        if not online:
            self.notifier.status(lock)  # serverState 4
            return []
        cloud = lock.cloud
        before, errors_before = dict(cloud.auths), dict(cloud.errors)
        cloud.status = device.status
        self.notifier.status(lock)  # serverState 0 again, and whatever changed meanwhile
        self.upload_logs(lock)
        outcomes = self.queue.deliver(lock)
        lifecycle.report(lock, only=outcomes)  # what ran now; earlier pushes wait
        self.notifier.auth_changes(lock, before, errors_before)
        return outcomes

    def set_battery(self, lock: Lock, charge: float) -> None:
        config = self.ctx.config
        lock.device.battery = max(0.0, min(100.0, charge))
        lock.device.status = dev.with_battery(lock.device.status, lock.device.battery, config)
        self.status_changed(lock)

    def set_jammed(self, lock: Lock, jammed: bool) -> None:
        """Jam (or free) the motor: the next motor action ends in state 254."""
        lock.device.jammed = jammed

    def keypad_entry(self, lock: Lock, code: int | str) -> tuple[bool, str]:
        """Someone types ``code`` on the lock's keypad: open, or say why not.

        Works offline too (the keypad talks to the lock, not the cloud); the log entry then
        reaches the cloud when the lock reconnects.
        """
        device = lock.device
        if not device.keypad_paired:
            return False, "no keypad is paired with this lock"
        now = self.ctx.now()
        text = str(code)
        auth = next(
            (
                a
                for a in device.auths.values()
                if a.type == AuthType.KEYPAD_CODE and str(a.code) == text
            ),
            None,
        )
        on = self.ctx.config.quirks
        if auth is None:
            trigger = (
                LogTrigger.KEYPAD_ERROR
                if quirks.WRONG_CODE_TRIGGER_253 in on
                else LogTrigger.KEYPAD
            )
            self.log(lock, Action.UNLOCK, trigger, LogState.INVALID_CODE, "", "",
                     LogSource.KEYPAD_CODE)  # fmt: skip
            return False, "unknown code"
        slot = auth.id
        refusal = None if auth.enabled else "the code is disabled"
        refusal = refusal or schedule_refusal(
            auth.schedule, now, device.timezone,
            needs_date_window=quirks.TIME_WINDOW_NEEDS_DATE_WINDOW in on,
        )  # fmt: skip
        if refusal is not None:
            self.log(lock, Action.UNLOCK, LogTrigger.KEYPAD, LogState.REJECTED, auth.name, slot,
                     LogSource.KEYPAD_CODE)  # fmt: skip
            return False, refusal
        opens = devices.MODELS[lock.model].open_action  # an opener opens (3), a lock unlocks
        command = LockAction(self.ctx.new_id(), now, opens, 0, auth.name, auth.id)
        outcome = self.start_action(lock, command, now, LogTrigger.KEYPAD, LogSource.KEYPAD_CODE)
        if not outcome.ok:
            return False, outcome.error or "refused"
        device.auths[auth.id] = replace(auth, lock_count=auth.lock_count + 1, last_active_date=now)
        return True, "granted"
