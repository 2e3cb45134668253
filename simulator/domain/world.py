"""The simulated world: accounts, tokens, locks, time, and the machinery between them.

The world owns all mutable state, the one seeded RNG and the scheduler. It moves commands
from the cloud's per-lock queue to the device (after the push delay, only while the device
is online), runs the motor, and reconciles the cloud's copy from the device on a sync. The
Nuki API surface that routes call lives in :mod:`nuki_sim.simulator.domain.api`; this module is the
mechanism underneath it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain import ids
from nuki_sim.simulator.domain.clock import Clock, VirtualClock, as_utc, truncate_ms
from nuki_sim.simulator.domain.codes import SCOPES, AuthType, LogSource, LogState, LogTrigger
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.errors import ClockError, NotFound
from nuki_sim.simulator.domain.events import DeviceEvents
from nuki_sim.simulator.domain.model import (
    Account,
    AccountUser,
    ApiToken,
    Auth,
    CloudCopy,
    Command,
    CreateAuth,
    Device,
    Lock,
    LockAction,
    LogEntry,
    Outcome,
)
from nuki_sim.simulator.domain.notify import Notifications
from nuki_sim.simulator.domain.scheduler import Due, Scheduler
from nuki_sim.simulator.domain.sync import AutoSync, Syncing

# --- scheduled jobs (plain values, so the agenda can be snapshotted) -----------------------


@dataclass(frozen=True)
class Push:
    """Deliver a lock's queued commands up to and including ``operation_id``."""

    smartlock_id: int
    operation_id: str


@dataclass(frozen=True)
class MotionStep:
    """Move the motor of a lock to step ``index`` of ``action``'s walk."""

    smartlock_id: int
    operation_id: str
    action: int
    index: int


Job = Push | MotionStep | AutoSync


class World(Syncing, DeviceEvents, Notifications):
    """Everything the simulator knows, moved only by commands and by time."""

    def __init__(self, clock: Clock, *, seed: int = 0, config: SimConfig | None = None) -> None:
        self.clock = clock
        self.seed = seed
        self.config = config or SimConfig()
        self.rng = random.Random(seed)
        self.scheduler = Scheduler()
        self.accounts: dict[int, Account] = {}
        self.account_users: dict[int, AccountUser] = {}
        self.tokens: dict[str, ApiToken] = {}
        self.locks: dict[int, Lock] = {}
        self._next_account_id = 100_001
        self._next_user_id = 200_001
        self._next_api_key_id = 1
        self._runners: dict[type, Callable[[Lock, Due], None]] = {
            Push: self._run_push,
            MotionStep: self._run_motion_step,
            AutoSync: self._run_auto_sync,
        }
        self._init_notifications()
        self._running_at: datetime | None = None

    # --- time -------------------------------------------------------------------------

    def now(self) -> datetime:
        """The simulated present: while a due job runs, the instant it was due at."""
        if self._running_at is not None:
            return self._running_at
        return truncate_ms(as_utc(self.clock.now()))

    def catch_up(self) -> list[Due]:
        """Run every job due by the clock's current time (the system clock moves by itself).

        Each job runs as of its own due instant, so a caught-up system clock produces the
        same timeline as a virtual clock stepped through the same interval.
        """
        ran = self.scheduler.run_until(as_utc(self.clock.now()), self._run_as_of_due)
        self.wake()  # webhook retries may have fallen due
        return ran

    def _run_as_of_due(self, due: Due) -> None:
        self._running_at = truncate_ms(due.at)
        try:
            self._run(due)
        finally:
            self._running_at = None

    def advance(self, delta: timedelta) -> list[Due]:
        """Move a virtual clock forward by ``delta``, running due jobs at their own instants."""
        if not isinstance(self.clock, VirtualClock):
            raise ClockError(
                "only a virtual clock can be advanced; the system clock follows the wall clock "
                "(move it with freezegun's freeze_time(..., real_asyncio=True))"
            )
        if delta < timedelta(0):
            raise ClockError(f"time only moves forward: cannot advance by {delta}")
        return self.advance_to(self.clock.now() + delta)

    def advance_to(self, target: datetime) -> list[Due]:
        """Move a virtual clock to ``target``; each due job runs with the clock at its instant."""
        clock = self.clock
        if not isinstance(clock, VirtualClock):
            raise ClockError("only a virtual clock can be set")
        target = as_utc(target)
        if target < clock.now():
            clock.move_to(target)  # raises the clock's own "only moves forward" error

        def run_at_its_time(due: Due) -> None:
            if due.at > clock.now():
                clock.move_to(due.at)
            self._run(due)

        ran = self.scheduler.run_until(target, run_at_its_time)
        clock.move_to(target)
        self.wake()  # webhook retries may have fallen due
        return ran

    def _run(self, due: Due) -> None:
        job = due.job
        lock = self.locks.get(job.smartlock_id)
        if lock is None:  # the lock was removed after the job was scheduled
            return
        self._runners[type(job)](lock, due)

    # --- state as one value (snapshots, --state files, reset) ---------------------------

    def state(self) -> dict[str, Any]:
        """All mutable state as plain containers of domain values (see ``snapshot``)."""
        return {
            "seed": self.seed,
            "config": self.config,
            "now": self.clock.now() if isinstance(self.clock, VirtualClock) else None,
            "rng": self.rng.getstate(),
            "counters": (self._next_account_id, self._next_user_id, self._next_api_key_id),
            "accounts": self.accounts,
            "account_users": self.account_users,
            "tokens": self.tokens,
            "locks": self.locks,
            "agenda": list(self.scheduler.pending()),
            "agenda_seq": self.scheduler.seq,
            **self.notifications_state(),
        }

    def load(self, state: dict[str, Any]) -> None:
        """Become the world ``state`` describes (the inverse of :meth:`state`)."""
        self.seed = state["seed"]
        self.config = state["config"]
        if isinstance(self.clock, VirtualClock) and state["now"] is not None:
            self.clock.reset_to(state["now"])
        self.rng.setstate(state["rng"])
        self._next_account_id, self._next_user_id, self._next_api_key_id = state["counters"]
        self.accounts = state["accounts"]
        self.account_users = state["account_users"]
        self.tokens = state["tokens"]
        self.locks = state["locks"]
        self.scheduler.load(state["agenda"], state["agenda_seq"])
        self.load_notifications(state)

    # --- set-up (demo world and control plane) ---------------------------------------

    def add_account(self, *, email: str, name: str, language: str = "en") -> Account:
        account = Account(self._next_account_id, email, name, language, self.now())
        self._next_account_id += 1
        self.accounts[account.account_id] = account
        return account

    def add_account_user(self, account_id: int, *, email: str, name: str) -> AccountUser:
        user = AccountUser(self._next_user_id, account_id, email, name, "en", self.now())
        self._next_user_id += 1
        self.account_users[user.account_user_id] = user
        return user

    def add_token(
        self,
        account_id: int,
        scopes: frozenset[str] = SCOPES,
        *,
        token: str | None = None,
        name: str = "API token",
    ) -> ApiToken:
        if account_id not in self.accounts:
            raise NotFound(f"no account {account_id}")
        unknown = scopes - SCOPES
        if unknown:
            raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
        drawn = ids.token(self.rng)  # drawn even when given, so every later id stays the same
        api_token = ApiToken(
            token or (ids.random_token() if self.random_secrets else drawn),
            account_id, frozenset(scopes), name,
            self._next_api_key_id,
        )  # fmt: skip
        self._next_api_key_id += 1
        self.tokens[api_token.token] = api_token
        return api_token

    def add_lock(
        self,
        account_id: int,
        *,
        name: str,
        keypad: bool = True,
        online: bool = True,
        battery: int = 100,
        timezone: str = "Europe/Berlin",
        sync_minute: int | None = None,
    ) -> Lock:
        if account_id not in self.accounts:
            raise NotFound(f"no account {account_id}")
        smartlock_id = ids.smartlock_id(self.rng)
        while smartlock_id in self.locks:
            smartlock_id = ids.smartlock_id(self.rng)
        now = self.now()
        device = Device(timezone=timezone, keypad_paired=keypad, online=online)
        device.battery = float(battery)
        device.status = dev.with_battery(device.status, battery, self.config)
        lock = Lock(
            smartlock_id=smartlock_id,
            account_id=account_id,
            auth_id=device.next_slot,
            name=name,
            device=device,
            cloud=CloudCopy(status=device.status, last_sync=now),
            creation_date=now,
            update_date=now,
            sync_minute=self.rng.randrange(24 * 60) if sync_minute is None else sync_minute,
            api_auth_id=ids.object_id(self.rng, now),
        )
        device.next_slot += 1  # the Web API's own authorization takes the first slot
        self.locks[smartlock_id] = lock
        self.schedule_auto_sync(lock)
        return lock

    def seed_auth(self, lock: Lock, auth: Auth) -> Auth:
        """Put an authorization on the device and in the cloud at once (demo data, restores)."""
        placed = replace(auth, auth_id=lock.device.next_slot)
        lock.device.next_slot += 1
        lock.device.auths[placed.id] = placed
        lock.cloud.auths[placed.id] = placed
        return placed

    def new_id(self) -> str:
        return ids.object_id(self.rng, self.now())

    # --- the queue between cloud and device --------------------------------------------

    def enqueue(self, lock: Lock, command: Command) -> None:
        """Accept a command: it waits in the lock's queue until the device receives it."""
        lock.cloud.queue.append(command)
        if not isinstance(command, LockAction):
            target = command.auth.id if isinstance(command, CreateAuth) else command.auth_id
            lock.cloud.operations[target] = command.operation_id
        if lock.device.online:
            self.scheduler.schedule(
                command.accepted_at + timedelta(seconds=self.config.push_delay),
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
        at = self.now()
        if isinstance(command, LockAction):
            return self._start_action(lock, command, at)
        outcome = dev.apply_auth(lock.device, command, at, self.config)
        target = command.auth.id if isinstance(command, CreateAuth) else command.auth_id
        if lock.cloud.operations.get(target) == command.operation_id:
            del lock.cloud.operations[target]
        lock.cloud.outcomes.append(outcome)
        return outcome

    def _run_push(self, lock: Lock, due: Due) -> None:
        job: Push = due.job
        self.deliver(lock, until=job.operation_id)

    # --- the motor ---------------------------------------------------------------------

    def lock_busy(self, lock: Lock) -> bool:
        """True while an action is queued for the device or its motor is still moving."""
        return lock.device.motion_ends is not None or any(
            isinstance(c, LockAction) for c in lock.cloud.queue
        )

    def _start_action(
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
            self._log(lock, command.action, trigger, LogState.BUSY, who, slot, source)
            return Outcome(command, at, dev.ERR_BUSY)
        outcome, step = dev.start_motion(device, command, at, self.config)
        state = LogState.SUCCESS if outcome.ok else LogState.MOTOR_BLOCKED
        self._log(lock, command.action, trigger, state, who, slot, source)
        if step is not None:
            device.motion_ends = at + step
            self.scheduler.schedule(
                at + step, MotionStep(lock.smartlock_id, command.operation_id, command.action, 1)
            )
        self._status_changed(lock)
        return outcome

    def _run_motion_step(self, lock: Lock, due: Due) -> None:
        job: MotionStep = due.job
        step = dev.motion_step(lock.device, job.action, job.index, self.config)
        if step is not None:
            lock.device.motion_ends = due.at + step
            self.scheduler.schedule(due.at + step, replace(job, index=job.index + 1))
        self._status_changed(lock)

    def _status_changed(self, lock: Lock) -> None:
        """An online device reports its status to the cloud as it changes."""
        status = lock.device.status
        if lock.device.online and lock.cloud.status is not status and lock.cloud.status != status:
            lock.cloud.status = lock.device.status
            self.notify_status(lock)

    def _log(
        self, lock: Lock, action: int, trigger: int, state: int, name: str, auth_id: str,
        source: int = 0,
    ) -> LogEntry:  # fmt: skip
        entry = LogEntry(
            id=self.new_id(),
            smartlock_id=lock.smartlock_id,
            device_type=lock.type,
            name=name,
            action=action,
            trigger=trigger,
            state=state,
            date=self.now(),
            auth_id=auth_id,
            source=source,
        )
        lock.device.log.append(entry)
        if lock.device.online:
            lock.cloud.logs.append(entry)
            self.notify_log(lock, entry)
        else:
            lock.device.unsent_logs.append(entry)
        return entry

    def cloud_keypad_codes(self, lock: Lock) -> dict[int, str]:
        """Keypad codes the cloud knows on a lock (code → auth id), failed creates excluded."""
        return {
            a.code: a.id
            for a in lock.cloud.auths.values()
            if a.type == AuthType.KEYPAD_CODE
            and a.code is not None
            and a.id not in lock.cloud.errors
        }
