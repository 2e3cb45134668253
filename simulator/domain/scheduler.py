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
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, NamedTuple

_new = tuple.__new__  # builds a Due without the Python-level NamedTuple constructor


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
        self.running_at: datetime | None = None
        """While :meth:`run_jobs` runs a job: the instant the job runs as of."""
        self.failed_at: datetime | None = None

    def schedule(self, at: datetime, job: object) -> int:
        """Add ``job`` due at ``at``; return a handle for :meth:`cancel`."""
        seq = self._seq = self._seq + 1
        heapq.heappush(self._heap, _new(Due, (at, seq, job)))
        return seq

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

    def run_jobs(
        self,
        instant: datetime,
        handlers: Mapping[type, Callable[[Any, datetime], None]],
        *,
        as_of: datetime | None = None,
    ) -> list[Due]:
        """Run every job due at or before ``instant`` in order, each by the handler of its
        type (``handler(job, due_at)``); return what ran. Meanwhile :attr:`running_at` is
        the job's due instant, or ``as_of`` for jobs that fell due before the present.

        The hot path of time travel: one loop, no per-job closure or allocation beyond the
        entry itself.
        """
        ran: list[Due] = []
        heap, pop, append = self._heap, heapq.heappop, ran.append
        at = None
        try:
            while heap:
                if self._cancelled:
                    self._drop_cancelled_head()
                    if not heap:
                        break
                due = heap[0]
                at = due[0]
                if at > instant:
                    break
                pop(heap)
                self.running_at = as_of or at
                job = due[2]
                handlers[type(job)](job, at)
                append(due)
        except BaseException:
            self.failed_at = at  # where a virtual clock stops when a job fails
            raise
        finally:
            self.running_at = None
        return ran

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
