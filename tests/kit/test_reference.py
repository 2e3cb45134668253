"""The reference adapter and simulator pass the whole kit, and the kit's reports keep faith.

The kit runs in this process (through pytester); the CLI is run once as a real process, the
way a user runs it from an installed wheel.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SUITES = ("traits", "nuki_web")


@pytest.mark.parametrize("profile", ["seed", "nuki-docs"])
@pytest.mark.parametrize("mode", ["virtual", "freezegun"])
@pytest.mark.parametrize("suite", SUITES)
def test_the_reference_passes_everything(run_kit, suite: str, mode: str, profile: str) -> None:  # type: ignore[no-untyped-def]
    """Every scenario passes with an empty expected-failures file, under every profile, in
    both time modes."""
    run = run_kit(suite, f"--time-mode={mode}", f"--kit-profile={profile}")

    assert run.code == 0, run.output[-3000:]
    assert run.results, "no scenario ran"
    assert set(run.results.values()) == {"passed"}, run.results


def test_a_listed_failure_is_expected_and_a_listed_pass_is_stale(
    run_kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A listed scenario that fails does not fail the run; a listed one that passes does."""
    from tests.kit import broken_simulators

    broken_simulators.accepts_long_names(monkeypatch)
    listed = tmp_path / "expected.txt"
    listed.write_text(
        "api.rules.name-length  names are not checked yet\n"
        "api.rules.update-name-length  nor on update\n",
        encoding="utf-8",
    )

    run = run_kit("nuki_web", f"--expected-failures={listed}")

    assert run.results["api.rules.name-length"] == "xfailed"
    assert run.code == 0, run.output[-2000:]

    monkeypatch.undo()
    stale = run_kit("nuki_web", f"--expected-failures={listed}")

    assert stale.results["api.rules.name-length"] == "stale"
    assert stale.code != 0


def test_scenarios_are_selected_by_id(run_kit) -> None:  # type: ignore[no-untyped-def]
    """--scenario-id runs exactly the named scenario (every example of an outline)."""
    run = run_kit(
        "traits", "--scenario-id=traits.rules.pin-format", "--scenario-id=traits.lock.unlock"
    )

    assert {sid.split("[")[0] for sid in run.results} == {
        "traits.rules.pin-format",
        "traits.lock.unlock",
    }
    assert len(run.results) == 7


def test_a_read_only_run_skips_writes_with_a_reason(run_kit) -> None:  # type: ignore[no-untyped-def]
    """--read-only leaves out every scenario that changes state, and says why."""
    run = run_kit("nuki_web", "--read-only")

    ran = {sid for sid, status in run.results.items() if status == "passed"}
    skipped = {sid for sid, status in run.results.items() if status == "skipped"}
    assert ran == {
        "api.read.smartlocks",
        "api.read.auths",
        "api.read.logs",
        "api.read.unauthorized",
    }
    assert skipped, "writing scenarios should be reported as skipped"
    assert run.code == 0


def test_the_cli_writes_junit_results_and_summary(tmp_path: Path) -> None:
    """nuki-conformance runs as a program and leaves JUnit XML, results JSON and a summary."""
    report = tmp_path / "report"
    done = subprocess.run(
        [sys.executable, "-c", "from nuki_sim.conformance.cli import main; raise SystemExit(main())",
         "--suite", "nuki_web", "--report-dir", str(report), "-q"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    cases = ET.parse(report / "junit.xml").getroot().iter("testcase")
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))["results"]
    assert len(list(cases)) == len(results) > 0
    assert {r["status"] for r in results} == {"passed"}
    assert all(r["scenario_id"] and r["strength"] in ("must", "should") for r in results)
    assert "no unexpected results" in (report / "summary.txt").read_text(encoding="utf-8")
