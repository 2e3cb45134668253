"""Throughput: the simulator against a bare aiohttp handler answering the same JSON.

Two server processes on 127.0.0.1 (``benchmarks/servers.py``): ``sim`` is the simulator as
``start_simulator`` serves it (system clock, all middlewares, journal, heartbeat) on a world of
1,000 keypad locks, the first 100 of which hold 100 keypad codes each; ``bare`` is a bare
aiohttp app on the same routes answering the same JSON (the same world's, computed
once at start, serialized per request). One load generator (``common.generate_load``: N
keep-alive connections, one request in flight on each, in this process) drives each server
in turn, in interleaved rounds, for a bounded time and a bounded number of requests.

Cases:

* ``GET /smartlock/{id}`` over all 1,000 locks (200), target ≥ 0.9 of bare;
* ``PUT /smartlock/{id}/auth`` keypad codes, valid and distinct, spread over the 900 locks
  without codes, never more than 90 per lock (204), target ≥ 0.6 of bare;
* ``GET /smartlock/{id}/auth`` over the 100 locks with 100 codes (200), target ≥ 0.8 of bare.

For the PUT, a third server, ``floor``, is the bare app whose PUT does the simulator's domain
work and nothing else (token, lock, checked body, the create queued and pushed as due; no
middleware, journal or operation table): floor / bare is what the domain work itself leaves
of a bare handler, and sim / floor what the simulator's HTTP layer costs on top of it.

Two ratios are reported. *CPU ratio* (the verdict): requests per CPU-second of the server
process, sim over bare, i.e. what each serves with one full core (the server is a single
event loop). *Wall ratio*: requests per second as measured. On a quiet machine with a
saturated server they agree; on a shared machine the wall numbers also measure the
neighbours, so the verdict uses the CPU ratio. Both come from the same rounds.

``python benchmarks/throughput.py`` prints a table; ``--quick`` is shorter. Not run by pytest.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    Check,
    LoadResult,
    Section,
    ServerProcess,
    cpu_seconds,
    fmt_rate,
    generate_load,
    get_request,
    keypad_code,
    median,
    pinned,
    placement,
    put_request,
    run_section,
)

LOCKS = 1_000
CODE_LOCKS = 100  # locks holding CODES codes (GET .../auth); the others take the PUTs
CODES = 100
PUT_PER_LOCK = 90  # below the 100 keypad codes a lock holds: capacity is never hit
CONNECTIONS = 32


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    status: int
    target: float | None


CASES = (
    Case("get_lock", "GET /smartlock/{id}", 200, 0.9),
    Case("put_auth", "PUT /smartlock/{id}/auth", 204, 0.6),
    Case("get_auths", "GET /smartlock/{id}/auth (100 codes)", 200, 0.8),
)


@dataclass
class Sample:
    rate: float
    cpu_us: float  # server CPU microseconds per request
    p50_ms: float
    p99_ms: float
    requests: int
    unexpected: dict[int, int]


@dataclass
class Server:
    name: str
    process: ServerProcess
    put_next: int = 0  # PUTs sent so far to this server (each one a fresh code)
    samples: dict[str, list[Sample]] = field(default_factory=dict)


def maker(case: Case, info: dict, server: Server):
    token = info["token"]
    if case.key == "get_lock":
        requests = [get_request(f"/smartlock/{i}", token) for i in info["locks"]]
        return lambda k: requests[k % len(requests)]
    if case.key == "get_auths":
        requests = [get_request(f"/smartlock/{i}/auth", token) for i in info["code_locks"]]
        return lambda k: requests[k % len(requests)]
    put_locks = info["locks"][len(info["code_locks"]) :]
    n = len(put_locks)

    def put(k: int) -> bytes:
        # The k-th PUT goes to lock k mod n with that lock's (k div n)-th code: distinct codes
        # per lock, at most PUT_PER_LOCK per lock over the whole run.
        body = json.dumps({"type": 13, "name": f"Bench {k}", "code": keypad_code(k // n)})
        return put_request(f"/smartlock/{put_locks[k % n]}/auth", body.encode(), token)

    return put


def put_budget(info: dict) -> int:
    return (len(info["locks"]) - len(info["code_locks"])) * PUT_PER_LOCK


def run_once(
    server: Server,
    case: Case,
    *,
    seconds: float,
    warmup: float,
    connections: int,
    put_runs_left: int = 1,
) -> Sample:
    """One warm-up and one measured run. A simulator's PUTs are also bounded by count: the
    codes left to create (``PUT_PER_LOCK`` per lock) are shared out over the PUT runs still
    to come, so no lock ever nears its capacity; the bare handler stores nothing."""
    info = server.process.info
    make = maker(case, info, server)
    is_put = case.key == "put_auth"
    capped = is_put and info.get("kind") in ("sim", "floor")

    def go(duration: float, keep: bool, runs_left: int) -> LoadResult:
        limit = 10_000_000
        if capped:
            limit = max((put_budget(info) - server.put_next) // max(runs_left, 1), 0)
        result = generate_load(
            server.process.port,
            make,
            connections=connections,
            seconds=duration,
            limit=limit,
            start=server.put_next if is_put else 0,
            keep_latencies=keep,
        )
        if is_put:
            server.put_next += result.requests
        return result

    # The warm-up takes a share sized by its length; the measured run the rest of its share.
    go(warmup, False, max(round(put_runs_left * (seconds + warmup) / max(warmup, 1e-3)), 1))
    pid = server.process.proc.pid
    cpu0 = cpu_seconds(pid)
    result = go(seconds, True, put_runs_left)
    cpu = cpu_seconds(pid) - cpu0
    unexpected = {s: n for s, n in result.statuses.items() if s != case.status}
    return Sample(
        rate=result.rate,
        cpu_us=cpu / result.requests * 1e6 if result.requests else float("nan"),
        p50_ms=result.percentile(50),
        p99_ms=result.percentile(99),
        requests=result.requests,
        unexpected=unexpected,
    )


def _undated(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: v[8:] if k == "id" else _undated(v)  # an ObjectId starts with its creation second
            for k, v in value.items()
            if not k.endswith("Date")
        }
    if isinstance(value, list):
        return [_undated(v) for v in value]
    return value


def same_json(path: str, servers: list[Server]) -> bool:
    """Both servers answer ``path`` with the same JSON, field order included, apart from the
    instants (each process built its world at its own wall-clock time, which also shows in
    the first 8 hex digits of each ObjectId)."""
    bodies = set()
    for server in servers:
        conn = http.client.HTTPConnection("127.0.0.1", server.process.port, timeout=10)
        conn.request(
            "GET", path, headers={"Authorization": f"Bearer {server.process.info['token']}"}
        )
        raw = conn.getresponse().read()
        conn.close()
        bodies.add(json.dumps(_undated(json.loads(raw))))
    return len(bodies) == 1


def measure(
    *,
    quick: bool = False,
    cases: list[str] | None = None,
    connections: int = CONNECTIONS,
    locks: int = LOCKS,
) -> dict:
    server_cpu, client_cpu = placement()
    with pinned(client_cpu):
        return _measure(quick, cases, connections, locks, server_cpu)


def _measure(
    quick: bool,
    cases: list[str] | None,
    connections: int,
    locks: int,
    server_cpu: int | None,
) -> dict:
    rounds, seconds, warmup = (2, 1.0, 0.3) if quick else (3, 2.0, 0.5)
    world = ["--locks", str(locks), "--code-locks", str(CODE_LOCKS), "--codes", str(CODES)]
    servers: list[Server] = []
    try:
        selected = [c for c in CASES if cases is None or c.key in cases]
        kinds = ("bare", "sim", "floor") if any(c.key == "put_auth" for c in selected) else ()
        for name in kinds or ("bare", "sim"):
            servers.append(Server(name, ServerProcess(name, *world, cpu=server_cpu)))
        info = servers[1].process.info
        identical = {
            "GET /smartlock/{id}": same_json(f"/smartlock/{info['locks'][7]}", servers[:2]),
            "GET /smartlock/{id}/auth": same_json(
                f"/smartlock/{info['code_locks'][7]}/auth", servers[:2]
            ),
        }
        for case in selected:
            taking = [sv for sv in servers if sv.name != "floor" or case.key == "put_auth"]
            for index in range(rounds):
                order = taking if index % 2 == 0 else taking[::-1]
                for server in order:
                    sample = run_once(
                        server,
                        case,
                        seconds=seconds,
                        warmup=warmup,
                        connections=connections,
                        put_runs_left=rounds - index,
                    )
                    server.samples.setdefault(case.key, []).append(sample)
    finally:
        for server in servers:
            server.process.stop()
    return {
        "servers": servers,
        "cases": selected,
        "identical": identical,
        "rounds": rounds,
        "seconds": seconds,
        "connections": connections,
        "locks": locks,
        "pinned": server_cpu is not None,
    }


def summarize(server: Server, case: Case) -> dict[str, float]:
    samples = server.samples[case.key]
    return {
        "rate": median(s.rate for s in samples),
        "cpu_us": median(s.cpu_us for s in samples),
        "p50_ms": median(s.p50_ms for s in samples),
        "p99_ms": median(s.p99_ms for s in samples),
        "requests": sum(s.requests for s in samples),
        "unexpected": sum(sum(s.unexpected.values()) for s in samples),
    }


def wall_ratio(sim: Server, bare: Server, case: Case) -> float:
    """Median of the per-round ratios (each round runs both servers back to back)."""
    pairs = zip(sim.samples[case.key], bare.samples[case.key], strict=True)
    return median(s.rate / b.rate for s, b in pairs if b.rate and s.rate)


def section(results: dict) -> Section:
    servers: list[Server] = results["servers"]
    bare, sim = servers[0], servers[1]
    rows, checks = [], []
    data: dict[str, dict] = {}
    for case in results["cases"]:
        b, s = summarize(bare, case), summarize(sim, case)
        cpu_ratio = b["cpu_us"] / s["cpu_us"]
        wall = wall_ratio(sim, bare, case)
        data[case.key] = {
            "bare": b,
            "sim": s,
            "cpu_ratio": cpu_ratio,
            "wall_ratio": wall,
        }
        for server in servers:
            if case.key not in server.samples:
                continue
            m = summarize(server, case)
            rows.append(
                [
                    case.title,
                    server.name,
                    fmt_rate(m["rate"]),
                    f"{m['cpu_us']:.0f} µs",
                    fmt_rate(1e6 / m["cpu_us"]),
                    f"{m['p50_ms']:.2f} / {m['p99_ms']:.2f}",
                    f"{b['cpu_us'] / m['cpu_us']:.2f}" if server is not bare else "1.00",
                    f"{m['requests']:,}"
                    + (f" ({m['unexpected']} unexpected)" if m["unexpected"] else ""),
                ]
            )
        ok = s["unexpected"] == 0
        checks.append(
            Check(
                name=f"{case.title}: sim / bare",
                measured=f"{fmt_rate(1e6 / s['cpu_us'])} per core ({fmt_rate(s['rate'])} wall)",
                baseline=f"{fmt_rate(1e6 / b['cpu_us'])} per core ({fmt_rate(b['rate'])} wall)",
                ratio=f"{cpu_ratio:.2f} (wall {wall:.2f})",
                target=f"≥ {case.target}" if case.target is not None else "reported",
                met=None if case.target is None else (ok and cpu_ratio >= case.target),
            )
        )
        floor = next((sv for sv in servers if sv.name == "floor"), None)
        if floor is not None and case.key in floor.samples:
            f = summarize(floor, case)
            data[case.key] |= {
                "floor": f,
                "floor_ratio": b["cpu_us"] / f["cpu_us"],
                "sim_over_floor": f["cpu_us"] / s["cpu_us"],
            }
            checks.append(
                Check(
                    name=f"{case.title}: floor / bare (the domain work alone)",
                    measured=f"{fmt_rate(1e6 / f['cpu_us'])} per core",
                    baseline=f"{fmt_rate(1e6 / b['cpu_us'])} per core",
                    ratio=f"{b['cpu_us'] / f['cpu_us']:.2f}",
                    target="reported",
                    met=None,
                )
            )
            checks.append(
                Check(
                    name=f"{case.title}: sim / floor (the HTTP layer's share)",
                    measured=f"{fmt_rate(1e6 / s['cpu_us'])} per core",
                    baseline=f"{fmt_rate(1e6 / f['cpu_us'])} per core",
                    ratio=f"{f['cpu_us'] / s['cpu_us']:.2f}",
                    target="reported",
                    met=None,
                )
            )
    same = ", ".join(
        f"{k}: {'identical' if v else 'DIFFERENT'}" for k, v in results["identical"].items()
    )
    notes = [
        f"{results['locks']:,} locks ({CODE_LOCKS} of them with {CODES} codes); "
        f"{results['connections']} keep-alive connections; {results['rounds']} interleaved rounds "
        f"of {results['seconds']:.0f} s per server and case (medians shown); "
        f"server and load generator {'pinned to separate CPUs' if results['pinned'] else 'not pinned'}. "
        f"Response JSON of sim and bare (instants aside: each process built its world at its own "
        f"wall-clock time): {same}.",
    ]
    return Section(
        key="throughput",
        title="Throughput (sim vs bare aiohttp, same JSON, same load generator)",
        method=__doc__.split("\n\n", 1)[1].split("``python benchmarks")[0].strip(),
        header=[
            "case",
            "server",
            "wall req/s",
            "server CPU/req",
            "req/s per core",
            "p50 / p99 ms",
            "CPU ratio",
            "requests",
        ],
        rows=rows,
        checks=checks,
        notes=notes,
        data=data,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--case", action="append", choices=[c.key for c in CASES])
    args = parser.parse_args(argv)
    result = run_section(
        lambda: section(measure(quick=args.quick, connections=args.connections, cases=args.case))
    )
    print(result.text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
