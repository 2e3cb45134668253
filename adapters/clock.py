"""The adapter's clock: what TIMEOUT and ``sampledAt`` are measured on.

``SystemClock`` reads ``datetime.now`` on every call, so freezegun moves it together with a
simulator on the system clock; ``ManualClock`` moves only when told, so a test can keep it
in step with a simulator's virtual clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    def __init__(self, start: datetime) -> None:
        self._now = start if start.tzinfo else start.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def move_to(self, instant: datetime) -> None:
        instant = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
        if instant < self._now:
            raise ValueError(f"the adapter clock only moves forward (it is {self._now})")
        self._now = instant

    def shift(self, delta: timedelta) -> None:
        self.move_to(self._now + delta)
