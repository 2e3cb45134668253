"""Time travel benchmark: a simulated year for 1,000 locks in well under 2 s, at most 5x heapq.

Builds a world of 1,000 locks (daily auto syncs at spread times of day), queues a keypad
code on every tenth lock and takes every twentieth lock offline (so half of those codes stay
queued). Then, on a fresh world for each interval N of 1, 30 and 365 days, it times
``world.advance`` over the interval; the offline locks reconnect halfway, which delivers their
queued codes. A baseline pushes the same number of events through a bare ``heapq`` loop in
the same run, so the numbers can be read on any machine. Each interval is measured a few
times, the world and the baseline taken turn about, and the best of each is kept (another
process on the machine only ever makes a run slower).

The scheduler's claim is that cost grows with the number of events, not with the length of
the interval: seconds(365) / seconds(1) should be close to events(365) / events(1).

Run ``python benchmarks/time_travel.py`` for a table, ``--json`` for JSON, ``--quick`` for
one run of 1 and 30 days (for profiling). Not run by pytest.
"""

from __future__ import annotations

import argparse
import heapq
import json
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.nuki_ops import create_auth

if TYPE_CHECKING:
    from benchmarks.common import Section

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SEED = 20260105
LOCKS = 1_000
QUEUE_EVERY = 10  # a keypad code is queued on every tenth lock (10 %)
OFFLINE_EVERY = 20  # every twentieth lock is offline until halfway (5 %)
INTERVALS_DAYS = (1, 30, 365)
QUICK_DAYS = (1, 30)
REPEAT = 3  # runs per interval; the best is kept, for the world and the baseline alike
TARGET_SECONDS = 2.0  # the claim: a simulated year for 1,000 locks in well under this
TARGET_VS_HEAPQ = 5.0  # ... and at most this many times a bare heapq loop over the same events
KEYPAD = 13
DAY_SECONDS = 86_400


@dataclass
class Result:
    days: int
    events: int
    seconds: float
    events_per_second: float
    baseline_seconds: float
    vs_baseline: float


def build_world(locks: int) -> tuple[World, list[int]]:
    """A world with ``locks`` locks, codes queued on 10 %, 5 % offline; returns the offline ids."""
    world = World(VirtualClock(T0), seed=SEED)
    account = world.add_account(email="bench@example.com", name="Bench")
    token = world.add_token(account.account_id)
    session = open_session(world, f"Bearer {token.token}")
    offline: list[int] = []
    for index in range(locks):
        is_offline = index % OFFLINE_EVERY == 0
        lock = world.add_lock(account.account_id, name=f"Lock {index}", online=not is_offline)
        if is_offline:
            offline.append(lock.smartlock_id)
        if index % QUEUE_EVERY == 0:
            code = {"type": KEYPAD, "name": f"Guest {index}", "code": 345_678}
            create_auth(session, lock.smartlock_id, code)
    return world, offline


def time_interval(days: int, locks: int) -> tuple[int, float]:
    """Advance a fresh world by ``days`` (offline locks reconnect halfway): (events, seconds)."""
    world, offline = build_world(locks)
    half = timedelta(days=days) / 2
    started = time.perf_counter()
    ran = len(world.advance(half))
    for smartlock_id in offline:
        world.set_online(world.locks[smartlock_id], True)
    ran += len(world.advance(half))
    elapsed = time.perf_counter() - started
    assert all(not lock.cloud.queue for lock in world.locks.values()), "queued work left over"
    return ran, elapsed


def baseline(events: int, locks: int) -> float:
    """Seconds a bare heapq loop takes to pop ``events`` daily jobs of ``locks`` keys and re-push."""
    heap = [(index * 86.0, index, index) for index in range(locks)]
    heapq.heapify(heap)
    seq = locks
    started = time.perf_counter()
    for _ in range(events):
        at, _, key = heapq.heappop(heap)
        seq += 1
        heapq.heappush(heap, (at + DAY_SECONDS, seq, key))
    return time.perf_counter() - started


def measure(
    locks: int, *, days: tuple[int, ...] = INTERVALS_DAYS, repeat: int = REPEAT
) -> list[Result]:
    results = []
    for interval in days:
        events, seconds, base = 0, float("inf"), float("inf")
        for _ in range(repeat):
            events, took = time_interval(interval, locks)
            seconds = min(seconds, took)
            base = min(base, baseline(events, locks))
        results.append(
            Result(
                interval, events, seconds, events / seconds, base, seconds / base if base else 0.0
            )
        )
    return results


def summary(results: list[Result]) -> dict[str, float]:
    first, last = results[0], results[-1]
    return {
        "seconds_ratio": last.seconds / first.seconds,
        "events_ratio": last.events / first.events,
        "days_ratio": last.days / first.days,
        "year_seconds": last.seconds,
        "target_seconds": TARGET_SECONDS,
    }


def table(results: list[Result], locks: int) -> str:
    lines = [
        f"time travel, {locks} locks ({locks // QUEUE_EVERY} with a queued code, "
        f"{locks // OFFLINE_EVERY} offline until halfway)",
        f"{'days':>5} {'events':>9} {'seconds':>9} {'events/s':>11} {'heapq s':>9} {'x heapq':>8}",
    ]
    for r in results:
        lines.append(
            f"{r.days:>5} {r.events:>9,} {r.seconds:>9.3f} {r.events_per_second:>11,.0f} "
            f"{r.baseline_seconds:>9.4f} {r.vs_baseline:>8.1f}"
        )
    s = summary(results)
    lines.append(
        f"seconds({results[-1].days})/seconds({results[0].days}) = {s['seconds_ratio']:.1f}   "
        f"events({results[-1].days})/events({results[0].days}) = {s['events_ratio']:.1f}   "
        f"(interval ratio {s['days_ratio']:.0f})"
    )
    verdict = "under" if s["year_seconds"] < TARGET_SECONDS else "NOT under"
    last = results[-1]
    ratio = "within" if last.vs_baseline <= TARGET_VS_HEAPQ else "NOT within"
    lines.append(
        f"{last.days} simulated days took {s['year_seconds']:.3f} s: {verdict} the "
        f"{TARGET_SECONDS:.0f} s target; {last.vs_baseline:.1f}x heapq: {ratio} "
        f"{TARGET_VS_HEAPQ:.0f}x"
    )
    return "\n".join(lines)


def section(results: list[Result], locks: int = LOCKS) -> Section:
    """The results as a section of docs/benchmarks.md (see ``benchmarks/run_all.py``)."""
    from benchmarks.common import Check, Section

    s = summary(results)
    year = results[-1]
    rows = [
        [
            f"{r.days}",
            f"{r.events:,}",
            f"{r.seconds:.3f} s",
            f"{r.events_per_second:,.0f}",
            f"{r.baseline_seconds:.4f} s",
            f"{r.vs_baseline:.1f}",
        ]
        for r in results
    ]
    checks = [
        Check(
            name=f"one simulated year, {locks:,} locks",
            measured=f"{year.seconds:.3f} s ({year.events:,} events)",
            baseline=f"{year.baseline_seconds:.3f} s (bare heapq loop, same events)",
            ratio=f"{year.vs_baseline:.1f}× heapq; {year.seconds / TARGET_SECONDS:.2f} of the target",
            target=f"< {TARGET_SECONDS:.0f} s",
            met=year.seconds < TARGET_SECONDS,
        ),
        Check(
            name=f"one simulated year, {locks:,} locks, against a bare heapq loop",
            measured=f"{year.seconds:.3f} s",
            baseline=f"{year.baseline_seconds:.3f} s (bare heapq loop, same events)",
            ratio=f"{year.vs_baseline:.1f}× heapq",
            target=f"≤ {TARGET_VS_HEAPQ:.0f}× heapq",
            met=year.vs_baseline <= TARGET_VS_HEAPQ,
        ),
        Check(
            name=f"cost grows with events, not days ({results[0].days} → {year.days} days)",
            measured=f"seconds × {s['seconds_ratio']:.0f}",
            baseline=f"events × {s['events_ratio']:.0f}",
            ratio=f"{s['seconds_ratio'] / s['events_ratio']:.2f}",
            target="reported",
            met=None,
        ),
    ]
    return Section(
        key="time_travel",
        title=f"Time travel ({locks:,} locks, daily syncs, queued work)",
        method=(__doc__ or "").split("\n\n", 1)[1].split("Run ``python")[0].strip(),
        header=["days", "events", "seconds", "events/s", "bare heapq", "× heapq"],
        rows=rows,
        checks=checks,
        data={"locks": locks, "results": [asdict(r) for r in results], "summary": s},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--locks", type=int, default=LOCKS, help=f"locks (default {LOCKS})")
    parser.add_argument("--quick", action="store_true", help="one run each of 1 and 30 days")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per interval (best kept)")
    args = parser.parse_args(argv)
    if args.quick:
        results = measure(args.locks, days=QUICK_DAYS, repeat=1)
    else:
        results = measure(args.locks, repeat=args.repeat)
    if args.json:
        print(
            json.dumps(
                {
                    "locks": args.locks,
                    "results": [asdict(r) for r in results],
                    "summary": summary(results),
                },
                indent=2,
            )
        )
    else:
        print(table(results, args.locks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
