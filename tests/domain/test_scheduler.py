"""The scheduler's promise: every due job runs once, in time order, ties in scheduling order."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuki_sim.simulator.domain.scheduler import Due, Scheduler

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def jobs_of(ran: list[Due]) -> list[object]:
    return [due.job for due in ran]


class Recorder:
    """A runner that remembers what it ran, in order."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def __call__(self, due: Due) -> None:
        self.seen.append(due.job)


def test_jobs_run_in_timestamp_order() -> None:
    """Jobs scheduled out of order run ordered by their due instant."""
    scheduler = Scheduler()
    scheduler.schedule(at(30), "c")
    scheduler.schedule(at(10), "a")
    scheduler.schedule(at(20), "b")
    runner = Recorder()
    scheduler.run_until(at(60), runner)
    assert runner.seen == ["a", "b", "c"]


def test_ties_run_in_scheduling_order() -> None:
    """Jobs due at the same instant run in the order they were scheduled."""
    scheduler = Scheduler()
    for name in ["first", "second", "third"]:
        scheduler.schedule(at(5), name)
    runner = Recorder()
    scheduler.run_until(at(5), runner)
    assert runner.seen == ["first", "second", "third"]


def test_run_until_returns_what_ran_and_leaves_the_rest() -> None:
    """``run_until`` runs jobs due at or before the instant, returns them, keeps later ones."""
    scheduler = Scheduler()
    scheduler.schedule(at(1), "due")
    scheduler.schedule(at(2), "exactly due")
    scheduler.schedule(at(3), "later")
    ran = scheduler.run_until(at(2), Recorder())
    assert jobs_of(ran) == ["due", "exactly due"]
    assert [due.at for due in ran] == [at(1), at(2)]
    assert len(scheduler) == 1
    assert jobs_of(list(scheduler.pending())) == ["later"]


def test_run_until_with_nothing_due_runs_nothing() -> None:
    """Before the first due instant nothing runs and the runner is never called."""
    scheduler = Scheduler()
    scheduler.schedule(at(10), "later")
    runner = Recorder()
    assert scheduler.run_until(at(9), runner) == []
    assert runner.seen == []


def test_jobs_scheduled_by_a_running_job_run_in_the_same_pass_when_due() -> None:
    """A job scheduled by a runner runs in the same ``run_until`` if it is due by then."""
    scheduler = Scheduler()

    def runner(due: Due) -> None:
        if due.job == "start":
            scheduler.schedule(due.at + SECOND, "follow-up due")
            scheduler.schedule(due.at + 100 * SECOND, "follow-up later")

    scheduler.schedule(at(0), "start")
    scheduler.schedule(at(5), "unrelated")
    ran = scheduler.run_until(at(10), runner)
    assert jobs_of(ran) == ["start", "follow-up due", "unrelated"]
    assert jobs_of(list(scheduler.pending())) == ["follow-up later"]


def test_cancelled_jobs_never_run() -> None:
    """A cancelled job is skipped, wherever it sits in the agenda."""
    scheduler = Scheduler()
    head = scheduler.schedule(at(1), "cancelled head")
    scheduler.schedule(at(2), "kept")
    middle = scheduler.schedule(at(3), "cancelled middle")
    scheduler.schedule(at(4), "kept too")
    scheduler.cancel(head)
    scheduler.cancel(middle)
    runner = Recorder()
    ran = scheduler.run_until(FAR_FUTURE, runner)
    assert runner.seen == ["kept", "kept too"]
    assert jobs_of(ran) == runner.seen
    assert len(scheduler) == 0


def test_next_due_is_the_earliest_live_job() -> None:
    """``next_due`` names the earliest job not cancelled, or None for an empty agenda."""
    scheduler = Scheduler()
    assert scheduler.next_due() is None
    first = scheduler.schedule(at(1), "a")
    scheduler.schedule(at(7), "b")
    assert scheduler.next_due() == at(1)
    scheduler.cancel(first)
    assert scheduler.next_due() == at(7)
    scheduler.run_until(at(7), Recorder())
    assert scheduler.next_due() is None


def test_len_and_pending_ignore_cancelled_jobs() -> None:
    """The agenda's size and listing count only live jobs, in due order."""
    scheduler = Scheduler()
    scheduler.schedule(at(9), "late")
    gone = scheduler.schedule(at(3), "gone")
    scheduler.schedule(at(1), "early")
    scheduler.cancel(gone)
    assert len(scheduler) == 2
    assert jobs_of(list(scheduler.pending())) == ["early", "late"]


def test_clear_empties_the_agenda() -> None:
    """After ``clear`` nothing is pending and nothing runs."""
    scheduler = Scheduler()
    scheduler.schedule(at(1), "a")
    scheduler.clear()
    assert len(scheduler) == 0
    assert scheduler.run_until(FAR_FUTURE, Recorder()) == []


def test_cost_is_independent_of_the_interval() -> None:
    """Running until year 9000 with three jobs calls the runner three times, no more."""
    scheduler = Scheduler()
    scheduler.schedule(at(1), "a")
    scheduler.schedule(T0 + timedelta(days=365 * 100), "b")
    scheduler.schedule(datetime(8999, 12, 31, tzinfo=UTC), "c")
    runner = Recorder()
    ran = scheduler.run_until(FAR_FUTURE, runner)
    assert len(ran) == 3
    assert len(runner.seen) == 3


@given(
    offsets=st.lists(st.integers(min_value=0, max_value=50), max_size=40),
    cut=st.integers(min_value=-1, max_value=51),
)
def test_run_order_is_sorted_by_offset_then_insertion(offsets: list[int], cut: int) -> None:
    """For any agenda, what runs is exactly the jobs due by the cut, sorted by (due, insertion)."""
    scheduler = Scheduler()
    for index, offset in enumerate(offsets):
        scheduler.schedule(at(offset), (offset, index))
    runner = Recorder()
    ran = scheduler.run_until(at(cut), runner)
    expected = sorted((offset, index) for index, offset in enumerate(offsets) if offset <= cut)
    assert runner.seen == expected
    assert jobs_of(ran) == expected
    assert all(due.at <= at(cut) for due in ran)
    assert len(scheduler) == len(offsets) - len(expected)


# --- run_jobs: the world's path (handlers by job type, periodic jobs, the head replaced) ------


class Tick(tuple[int, int]):
    """A test job: ``(name, generation)``; its handler may schedule follow-ups."""


def run_both(plan: list[tuple[int, list[int], int | None]], cut: int) -> None:
    """Run ``plan`` with ``run_jobs`` and with the reference ``run_until`` (pop, then run,
    then schedule), and check both run the same jobs at the same instants and leave the same
    agenda. ``plan[name]`` = (first offset, follow-up delays, period or None)."""

    def follow_ups(scheduler: Scheduler, job: Tick, due_at: datetime) -> datetime | None:
        name, generation = job
        if generation < 2:
            for delay in plan[name][1]:
                scheduler.schedule(due_at + delay * SECOND, Tick((name, generation + 1)))
        period = plan[name][2]
        return None if period is None or generation else due_at + period * SECOND

    fast, reference = Scheduler(), Scheduler()
    for scheduler in (fast, reference):
        for name, (offset, _, _) in enumerate(plan):
            scheduler.schedule(at(offset), Tick((name, 0)))

    def periodic_by_hand(due: Due) -> None:
        again = follow_ups(reference, due.job, due.at)
        if again is not None:
            reference.schedule(again, due.job)

    expected = reference.run_until(at(cut), periodic_by_hand)
    ran = fast.run_jobs(at(cut), {Tick: lambda job, due_at: follow_ups(fast, job, due_at)})
    assert ran == expected
    assert list(fast.pending()) == list(reference.pending())
    assert fast.seq == reference.seq


@given(
    plan=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=20),
            st.lists(st.integers(min_value=0, max_value=10), max_size=2),
            st.none() | st.integers(min_value=1, max_value=10),
        ),
        max_size=12,
    ),
    cut=st.integers(min_value=-1, max_value=40),
)
@settings(deadline=None)
def test_run_jobs_runs_what_pop_then_run_would(
    plan: list[tuple[int, list[int], int | None]], cut: int
) -> None:
    """Follow-ups, periodic jobs and ties come out exactly as with a pop before each run."""
    run_both(plan, cut)


def test_a_periodic_job_comes_back_after_what_it_scheduled() -> None:
    """The returned instant schedules the same job after the follow-ups it made itself."""
    scheduler = Scheduler()
    scheduler.schedule(at(0), "daily")
    order: list[str] = []

    def daily(job: str, due_at: datetime) -> datetime | None:
        order.append(job)
        if job == "daily":
            scheduler.schedule(due_at + SECOND, "follow-up")
            return due_at + SECOND  # a tie: runs after the follow-up
        return None

    scheduler.run_jobs(at(1), {str: daily})
    assert order == ["daily", "follow-up", "daily"]
    assert [(d.at, d.job) for d in scheduler.pending()] == [(at(2), "follow-up"), (at(2), "daily")]


def test_a_failing_job_leaves_the_agenda_and_the_collector_on() -> None:
    """A job whose handler raises is gone, later ones stay, and nothing is left half-set."""
    scheduler = Scheduler()
    scheduler.schedule(at(1), "boom")
    scheduler.schedule(at(2), "later")

    def explode(job: str, due_at: datetime) -> None:
        raise RuntimeError(job)

    with pytest.raises(RuntimeError, match="boom"):
        scheduler.run_jobs(at(5), {str: explode})
    assert gc.isenabled()
    assert scheduler.running_at is None
    assert scheduler.failed_at == at(1)
    assert [d.job for d in scheduler.pending()] == ["later"]
    scheduler.schedule(at(3), "next")
    assert [d.job for d in scheduler.pending()] == ["later", "next"]


def test_running_at_is_the_due_instant_or_the_given_present() -> None:
    """While a job runs, ``running_at`` says as of when; ``as_of`` wins for overdue jobs."""
    scheduler = Scheduler()
    scheduler.schedule(at(1), "a")
    seen: list[datetime | None] = []
    scheduler.run_jobs(at(1), {str: lambda job, due_at: seen.append(scheduler.running_at)})
    scheduler.schedule(at(2), "b")
    scheduler.run_jobs(
        at(9), {str: lambda job, due_at: seen.append(scheduler.running_at)}, as_of=at(9)
    )
    assert seen == [at(1), at(9)]
    assert scheduler.running_at is None
