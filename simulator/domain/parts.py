"""The small interfaces the parts of a world talk through.

A :class:`~nuki_sim.simulator.domain.world.World` is composed of parts that own their state:
the cloud sync (:mod:`.sync`), the device's own events (:mod:`.events`), the notifier
(:mod:`.notify`) and the webhook outbox (:mod:`.outbox`). A part sees the world only as a
:class:`Context` and the other parts only through the protocol it needs, so each can be read
(and replaced in a test) on its own, and none reaches into another's state.

Every timed thing is a scheduler job: a plain frozen value with a handler that takes the job
and the instant it was due (:data:`Handler`). The world keeps one table of them, by job type.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Auth, Lock, LockAction, LogEntry, Outcome
from nuki_sim.simulator.domain.scheduler import Scheduler

Handler = Callable[[Any, datetime], datetime | None]
"""Runs one job: ``handler(job, due_at)``; the world's ``now()`` is the due instant meanwhile.
A periodic job's handler returns when the same job is due again (None: it is done)."""


class Context(Protocol):
    """What every part reads from the world: time, ids, settings, the agenda and the locks.

    Read on every use, never copied: restoring a snapshot replaces them.
    """

    config: SimConfig
    scheduler: Scheduler
    rng: random.Random
    locks: dict[int, Lock]
    random_secrets: bool
    own_ports: set[int]

    def now(self) -> datetime: ...

    def new_id(self) -> str: ...


class Reports(Protocol):
    """What the cloud tells webhook subscribers (the notifier). ``audience`` is empty while
    no subscription exists at all, so callers can skip building what nobody would receive."""

    audience: Mapping[int, object]

    def watching(self, account_id: int, feature: str) -> bool: ...

    def status(self, lock: Lock) -> None: ...

    def log(self, lock: Lock, entry: LogEntry) -> None: ...

    def masterdata(self, lock: Lock, *, deleted: bool = False) -> None: ...

    def config(self, lock: Lock) -> None: ...

    def auth_changes(
        self, lock: Lock, before: dict[str, Auth], errors_before: dict[str, str]
    ) -> None: ...


class Queue(Protocol):
    """The cloud's side of a lock, as the device's events need it (the cloud sync)."""

    def deliver(self, lock: Lock, *, until: str | None = None) -> list[Outcome]: ...


class Motor(Protocol):
    """The device's side, as the cloud sync needs it (the device events)."""

    def start_action(
        self, lock: Lock, command: LockAction, at: datetime, trigger: int = ..., source: int = ...
    ) -> Outcome: ...

    def status_changed(self, lock: Lock) -> None: ...

    def upload_logs(self, lock: Lock) -> None: ...
