"""Things that happen to a lock rather than through the API: the control plane's verbs.

A mixin of :class:`~nuki_sim.simulator.domain.world.World`: connectivity, battery, a jammed motor and
someone typing on the keypad.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain.codes import Action, AuthType, LogSource, LogState, LogTrigger
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Auth, Lock, LockAction, LogEntry, Outcome
from nuki_sim.simulator.domain.schedule import refusal as schedule_refusal


class DeviceEvents:
    """Connectivity, battery, jam and keypad entry (mixed into World)."""

    config: SimConfig
    now: Callable[[], datetime]
    new_id: Callable[[], str]
    deliver: Callable[..., list[Outcome]]
    _report_outcomes: Callable[..., None]
    _upload_logs: Callable[[Lock], None]
    _status_changed: Callable[[Lock], None]
    _start_action: Callable[..., Outcome]
    _log: Callable[..., LogEntry]
    notify_status: Callable[[Lock], None]
    notify_auth_changes: Callable[[Lock, dict[str, Auth], dict[str, str]], None]

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
            self.notify_status(lock)  # serverState 4
            return []
        cloud = lock.cloud
        before, errors_before = dict(cloud.auths), dict(cloud.errors)
        cloud.status = device.status
        self.notify_status(lock)  # serverState 0 again, and whatever changed meanwhile
        self._upload_logs(lock)
        outcomes = self.deliver(lock)
        self._report_outcomes(lock, only=outcomes)  # what ran now; earlier pushes wait
        self.notify_auth_changes(lock, before, errors_before)
        return outcomes

    def set_battery(self, lock: Lock, charge: float) -> None:
        lock.device.battery = max(0.0, min(100.0, charge))
        lock.device.status = dev.with_battery(lock.device.status, lock.device.battery, self.config)
        self._status_changed(lock)

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
        now = self.now()
        text = str(code)
        auth = next(
            (
                a
                for a in device.auths.values()
                if a.type == AuthType.KEYPAD_CODE and str(a.code) == text
            ),
            None,
        )
        if auth is None:
            self._log(lock, Action.UNLOCK, LogTrigger.KEYPAD, LogState.INVALID_CODE, "", "",
                      LogSource.KEYPAD_CODE)  # fmt: skip
            return False, "unknown code"
        slot = auth.id
        refusal = None if auth.enabled else "the code is disabled"
        refusal = refusal or schedule_refusal(auth.schedule, now, device.timezone)
        if refusal is not None:
            self._log(lock, Action.UNLOCK, LogTrigger.KEYPAD, LogState.REJECTED, auth.name, slot,
                      LogSource.KEYPAD_CODE)  # fmt: skip
            return False, refusal
        command = LockAction(self.new_id(), now, Action.UNLOCK, 0, auth.name, auth.id)
        outcome = self._start_action(lock, command, now, LogTrigger.KEYPAD, LogSource.KEYPAD_CODE)
        if not outcome.ok:
            return False, outcome.error or "refused"
        device.auths[auth.id] = replace(auth, lock_count=auth.lock_count + 1, last_active_date=now)
        return True, "granted"
