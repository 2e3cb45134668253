"""Run every benchmark and write docs/benchmarks.md.

    python benchmarks/run_all.py            # the full run (about 4 minutes on 2 cores)
    python benchmarks/run_all.py --quick    # smaller counts, for a quick look

Runs, in this order: throughput (sim vs bare aiohttp), scale (10,000 locks × 100 codes), time
travel (a simulated year for 1,000 locks), the conformance kit, start-up, durability; then the
in-process hot-path profiles of ``benchmarks/hotpaths.py``. Each benchmark is also runnable alone (``python
benchmarks/<name>.py``). Load goes to 127.0.0.1 only; every run is bounded in requests and
time. Only the project's Python dependencies are needed. Not run by pytest.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import (
    durability,
    hotpaths,
    kit,
    scale,
    startup,
    throughput,
    time_travel,
)
from benchmarks.common import ROOT, Section, format_table, machine, run_section

DOC = ROOT / "docs" / "benchmarks.md"


def _time_travel(quick: bool) -> Section:
    return time_travel.section(time_travel.measure(time_travel.LOCKS), time_travel.LOCKS)


def benchmarks(quick: bool) -> list[tuple[str, Callable[[], Section]]]:
    return [
        (
            "throughput",
            lambda: throughput.section(throughput.measure(quick=quick)),
        ),
        ("scale", lambda: scale.section(scale.measure(quick=quick))),
        ("time travel", lambda: _time_travel(quick)),
        ("kit", lambda: kit.section(kit.measure(quick=quick))),
        ("start-up", lambda: startup.section(startup.measure(quick=quick))),
        ("durability", lambda: durability.section(durability.measure(quick=quick))),
    ]


def hot_paths(quick: bool) -> dict:
    """In a fresh process: the in-process µs per request and the profiles."""
    done = subprocess.run(
        [sys.executable, str(Path(hotpaths.__file__)), "--json", "--top", "15"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return {"profile": json.loads(done.stdout)}


# --- the document ---------------------------------------------------------------------------


def render(
    sections: list[Section],
    hot: dict | None,
    hot_error: str | None,
    facts: dict[str, str],
    *,
    quick: bool,
    seconds: float,
    failures: dict[str, str],
) -> str:
    out = [
        "# Benchmarks",
        "",
        "Evidence for the simulator's performance claims, measured against baselines taken in the "
        "same run (a bare aiohttp handler, a bare `heapq` loop, a bare aiohttp process, the kit "
        "collecting only), so the ratios can be read on any machine. This file is written by "
        "`python benchmarks/run_all.py`; do not edit it by hand. No test asserts a timing.",
        "",
        f"Run: started {facts.get('_started', '?')} UTC, "
        f"{'`--quick` (smaller counts)' if quick else 'full'}, {seconds / 60:.1f} minutes, "
        f"on commit {facts.get('_commit', 'unknown')}.",
        "",
        "## Machine",
        "",
        format_table(
            ["", ""], [[k, v] for k, v in facts.items() if not k.startswith("_")], markdown=True
        ),
        "",
        "## Reproduce",
        "",
        "```sh",
        "python benchmarks/run_all.py            # everything; writes docs/benchmarks.md",
        "python benchmarks/run_all.py --quick    # smaller counts",
        "python benchmarks/throughput.py         # each benchmark alone prints its own table:",
        "python benchmarks/scale.py              #   (--quick on each for smaller counts)",
        "python benchmarks/time_travel.py",
        "python benchmarks/kit.py",
        "python benchmarks/startup.py",
        "python benchmarks/hotpaths.py           # in-process µs/request and cProfile of the hot paths",
        "```",
        "",
        "Only the project's own dependencies are used (the load generator is Python: "
        "`benchmarks/common.py`, keep-alive connections, one request in flight per connection, "
        "bounded in count and time, 127.0.0.1 only).",
        "",
        "## Summary",
        "",
    ]
    rows = []
    for section in sections:
        for check in section.checks:
            verdict = {"MET": "**MET**", "NOT MET": "**NOT MET**"}.get(check.verdict, check.verdict)
            rows.append(
                [
                    section.title.split(" (")[0],
                    check.name,
                    check.measured,
                    check.baseline,
                    check.ratio,
                    check.target,
                    verdict,
                ]
            )
    for name, error in failures.items():
        rows.append([name, "benchmark failed", error, "", "", "", "**FAILED**"])
    out.append(
        format_table(
            ["benchmark", "check", "measured", "baseline", "ratio", "target", "verdict"],
            rows,
            markdown=True,
        )
    )
    for section in sections:
        out += [
            "",
            f"## {section.title}",
            "",
            section.method,
            "",
            format_table(section.header, section.rows, markdown=True),
        ]
        if section.checks:
            out += [
                "",
                format_table(
                    ["check", "measured", "baseline", "ratio", "target", "verdict"],
                    [
                        [c.name, c.measured, c.baseline, c.ratio, c.target, c.verdict]
                        for c in section.checks
                    ],
                    markdown=True,
                ),
            ]
        for note in section.notes:
            out += ["", note]
        out += ["", f"_({section.seconds:.0f} s)_"]
    out += ["", *profiles_part(sections, hot, hot_error)]
    out += ["", *caveats()]
    return "\n".join(out) + "\n"


def profiles_part(sections: list[Section], hot: dict | None, hot_error: str | None) -> list[str]:
    out = ["## Profiles", ""]
    missed = [c for s in sections for c in s.checks if c.met is False]
    if missed:
        out += [
            "Targets not met: "
            + "; ".join(f"**{c.name}** ({c.ratio}, target {c.target})" for c in missed)
            + ". Below is where the time goes.",
            "",
        ]
    else:
        out += ["Every target is met. The profiles are kept for the record.", ""]
    if hot is None:
        out += [f"(The hot-path profiles could not be taken: {hot_error})"]
        return out
    out += [
        "### Where the time goes (in-process, per request)",
        "",
        "`benchmarks/hotpaths.py` feeds the same requests straight into both aiohttp "
        "applications (`Application._handle` on `make_mocked_request`: routing, middlewares, "
        "handler, domain call, JSON encoding; no sockets, HTTP parsing or response writing, "
        "which cost both the same) on the same world as the throughput benchmark, and times "
        "them in CPU time (best of 3 interleaved rounds). The difference between the two apps "
        "is the simulator's own cost; cProfile names the functions (per function the least of "
        "3 profiles, so a neighbour taking the CPU mid-call does not make a function look hot; "
        "cProfile's own overhead inflates the numbers, the ranking holds).",
        "",
    ]
    for case, entry in hot["profile"].items():
        out += [
            f"**{hotpaths.TITLES[case]}**: bare app {entry['bare_us']:.1f} µs, simulator app "
            f"{entry['sim_us']:.1f} µs (+{entry['sim_us'] - entry['bare_us']:.1f} µs). "
            "cProfile of the simulator's requests, top entries by own time:",
            "",
            "```",
            hotpaths.profile_text(entry),
            "```",
            "",
        ]
    out += [
        "### The profile switch (issue 15)",
        "",
        "The same apps on a world under the `nuki-docs` profile, in the same interleaved "
        "rounds (µs per request, best of 3; a ratio near 1.00 means the switch costs nothing "
        "measurable):",
        "",
        "| case | seed | nuki-docs | nuki-docs / seed |",
        "|---|---|---|---|",
    ]
    for case, entry in hot["profile"].items():
        if "docs_us" in entry:
            out.append(
                f"| {hotpaths.TITLES[case]} | {entry['sim_us']:.1f} | {entry['docs_us']:.1f} | "
                f"{entry['docs_us'] / entry['sim_us']:.2f} |"
            )
    out += [
        "",
        "Costs seen in the profiles that are still open:",
        "",
        "* `World.cloud_keypad_codes` (every keypad create/update) builds a dict of the codes "
        "the cloud lists on the lock: O(codes per lock) per request. The device's side keeps an "
        "index (`device.keypad_codes`), the cloud's does not yet.",
        "* With the system clock each PUT also costs a deferred push 3 s later (`run_push` → "
        "`deliver` → `device.apply_auth`); that is the simulator's real work, measured in the "
        "over-sockets numbers (and by the `floor` server) but not in the in-process ones.",
    ]
    return out


def caveats() -> list[str]:
    return [
        "## How to read these numbers",
        "",
        "* Ratios, not absolute numbers, are the claims: each baseline runs in the same run, with "
        "the same load generator, interleaved with the simulator.",
        "* Throughput verdicts use the CPU ratio (requests per CPU-second of the server process, "
        "from `/proc/<pid>/schedstat`): the server is one event loop, so this is what it serves "
        "with one full core. The wall ratio is shown next to it; on a shared or small machine the "
        "load generator and other processes compete for the same cores, which compresses wall "
        "ratios towards 1 (both servers wait on the client), so it flatters the simulator.",
        "* In-process µs (hot paths) are measured with hot caches and no sockets; they rank the "
        "costs precisely but are about half of what the same code costs under real load.",
        "* Memory is the resident set of a fresh process that built the world, after a full "
        "garbage collection; the peak (`VmHWM`) is shown too.",
    ]


def commit() -> str:
    """The checked-out commit, and whether simulator/ differs from it (read-only git calls)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "simulator"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    if not head:
        return "unknown"
    return f"`{head}`" + (" (with local changes in simulator/)" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    parser.add_argument("--output", type=Path, default=DOC, help=f"default {DOC.relative_to(ROOT)}")
    parser.add_argument("--no-profiles", action="store_true", help="skip the hot-path profiles")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    facts = machine()  # before anything is pinned or loaded
    facts["_started"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    facts["_commit"] = commit()
    sections: list[Section] = []
    failures: dict[str, str] = {}
    for name, build in benchmarks(args.quick):
        print(f"--- {name} ...", flush=True)
        try:
            section = run_section(build)
        except Exception as exc:  # report the others, and say which one failed
            traceback.print_exc()
            failures[name] = f"{type(exc).__name__}: {exc}"
            continue
        sections.append(section)
        print(section.text(), flush=True)
    hot, hot_error = None, None
    if not args.no_profiles:
        print("--- hot paths ...", flush=True)
        try:
            hot = hot_paths(args.quick)
        except Exception as exc:
            hot_error = f"{type(exc).__name__}: {exc}"
            print(hot_error, flush=True)
    seconds = time.perf_counter() - started
    text = render(
        sections, hot, hot_error, facts, quick=args.quick, seconds=seconds, failures=failures
    )
    args.output.write_text(text, encoding="utf-8")
    print()
    print("=== summary ===")
    rows = [
        [s.title.split(" (")[0], c.name, c.measured, c.ratio, c.target, c.verdict]
        for s in sections
        for c in s.checks
    ]
    rows += [[name, "FAILED", error, "", "", ""] for name, error in failures.items()]
    print(
        format_table(
            ["benchmark", "check", "measured", "ratio", "target", "verdict"], rows, markdown=False
        )
    )
    print(f"wrote {args.output} in {seconds:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
