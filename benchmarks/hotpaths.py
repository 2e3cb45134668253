"""Hot paths: where the simulator's time per request goes, measured in-process.

The throughput benchmark measures whole requests over sockets, which is the number that
matters but is noisy on a shared machine and cannot say *where* the time goes. This module
feeds the same requests straight into the aiohttp applications (``Application._handle`` with
``make_mocked_request``: routing, middlewares, handler, domain call, JSON encoding; no
sockets, no HTTP parsing, no response writing, which cost bare and sim the same), so:

* ``app µs/req`` for the bare app and the simulator's app (same world as the throughput
  benchmark) is precise and repeatable; their difference is the simulator's own cost;
* a cProfile of the simulator's requests names the functions that cost it.

In-process loops run with hot caches, so absolute µs are lower than under real load (about
half, on the machine of docs/benchmarks.md); the differences and the ranking carry over.

``python benchmarks/hotpaths.py`` prints the table and the profiles. Not run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SEED, keypad_code, populate

LOCKS = 1_000
CODE_LOCKS = 100
CODES = 100
CASES = ("get_lock", "put_auth", "get_auths")
TITLES = {
    "get_lock": "GET /smartlock/{id}",
    "put_auth": "PUT /smartlock/{id}/auth",
    "get_auths": "GET /smartlock/{id}/auth (100 codes)",
}


class _Protocol:
    """The least a StreamReader needs of its protocol (a Mock would cost µs per call)."""

    _reading_paused = False

    def pause_reading(self, *args: object, **kwargs: object) -> None:
        pass

    def resume_reading(self, *args: object, **kwargs: object) -> None:
        pass


def _requests(
    case: str, app: Any, token: str, locks: list[Any], n: int, offset: int = 0
) -> list[Any]:
    from aiohttp import streams
    from aiohttp.test_utils import make_mocked_request as make

    headers = {"Authorization": f"Bearer {token}", "Host": "127.0.0.1"}
    # make_mocked_request builds Mock transport/protocol/writer objects (about 0.7 ms each);
    # the handlers never write, so the requests can share one set.
    template = make("GET", "/", app=app)
    shared = {"transport": template.transport, "protocol": template.protocol}
    shared["writer"] = template.writer

    def make_mocked_request(*args: Any, **kwargs: Any) -> Any:
        return make(*args, **kwargs, **shared)

    made = []
    if case == "get_lock":
        for k in range(n):
            lock = locks[k % len(locks)]
            made.append(
                make_mocked_request(
                    "GET", f"/smartlock/{lock.smartlock_id}", headers=headers, app=app
                )
            )
    elif case == "get_auths":
        for k in range(n):
            lock = locks[k % CODE_LOCKS]
            made.append(
                make_mocked_request(
                    "GET", f"/smartlock/{lock.smartlock_id}/auth", headers=headers, app=app
                )
            )
    else:
        targets = locks[CODE_LOCKS:]
        loop = asyncio.get_running_loop()
        for k in range(offset, offset + n):
            lock = targets[k % len(targets)]
            body = json.dumps(
                {"type": 13, "name": f"Bench {k}", "code": keypad_code(k // len(targets))}
            ).encode()
            reader = streams.StreamReader(_Protocol(), 2**16, loop=loop)
            reader.feed_data(body)
            reader.feed_eof()
            made.append(
                make_mocked_request(
                    "PUT",
                    f"/smartlock/{lock.smartlock_id}/auth",
                    headers={
                        **headers,
                        "Content-Type": "application/json",
                        "Content-Length": str(len(body)),
                    },
                    app=app,
                    payload=reader,
                )
            )
    return made


async def _time(app: Any, requests: list[Any], status: int) -> float:
    """CPU µs per request (process time: other processes on the machine do not count)."""
    started = time.process_time()
    for request in requests:
        response = await app._handle(request)
        if response.status != status:
            raise RuntimeError(
                f"{request.method} {request.path}: {response.status} {response.body!r}"
            )
    return (time.process_time() - started) / len(requests) * 1e6


async def _measure(cases: list[str], profile_top: int) -> dict[str, Any]:
    from aiohttp import web

    from benchmarks.servers import bare_app
    from nuki_sim.simulator.domain.clock import SystemClock
    from nuki_sim.simulator.domain.config import SimConfig
    from nuki_sim.simulator.domain.demo import build_demo
    from nuki_sim.simulator.domain.world import World
    from nuki_sim.simulator.http.app import create_app

    world = World(SystemClock(), seed=SEED)
    demo = build_demo(world, locks=0)
    locks = populate(world, demo.account.account_id, LOCKS, CODE_LOCKS, CODES)
    sim = create_app(world)
    bare = bare_app(locks, CODE_LOCKS)
    # The same world under the nuki-docs profile: what the profile switch costs a request.
    docs_world = World(SystemClock(), seed=SEED, config=SimConfig(profile="nuki-docs"))
    docs_demo = build_demo(docs_world, locks=0)
    docs_locks = populate(docs_world, docs_demo.account.account_id, LOCKS, CODE_LOCKS, CODES)
    docs = create_app(docs_world)
    apps = {
        "bare": (bare, demo.token.token, locks),
        "sim": (sim, demo.token.token, locks),
        "docs": (docs, docs_demo.token.token, docs_locks),
    }
    runners = [web.AppRunner(a, access_log=None, handle_signals=False) for a in (sim, bare, docs)]
    for runner in runners:
        await runner.setup()  # freezes the apps, starts the sim's dispatcher and heartbeat
    out: dict[str, Any] = {}
    token = demo.token.token
    try:
        for case in cases:
            status = 204 if case == "put_auth" else 200
            n = {"get_lock": 1000, "put_auth": 600, "get_auths": 200}[case]
            fixed = {}
            if case != "put_auth":  # GET requests can be handled again and again
                fixed = {
                    name: _requests(case, app, tok, lks, n)
                    for name, (app, tok, lks) in apps.items()
                }
            rounds: dict[str, list[float]] = {name: [] for name in apps}
            offset = 0
            for _ in range(3):  # interleaved; the best of three is the least disturbed
                for name, (app, tok, lks) in apps.items():
                    if case == "put_auth":  # each create needs a fresh code, and a fresh body
                        reqs = _requests(case, app, tok, lks, n, offset)
                    else:
                        reqs = fixed[name]
                    rounds[name].append(await _time(app, reqs, status))
                offset += n  # the next round's creates take fresh codes (sim and docs alike)
            entry: dict[str, Any] = {
                "bare_us": min(rounds["bare"]),
                "sim_us": min(rounds["sim"]),
                "docs_us": min(rounds["docs"]),
            }
            if profile_top:
                # Three profiles; per function the least time of the three, so that another
                # process taking the CPU mid-call does not show up as a hot function.
                profiles = []
                for _ in range(3):
                    if case == "put_auth":
                        reqs = _requests(case, sim, token, locks, n, offset)
                        offset += n
                    else:
                        reqs = fixed["sim"]
                    profiler = cProfile.Profile()
                    profiler.enable()
                    await _time(sim, reqs, status)
                    profiler.disable()
                    profiles.append(_rows(profiler, len(reqs)))
                entry["profile"] = _least(profiles, profile_top)
            out[case] = entry
    finally:
        for runner in runners:
            await runner.cleanup()
    return out


def _rows(profiler: cProfile.Profile, requests: int) -> dict[str, dict[str, float]]:
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = {}
    for (filename, line, function), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows[f"{_short(filename)}:{line}({function})"] = {
            "calls_per_req": nc / requests,
            "self_us": tt / requests * 1e6,
            "cum_us": ct / requests * 1e6,
        }
    return rows


def _least(profiles: list[dict[str, dict[str, float]]], top: int) -> list[dict[str, Any]]:
    merged = []
    for name in set.intersection(*(set(p) for p in profiles)):
        merged.append(
            {
                "function": name,
                "calls_per_req": profiles[0][name]["calls_per_req"],
                "self_us": min(p[name]["self_us"] for p in profiles),
                "cum_us": min(p[name]["cum_us"] for p in profiles),
            }
        )
    merged.sort(key=lambda r: r["self_us"], reverse=True)
    return merged[:top]


def _short(filename: str) -> str:
    for marker in (
        "/simulator/",
        "/aiohttp/",
        "/benchmarks/",
        "/json/",
        "/asyncio/",
        "/dataclasses",
    ):
        at = filename.find(marker)
        if at >= 0:
            return filename[at + 1 :]
    return filename.rsplit("/", 1)[-1]


def measure(cases: list[str] | None = None, profile_top: int = 15) -> dict[str, Any]:
    """In this process: µs per request and profiles."""
    return asyncio.run(_measure(list(cases or CASES), profile_top))


def profile_text(entry: dict[str, Any]) -> str:
    lines = [f"{'self µs/req':>11} {'cum µs/req':>10} {'calls/req':>9}  function"]
    for row in entry["profile"]:
        lines.append(
            f"{row['self_us']:>11.2f} {row['cum_us']:>10.2f} {row['calls_per_req']:>9.1f}  {row['function']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=CASES)
    parser.add_argument("--top", type=int, default=15, help="profile rows (0: no profile)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = measure(args.case, args.top)
    if args.json:
        print(json.dumps(results))
        return 0
    for case, entry in results.items():
        print(
            f"== {TITLES[case]}: bare app {entry['bare_us']:.1f} µs/req, simulator app "
            f"{entry['sim_us']:.1f} µs/req (+{entry['sim_us'] - entry['bare_us']:.1f}); "
            f"under nuki-docs {entry['docs_us']:.1f} µs/req "
            f"(× {entry['docs_us'] / entry['sim_us']:.2f} of seed)"
        )
        if "profile" in entry:
            print(profile_text(entry))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
