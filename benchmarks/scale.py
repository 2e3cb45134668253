"""Scale: a world of 10,000 locks with 100 keypad codes each.

* Memory: a fresh process (``benchmarks/servers.py sim``: the simulator as
  ``start_simulator`` serves it) builds the world, seeds 100 codes on every lock (device and
  cloud copy, half of them with a date window, as the demo seeds them), collects garbage and
  reports its resident memory (``VmRSS`` from ``/proc/self/status``; peak ``VmHWM``). The
  baseline is the same process before it built anything (interpreter, aiohttp, simulator
  imported). Target: ≤ 1 GiB.
* Latency: the same process then serves; so does a 10-lock world with 100 codes per lock. One
  connection sends one request at a time (``GET /smartlock/{id}`` and
  ``GET /smartlock/{id}/auth``, at random locks of the world), in rounds that alternate
  between the two servers. Target: median latency of the 10,000-lock world within 1.2× of
  the 10-lock one (no work per request that grows with the world).

``python benchmarks/scale.py`` prints a table; ``--quick`` builds 2,000 locks and projects the
memory to 10,000. Not run by pytest.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    Check,
    Section,
    ServerProcess,
    cpu_seconds,
    fmt_ms,
    generate_load,
    get_request,
    median,
    pinned,
    placement,
    run_section,
)

LOCKS = 10_000
QUICK_LOCKS = 2_000
SMALL_LOCKS = 10
CODES = 100
MEMORY_TARGET_MIB = 1024.0
LATENCY_TARGET = 1.2
PATHS = (
    ("GET /smartlock/{id}", "/smartlock/{}", 1500),
    ("GET /smartlock/{id}/auth", "/smartlock/{}/auth", 300),
)


def measure(*, quick: bool = False) -> dict:
    server_cpu, client_cpu = placement()
    with pinned(client_cpu):
        return _measure(quick, server_cpu)


def _measure(quick: bool, server_cpu: int | None) -> dict:
    locks = QUICK_LOCKS if quick else LOCKS
    rounds = 2 if quick else 4
    big_args = ["sim", "--locks", str(locks), "--code-locks", str(locks), "--codes", str(CODES)]
    small_args = [
        "sim",
        "--locks",
        str(SMALL_LOCKS),
        "--code-locks",
        str(SMALL_LOCKS),
        "--codes",
        str(CODES),
    ]
    big = ServerProcess(*big_args, cpu=server_cpu, timeout=600)
    try:
        small = ServerProcess(*small_args, cpu=server_cpu)
        try:
            latency: dict[str, dict[str, list[float]]] = {}
            cpu: dict[str, dict[str, list[float]]] = {}
            rng = random.Random(7)
            for title, pattern, count in PATHS:
                latency[title] = {"small": [], "big": []}
                cpu[title] = {"small": [], "big": []}
                for index in range(rounds):
                    order = (("small", small), ("big", big))
                    for name, server in order if index % 2 == 0 else order[::-1]:
                        ids = server.info["locks"]
                        requests = [
                            get_request(pattern.format(rng.choice(ids)), server.info["token"])
                            for _ in range(count)
                        ]
                        generate_load(
                            server.port,
                            lambda k, r=requests: r[k % len(r)],
                            connections=1,
                            seconds=0.3,
                        )
                        before = cpu_seconds(server.proc.pid)
                        result = generate_load(
                            server.port,
                            lambda k, r=requests: r[k],
                            connections=1,
                            seconds=30,
                            limit=count,
                        )
                        used = cpu_seconds(server.proc.pid) - before
                        if set(result.statuses) != {200}:
                            raise RuntimeError(f"{title} on {name}: {dict(result.statuses)}")
                        latency[title][name].append(result.percentile(50))
                        cpu[title][name].append(used / result.requests * 1e6)
            small_info = dict(small.info)
        finally:
            small.stop()
        big_info = dict(big.info)
    finally:
        big.stop()
    for info in (big_info, small_info):
        info.pop("locks", None)
        info.pop("code_locks", None)
    return {
        "locks": locks,
        "quick": quick,
        "rounds": rounds,
        "big": big_info,
        "small": small_info,
        "latency": latency,
        "cpu": cpu,
    }


def section(results: dict) -> Section:
    big, small, locks = results["big"], results["small"], results["locks"]
    world_mib = big["rss_mib"] - big["rss_before_mib"]
    projected = big["rss_before_mib"] + world_mib * LOCKS / locks
    rows = [
        [
            "resident memory (VmRSS) after build",
            f"{big['rss_mib']:.0f} MiB",
            f"{small['rss_mib']:.0f} MiB",
        ],
        [
            "peak resident memory (VmHWM)",
            f"{big['hwm_mib']:.0f} MiB",
            f"{small['hwm_mib']:.0f} MiB",
        ],
        [
            "before building (imports only)",
            f"{big['rss_before_mib']:.0f} MiB",
            f"{small['rss_before_mib']:.0f} MiB",
        ],
        ["authorizations in the world", f"{big['auth_count']:,}", f"{small['auth_count']:,}"],
        [
            "per authorization (world only)",
            f"{world_mib * 2**20 / big['auth_count']:.0f} bytes",
            "—",
        ],
        [
            "build time (world + server)",
            f"{big['build_seconds']:.1f} s",
            f"{small['build_seconds']:.2f} s",
        ],
    ]
    checks = []
    if results["quick"]:
        rows.append([f"projected for {LOCKS:,} locks", f"{projected:.0f} MiB", "—"])
    memory = projected if results["quick"] else big["rss_mib"]
    checks.append(
        Check(
            name=f"resident memory, {LOCKS:,} locks × {CODES} codes"
            + (f" (projected from {locks:,})" if results["quick"] else ""),
            measured=f"{memory:.0f} MiB (peak {big['hwm_mib']:.0f} MiB)",
            baseline=f"{big['rss_before_mib']:.0f} MiB before the world",
            ratio=f"{memory / MEMORY_TARGET_MIB:.2f} of 1 GiB",
            target="≤ 1024 MiB",
            met=memory <= MEMORY_TARGET_MIB
            and (results["quick"] or big["hwm_mib"] <= MEMORY_TARGET_MIB),
        )
    )
    for title, _, _ in PATHS:
        lat, cpu = results["latency"][title], results["cpu"][title]
        big_ms, small_ms = median(lat["big"]), median(lat["small"])
        big_us, small_us = median(cpu["big"]), median(cpu["small"])
        rows.append([f"{title} median latency", fmt_ms(big_ms), fmt_ms(small_ms)])
        rows.append([f"{title} server CPU per request", f"{big_us:.0f} µs", f"{small_us:.0f} µs"])
        ratio = big_ms / small_ms
        checks.append(
            Check(
                name=f"{title} latency, {locks:,} vs {SMALL_LOCKS} locks",
                measured=fmt_ms(big_ms),
                baseline=f"{fmt_ms(small_ms)} ({SMALL_LOCKS} locks)",
                ratio=f"{ratio:.2f} (CPU {big_us / small_us:.2f})",
                target=f"≤ {LATENCY_TARGET}",
                met=ratio <= LATENCY_TARGET,
            )
        )
    return Section(
        key="scale",
        title=f"Scale ({locks:,} locks × {CODES} codes vs {SMALL_LOCKS} locks × {CODES} codes)",
        method=__doc__.split("\n\n", 1)[1].split("``python benchmarks")[0].strip(),
        header=["measure", f"{locks:,} locks", f"{SMALL_LOCKS} locks"],
        rows=rows,
        checks=checks,
        notes=[
            f"Latency: one connection, one request in flight, {results['rounds']} alternating "
            f"rounds per path ({', '.join(f'{c} × {t}' for t, _, c in PATHS)} per round), "
            "median of the round medians."
        ],
        data=results,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LOCKS:,} locks, projected")
    args = parser.parse_args(argv)
    print(run_section(lambda: section(measure(quick=args.quick))).text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
