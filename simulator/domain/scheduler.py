"""Due events in time order.

The scheduler is a heap of ``(due, seq, job)`` tuples (tuples, so the heap compares in C).
Jobs are plain frozen values (never closures), so the whole agenda can be snapshotted and
restored. ``run_until`` pops every job due at or before an instant, in timestamp order
(ties in the order they were scheduled), and hands each to a runner that may schedule
more. Cost grows with the number of jobs, never with the length of the interval: a
simulated year costs what its events cost.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, NamedTuple


class Due(NamedTuple):
    """One entry of the agenda. A tuple, so the heap compares ``(at, seq)`` in C; ``seq``
    is unique, so ``job`` is never compared."""

    at: datetime
    seq: int
    job: Any


class Scheduler:
    """A min-heap of jobs keyed on simulated time, with lazy cancellation."""

    def __init__(self) -> None:
        self._heap: list[Due] = []
        self._seq = 0
        self._cancelled: set[int] = set()

    def schedule(self, at: datetime, job: object) -> int:
        """Add ``job`` due at ``at``; return a handle for :meth:`cancel`."""
        self._seq += 1
        heapq.heappush(self._heap, Due(at, self._seq, job))
        return self._seq

    def cancel(self, handle: int) -> None:
        self._cancelled.add(handle)

    def next_due(self) -> datetime | None:
        self._drop_cancelled_head()
        return self._heap[0][0] if self._heap else None

    def run_until(self, instant: datetime, runner: Callable[[Due], None]) -> list[Due]:
        """Run every job due at or before ``instant`` in order; return what ran."""
        ran: list[Due] = []
        heap = self._heap
        while True:
            if self._cancelled:
                self._drop_cancelled_head()
            if not heap or heap[0][0] > instant:
                return ran
            due = heapq.heappop(heap)
            runner(due)
            ran.append(due)

    def pending(self) -> Iterator[Due]:
        """The agenda in due order (for views and snapshots)."""
        return iter(sorted(d for d in self._heap if d.seq not in self._cancelled))

    @property
    def seq(self) -> int:
        return self._seq

    def load(self, agenda: list[Due], seq: int) -> None:
        """Replace the agenda (from a snapshot)."""
        self._heap = [Due(*d) for d in agenda]  # snapshots give plain tuples back
        heapq.heapify(self._heap)
        self._seq = seq
        self._cancelled.clear()

    def clear(self) -> None:
        self._heap.clear()
        self._cancelled.clear()

    def __len__(self) -> int:
        return sum(1 for d in self._heap if d.seq not in self._cancelled)

    def _drop_cancelled_head(self) -> None:
        while self._heap and self._heap[0].seq in self._cancelled:
            self._cancelled.discard(heapq.heappop(self._heap).seq)
