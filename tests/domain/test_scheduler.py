"""The scheduler's promise: every due job runs once, in time order, ties in scheduling order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
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
