"""Kit: wall time of the full conformance run, ``nuki-conformance --suite all``.

Runs ``nuki-conformance --suite all -q --report-dir <tmp>`` as a subprocess (from a
temporary directory, as a user would, against the in-process simulator it starts by itself)
and times it; per-scenario durations come from ``results.json`` in the report directory.
The baseline is the same command collecting only (``-- --collect-only``): interpreter,
pytest, plugins and the Gherkin collection, without running a scenario. No target is set:
the numbers are reported.

``python benchmarks/kit.py`` prints a table. Not run by pytest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import Check, Section, median, run_section


def kit_command(report_dir: Path) -> list[str]:
    script = Path(sys.executable).with_name("nuki-conformance")
    base = (
        [str(script)]
        if script.exists()
        else [shutil.which("nuki-conformance") or "nuki-conformance"]
    )
    return [*base, "--suite", "all", "-q", "--report-dir", str(report_dir)]


def run(extra: list[str]) -> tuple[float, int, Path, str]:
    work = Path(tempfile.mkdtemp(prefix="nuki-bench-kit-"))
    report = work / "report"
    command = kit_command(report) + extra
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - started, done.returncode, report, done.stdout[-2000:]


def measure(*, quick: bool = False) -> dict:
    baseline, _, base_report, _ = run(["--", "--collect-only"])
    shutil.rmtree(base_report.parent, ignore_errors=True)
    seconds, code, report, tail = run([])
    try:
        results = json.loads((report / "results.json").read_text())["results"]
    finally:
        shutil.rmtree(report.parent, ignore_errors=True)
    return {
        "seconds": seconds,
        "returncode": code,
        "baseline": baseline,
        "results": results,
        "tail": tail,
    }


def section(data: dict) -> Section:
    results = data["results"]
    durations = sorted((r["duration"], r["scenario_id"]) for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    slowest = durations[-3:][::-1]
    total_scenarios = sum(d for d, _ in durations)
    rows = [
        ["wall time, whole command", f"{data['seconds']:.2f} s"],
        ["baseline: same command, --collect-only", f"{data['baseline']:.2f} s"],
        ["difference (running the scenarios)", f"{data['seconds'] - data['baseline']:.2f} s"],
        [
            "scenarios",
            f"{len(results)} ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))})",
        ],
        ["sum of scenario durations (results.json)", f"{total_scenarios:.2f} s"],
        ["median scenario", f"{median(d for d, _ in durations) * 1000:.1f} ms"],
        *[[f"slowest #{i + 1}: {sid}", f"{d * 1000:.0f} ms"] for i, (d, sid) in enumerate(slowest)],
        ["exit code", str(data["returncode"])],
    ]
    checks = [
        Check(
            name="nuki-conformance --suite all (wall)",
            measured=f"{data['seconds']:.2f} s, median scenario {median(d for d, _ in durations) * 1000:.0f} ms, "
            f"slowest {slowest[0][1]} {slowest[0][0] * 1000:.0f} ms",
            baseline=f"{data['baseline']:.2f} s (--collect-only)",
            ratio=f"{data['seconds'] / data['baseline']:.2f}",
            target="reported",
            met=None,
        )
    ]
    return Section(
        key="kit",
        title="Conformance kit (nuki-conformance --suite all)",
        method=__doc__.split("\n\n", 1)[1].split("``python benchmarks")[0].strip(),
        header=["measure", "value"],
        rows=rows,
        checks=checks,
        data={k: v for k, v in data.items() if k != "results"},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="(the same: the kit is one run)")
    args = parser.parse_args(argv)
    print(run_section(lambda: section(measure(quick=args.quick))).text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
