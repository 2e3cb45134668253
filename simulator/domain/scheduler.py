"""Due events in time order.

The scheduler is a heap of ``(due, seq, job)`` tuples (tuples, so the heap compares in C).
Jobs are plain frozen values (never closures), so the whole agenda can be snapshotted and
restored. ``run_until`` pops every job due at or before an instant, in timestamp order
(ties in the order they were scheduled), and hands each to a runner that may schedule
more. Cost grows with the number of jobs, never with the length of the interval: a
simulated year costs what its events cost.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, NamedTuple

_new = tuple.__new__  # builds a Due without the Python-level NamedTuple constructor
_push, _pop, _replace = heapq.heappush, heapq.heappop, heapq.heapreplace


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
        self._head_ran = False  # the running job still sits at the head, to be replaced

    def schedule(self, at: datetime, job: object) -> int:
        """Add ``job`` due at ``at``; return a handle for :meth:`cancel`."""
        seq = self._seq = self._seq + 1
        if self._head_ran:  # the running job leaves and this one enters in one step
            self._head_ran = False
            _replace(self._heap, _new(Due, (at, seq, job)))
        else:
            _push(self._heap, _new(Due, (at, seq, job)))
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
        handlers: Mapping[type, Callable[[Any, datetime], datetime | None]],
        *,
        as_of: datetime | None = None,
    ) -> list[Due]:
        """Run every job due at or before ``instant`` in order, each by the handler of its
        type: ``handler(job, due_at)`` returns the instant the same job is due again (a
        periodic job such as the daily auto sync) or None. Return what ran. Meanwhile
        :attr:`running_at` is the job's due instant, or ``as_of`` for jobs that fell due
        before the present.

        The hot path of time travel: one loop, no per-job closure or allocation beyond the
        entry itself. A running job stays at the head of the heap until it ends or schedules
        its first follow-up, which then takes its place in one sift (``heapreplace``) instead
        of a pop and a push. The cyclic garbage collector waits until the run ends: the list
        returned keeps one entry per job, and the collector would walk that growing list
        again and again (a third of the cost of a simulated year). Reference counting frees
        everything else as usual; only cycles, which jobs do not make, wait.
        """
        heap = self._heap
        if not heap or heap[0][0] > instant:
            return []  # nothing due (most API calls' catch-up): no set-up at all
        ran: list[Due] = []
        append, cancelled = ran.append, self._cancelled
        at = None
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            while heap:
                if cancelled:
                    self._drop_cancelled_head()
                    if not heap:
                        break
                due = heap[0]
                at = due[0]
                if at > instant:
                    break
                self._head_ran = True
                self.running_at = as_of or at
                job = due[2]
                again = handlers[type(job)](job, at)
                if again is not None:  # the same job again, after what it scheduled itself
                    seq = self._seq = self._seq + 1
                    if self._head_ran:
                        self._head_ran = False
                        _replace(heap, _new(Due, (again, seq, job)))
                    else:
                        _push(heap, _new(Due, (again, seq, job)))
                elif self._head_ran:  # it scheduled nothing: take it off the heap now
                    self._head_ran = False
                    _pop(heap)
                append(due)
        except BaseException:
            if self._head_ran:
                self._head_ran = False
                _pop(heap)
            self.failed_at = at  # where a virtual clock stops when a job fails
            raise
        finally:
            self.running_at = None
            if collecting:
                gc.enable()
        return ran

    def pending(self) -> Iterator[Due]:
        """The agenda in due order (for views and snapshots)."""
        return iter(sorted(d for d in self._heap if d.seq not in self._cancelled))

    @property
    def seq(self) -> int:
        return self._seq

    def load(self, agenda: list[Due], seq: int) -> None:
        """Replace the agenda (from a snapshot)."""
        self._heap[:] = [Due(*d) for d in agenda]  # snapshots give plain tuples back
        heapq.heapify(self._heap)
        self._seq = seq
        self._cancelled.clear()
        self._head_ran = False

    def clear(self) -> None:
        self._heap.clear()
        self._cancelled.clear()
        self._head_ran = False

    def __len__(self) -> int:
        return sum(1 for d in self._heap if d.seq not in self._cancelled)

    def _drop_cancelled_head(self) -> None:
        while self._heap and self._heap[0].seq in self._cancelled:
            self._cancelled.discard(heapq.heappop(self._heap).seq)
