"""A deliberately small model of keypad codes on one lock, for the stateful test.

It knows only what the fact sheet says: a lock holds at most ``capacity`` keypad codes, each
code once; accepted writes reach the lock in order, after the push delay while it is online,
all at once when it reconnects or at a (manual or daily) sync; what the lock refuses stays
listed with an ``error``. It has no cloud copy, no scheduler and no outcomes: just a dict of
codes, a list of pending commands and the set of auths whose last command failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Command:
    """One accepted write: ``kind`` is create, update or delete."""

    kind: str
    auth_id: str
    accepted_at: datetime
    code: int | None = None
    name: str | None = None


@dataclass
class ModelLock:
    """What a lock should hold, replaying accepted commands in order."""

    smartlock_id: int
    keypad: bool
    capacity: int
    sync_minute: int
    online: bool = True
    device: dict[str, tuple[int, str]] = field(default_factory=dict)  # id → (code, name)
    pending: list[Command] = field(default_factory=list)
    errors: set[str] = field(default_factory=set)  # last command on it failed on the lock
    failed_creates: set[str] = field(default_factory=set)  # listed with error until deleted
    created: set[str] = field(default_factory=set)  # every create answered with 204
    deleted: set[str] = field(default_factory=set)  # every applied delete

    def codes(self) -> dict[int, str]:
        return {code: auth_id for auth_id, (code, _) in self.device.items()}

    def listed_codes(self, listing: dict[str, tuple[int, str, bool]]) -> dict[int, str]:
        """Codes the cloud counts (its listing minus failed records), code → id."""
        return {code: auth_id for auth_id, (code, _, error) in listing.items() if not error}

    def busy(self, auth_id: str) -> bool:
        """True while a command on ``auth_id`` waits for the lock (further writes → 423)."""
        return any(c.auth_id == auth_id for c in self.pending)

    # --- what the lock does with one command ---------------------------------------------

    def apply(self, command: Command) -> None:
        auth_id = command.auth_id
        ok = True
        if command.kind == "create":
            assert command.code is not None
            assert command.name is not None
            ok = command.code not in self.codes() and len(self.device) < self.capacity
            if ok:
                self.device[auth_id] = (command.code, command.name)
            else:
                self.failed_creates.add(auth_id)
        elif command.kind == "update":
            current = self.device.get(auth_id)
            owner = self.codes().get(command.code, auth_id) if command.code else auth_id
            ok = current is not None and owner == auth_id
            if ok and current is not None:
                code = current[0] if command.code is None else command.code
                self.device[auth_id] = (code, current[1] if command.name is None else command.name)
        else:
            self.device.pop(auth_id, None)
            self.failed_creates.discard(auth_id)
            self.deleted.add(auth_id)
        if ok:
            self.errors.discard(auth_id)
        else:
            self.errors.add(auth_id)

    def deliver(self, count: int | None = None) -> None:
        """The first ``count`` pending commands (all by default) reach the lock, in order."""
        count = len(self.pending) if count is None else count
        for command in self.pending[:count]:
            self.apply(command)
        del self.pending[:count]

    # --- time and connectivity ------------------------------------------------------------

    def advance(self, start: datetime, end: datetime, push_delay: timedelta) -> None:
        """Time moves from ``start`` to ``end``: pushes fall due, a daily sync may run."""
        if not self.online:
            return
        if self.daily_sync_between(start, end):
            self.deliver()
            return
        due = [c for c in self.pending if c.accepted_at + push_delay <= end]
        self.deliver(len(due))  # pending is in acceptance order, so the due ones are a prefix

    def daily_sync_between(self, start: datetime, end: datetime) -> bool:
        """True when the lock's daily sync time falls in (start, end]."""
        midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
        instant = midnight + timedelta(minutes=self.sync_minute)
        while instant <= start:
            instant += ONE_DAY
        return instant <= end

    def set_online(self, online: bool) -> None:
        """Back online, the lock receives everything queued while it was away."""
        if online and not self.online:
            self.online = True
            self.deliver()
        self.online = online

    # --- what a sync should show ------------------------------------------------------------

    def expected_listing(self) -> tuple[dict[str, tuple[int, str]], set[str], set[str]]:
        """After a sync: the codes listed without error, every listed id, and the errored ids."""
        listed = set(self.device) | self.failed_creates
        clean = {i: v for i, v in self.device.items() if i not in self.errors}
        return clean, listed, self.errors & listed
