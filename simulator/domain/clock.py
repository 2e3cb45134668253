"""The one source of time for the simulator.

Nothing in the domain calls ``datetime.now()`` directly: every component receives a
:class:`Clock`. ``SystemClock`` reads the wall clock through ``datetime.now`` (so freezegun
moves it); ``VirtualClock`` only moves when told, which is what makes "a day passes" cost
microseconds instead of a day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Protocol, runtime_checkable

from nuki_sim.simulator.domain.errors import ClockError


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current instant as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock. Looked up through ``datetime.now`` on every call so freezegun can move it."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class VirtualClock:
    """A clock that stands still until moved forward with :meth:`move_to` or :meth:`shift`.

    It refuses to go backwards: the scheduler's promise ("every due event runs, in order")
    would not survive time running in reverse.
    """

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start)

    def now(self) -> datetime:
        return self._now

    def move_to(self, instant: datetime) -> None:
        target = as_utc(instant)
        if target < self._now:
            raise ClockError(
                f"the virtual clock only moves forward: it is {isoformat(self._now)}, "
                f"cannot move to {isoformat(target)}"
            )
        self._now = target

    def shift(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ClockError(f"the virtual clock only moves forward: cannot shift by {delta}")
        self._now = self._now + delta

    def reset_to(self, instant: datetime) -> None:
        """Put the clock at ``instant``, backwards too: only for restoring a saved world."""
        self._now = as_utc(instant)

    def __repr__(self) -> str:
        return f"VirtualClock({isoformat(self._now)})"


def as_utc(instant: datetime) -> datetime:
    """Return ``instant`` as an aware UTC datetime; naive values are taken to be UTC."""
    if instant.tzinfo is UTC:
        return instant
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


@lru_cache(maxsize=65536)
def isoformat(instant: datetime) -> str:
    """Nuki's wire format for instants: ISO-8601 UTC with milliseconds and a ``Z``.

    Cached: the same creation and update dates are written on every listing, and formatting
    is the hottest part of serving one (see docs/benchmarks.md).
    """
    return as_utc(instant).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant as Nuki clients send it (``Z`` or an offset; naive = UTC)."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        return as_utc(datetime.fromisoformat(value))
    except OverflowError:  # e.g. year 1 at +01:00 has no UTC instant
        raise ValueError(f"{text!r} is outside the range of UTC instants") from None


def truncate_ms(instant: datetime) -> datetime:
    """Drop sub-millisecond precision, as every instant on the wire has it dropped."""
    extra = instant.microsecond % 1000
    return instant.replace(microsecond=instant.microsecond - extra) if extra else instant


ONE_DAY = timedelta(days=1)
