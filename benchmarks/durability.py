"""Durability and refused history: what ``--state`` costs a write, and a PUT after a flood.

Two simulators run in this process on 127.0.0.1, one with a state file (every acknowledged
write saved and fsynced before its answer) and one without; the same writes (``POST
/smartlock/{id}`` renames) go to each, one at a time and then 16 in flight. The baseline is
the simulator without ``--state``, measured in the same run. Reported, no target: the cost
is the price of surviving kill -9, paid only with ``--state``.

Then, on the simulator without a state file: a lock that 5,000 creates were refused on
(duplicates of one code, reported by a sync) against a fresh lock, each taking the same
sequential ``PUT /smartlock/{id}/auth``. Target: within 2x of the fresh lock.

``python benchmarks/durability.py`` prints a table; ``--quick`` uses smaller counts.
Not run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks.common import Check, Section, keypad_code, median, run_section
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.http.nuki_ops import create_auth
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator

REFUSED = 5_000
TARGET_RATIO = 2.0
IN_FLIGHT = 16


async def _timed_writes(
    http: aiohttp.ClientSession, sim: RunningSimulator, count: int
) -> list[float]:
    lock = sim.demo.locks[1].smartlock_id
    headers = {"Authorization": f"Bearer {sim.token}"}
    times = []
    for i in range(count):
        started = time.perf_counter()
        async with http.post(
            f"{sim.url}/smartlock/{lock}", json={"name": f"Door {i}"}, headers=headers
        ) as reply:
            assert reply.status == 204, reply.status
        times.append(time.perf_counter() - started)
    return times


async def _concurrent_rate(http: aiohttp.ClientSession, sim: RunningSimulator, count: int) -> float:
    lock = sim.demo.locks[1].smartlock_id
    headers = {"Authorization": f"Bearer {sim.token}"}
    queue = list(range(count))

    async def worker() -> None:
        while queue:
            i = queue.pop()
            async with http.post(
                f"{sim.url}/smartlock/{lock}", json={"name": f"Gate {i}"}, headers=headers
            ) as reply:
                assert reply.status == 204, reply.status

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return count / (time.perf_counter() - started)


async def _puts(
    http: aiohttp.ClientSession, sim: RunningSimulator, lock: int, first: int, count: int
) -> list[float]:
    headers = {"Authorization": f"Bearer {sim.token}"}
    times = []
    for i in range(count):
        body = {"type": 13, "name": f"Guest {i}", "code": keypad_code(first + i)}
        started = time.perf_counter()
        async with http.put(f"{sim.url}/smartlock/{lock}/auth", json=body, headers=headers) as r:
            assert r.status == 204, r.status
        times.append(time.perf_counter() - started)
    return times


def _flood(sim: RunningSimulator) -> tuple[int, int]:
    """Two new locks; on the first, REFUSED duplicate creates, pushed and reported by a sync."""
    world = sim.world
    account = sim.demo.token.account_id
    flooded = world.add_lock(account, name="Flooded")
    fresh = world.add_lock(account, name="Fresh")
    session = open_session(world, f"Bearer {sim.token}")
    body = {"type": 13, "name": "Twin", "code": keypad_code(0)}
    for _ in range(REFUSED + 1):
        create_auth(session, flooded.smartlock_id, body)
    world.advance(timedelta(seconds=10))
    world.sync(flooded)
    return flooded.smartlock_id, fresh.smartlock_id


async def _measure(quick: bool) -> dict[str, Any]:
    writes = 100 if quick else 400
    with tempfile.TemporaryDirectory() as folder:
        plain = await start_simulator()
        durable = await start_simulator(state_file=Path(folder) / "world.json")
        try:
            async with aiohttp.ClientSession() as http:
                await _timed_writes(http, plain, 20)  # warm both up
                await _timed_writes(http, durable, 20)
                seq = {
                    "without": median(await _timed_writes(http, plain, writes)),
                    "with": median(await _timed_writes(http, durable, writes)),
                }
                rate = {
                    "without": await _concurrent_rate(http, plain, writes),
                    "with": await _concurrent_rate(http, durable, writes),
                }
                flooded, fresh = _flood(plain)
                async with http.get(
                    f"{plain.url}/smartlock/{flooded}/auth",
                    headers={"Authorization": f"Bearer {plain.token}"},
                ) as reply:
                    listed = len(await reply.json())
                await _puts(http, plain, fresh, 1000, 20)
                put = {
                    "fresh": median(await _puts(http, plain, fresh, 2000, writes)),
                    "flooded": median(await _puts(http, plain, flooded, 2000, writes)),
                }
        finally:
            await plain.close()
            await durable.close()
    return {"writes": writes, "seq": seq, "rate": rate, "put": put, "listed": listed}


def measure(quick: bool = False) -> dict[str, Any]:
    return asyncio.run(_measure(quick))


def section(results: dict[str, Any]) -> Section:
    seq, rate, put = results["seq"], results["rate"], results["put"]
    us = 1e6
    rows = [
        ["sequential write, median", f"{seq['without'] * us:.0f} µs", f"{seq['with'] * us:.0f} µs",
         f"{seq['with'] / seq['without']:.2f}"],
        [f"{IN_FLIGHT} in flight, writes/s", f"{rate['without']:.0f}", f"{rate['with']:.0f}",
         f"{rate['without'] / rate['with']:.2f}"],
    ]  # fmt: skip
    put_ratio = put["flooded"] / put["fresh"]
    checks = [
        Check(
            name="write with --state (fsync before the 204)",
            measured=f"{seq['with'] * us:.0f} µs",
            baseline=f"{seq['without'] * us:.0f} µs (no --state)",
            ratio=f"{seq['with'] / seq['without']:.2f}",
            target="reported",
            met=None,
        ),
        Check(
            name=f"PUT auth after {REFUSED:,} refused creates",
            measured=f"{put['flooded'] * us:.0f} µs ({results['listed']} listed)",
            baseline=f"{put['fresh'] * us:.0f} µs (fresh lock)",
            ratio=f"{put_ratio:.2f}",
            target=f"< {TARGET_RATIO:.0f}x",
            met=put_ratio < TARGET_RATIO,
        ),
    ]
    return Section(
        key="durability",
        title="Durability and refused history (--state write cost; PUT after a flood)",
        method=__doc__.split("\n\n", 1)[1].split("``python benchmarks")[0].strip(),
        header=["measure", "without --state", "with --state", "ratio"],
        rows=rows,
        checks=checks,
        data=results,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    args = parser.parse_args(argv)
    print(run_section(lambda: section(measure(quick=args.quick))).text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
