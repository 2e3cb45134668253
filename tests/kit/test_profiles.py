"""The kit under each cloud behaviour profile: tags pick the scenarios, reports name the run.

``@profile-seed`` / ``@profile-nuki-docs`` scenarios run only under their profile and are
reported as not for the other; ``--profile all`` runs each suite once per profile, a report
directory each, and fails when either fails; against ``--nuki-url`` the server's own profile
(``GET /_sim/config``) decides.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nuki_sim.conformance.control import served_profile
from tests.kit.test_targets import process

ROOT = Path(__file__).resolve().parents[2]
SEED_ONLY = {"api.sync.create-invisible", "api.webhooks.auths-after-sync"}
DOCS_ONLY = {"api.sync.create-listed", "api.webhooks.auths-at-change"}


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = "from nuki_sim.conformance.cli import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", command, "-q", *args, "--", "-p", "no:randomly"],
        capture_output=True, text=True, timeout=300, cwd=cwd, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


@pytest.mark.parametrize(("profile", "ran", "left_out"), [
    ("seed", SEED_ONLY, DOCS_ONLY), ("nuki-docs", DOCS_ONLY, SEED_ONLY),
])  # fmt: skip
def test_a_scenario_runs_only_under_the_profiles_it_names(  # type: ignore[no-untyped-def]
    run_kit, tmp_path: Path, profile: str, ran: set[str], left_out: set[str]
) -> None:
    """Tagged for another profile: not run, not skipped, listed as not for this profile."""
    path = tmp_path / "mine.json"
    run = run_kit("nuki_web", f"--kit-profile={profile}", f"--results-json={path}")
    data = json.loads(path.read_text(encoding="utf-8"))  # the last --results-json wins
    results = {r["scenario_id"]: r["status"] for r in data["results"]}

    assert run.code == 0, run.output[-2000:]
    assert ran <= set(results)
    assert not left_out & set(results)
    assert set(results.values()) == {"passed"}
    assert left_out <= set(data["not_for_profile"])
    assert data["meta"]["profile"] == profile
    assert f"nuki-conformance summary (profile {profile})" in run.output
    assert f"{len(data['not_for_profile'])} scenarios not for this profile (not run)" in run.output


def test_profile_all_reports_each_profile_and_passes_only_if_both_pass(tmp_path: Path) -> None:
    """One directory per profile (JUnit suite, results JSON and summary naming it), and a
    summary of both; an adapter right under nuki-docs only fails the whole run."""
    report = tmp_path / "report"
    done = cli(tmp_path, "--suite", "nuki_web", "--profile", "all", "--report-dir", str(report))

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for profile in ("seed", "nuki-docs"):
        suite = ET.parse(report / profile / "junit.xml").getroot().find("testsuite")
        assert suite is not None
        assert suite.get("name") == f"nuki-conformance[{profile}]"
        results = json.loads((report / profile / "results.json").read_text(encoding="utf-8"))
        assert results["meta"]["profile"] == profile
        assert {r["status"] for r in results["results"]} == {"passed"}
        summary = (report / profile / "summary.txt").read_text(encoding="utf-8")
        assert summary.startswith(f"nuki-conformance summary (profile {profile})")
    overall = (report / "summary.txt").read_text(encoding="utf-8")
    assert "(profile seed)" in overall
    assert "(profile nuki-docs)" in overall
    assert overall.endswith("every profile passed\n")

    broken = cli(
        tmp_path, "--suite", "traits", "--profile", "all", "--report-dir", str(tmp_path / "b"),
        "--adapter", "tests.kit.broken_profiles:resends_after_minutes",
        "--id", "traits.once.refresh", "--id", "traits.once.refresh-listed",
    )  # fmt: skip

    assert broken.returncode == 1, broken.stdout[-2000:] + broken.stderr[-2000:]
    overall = (tmp_path / "b" / "summary.txt").read_text(encoding="utf-8")
    assert overall.endswith("failed under seed\n")
    docs = json.loads((tmp_path / "b" / "nuki-docs" / "results.json").read_text("utf-8"))
    assert {r["scenario_id"]: r["status"] for r in docs["results"]} == {
        "traits.once.refresh-listed": "passed"
    }


def test_profile_all_is_refused_against_one_server(tmp_path: Path) -> None:
    """A server runs one profile: --profile all with --nuki-url says so and runs nothing."""
    done = cli(tmp_path, "--profile", "all", "--nuki-url", "http://127.0.0.1:9")

    assert done.returncode == 2
    assert "--profile all needs the in-process simulator" in done.stderr


def test_against_a_server_its_own_profile_decides(run_kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Read from GET /_sim/config: no flag needed; a flag naming another profile is refused."""
    with process("serve", "--clock", "virtual", "--port", "0", "--profile", "nuki-docs") as sim:
        nuki_url = re.search(r"on (http://\S+)", sim[0]).group(1)  # type: ignore[union-attr]
        token = sim[1].split(":", 1)[1].strip()
        target = (f"--nuki-url={nuki_url}", f"--token={token}")
        run = run_kit("nuki_web", *target, "--scenario-id=api.sync.create-listed",
                      "--scenario-id=api.sync.create-invisible")  # fmt: skip
        wrong = cli(tmp_path, "--suite", "nuki_web", "--profile", "seed", *target)

    assert run.code == 0, run.output[-2000:]
    assert run.results == {"api.sync.create-listed": "passed"}
    assert wrong.returncode == pytest.ExitCode.USAGE_ERROR
    assert "runs the profile nuki-docs (GET /_sim/config)" in wrong.stderr


def test_without_a_control_plane_the_flag_is_trusted() -> None:
    """Nothing to ask (a real account, --control off): served_profile answers None."""
    with process("serve", "--clock", "virtual", "--port", "0", "--control", "off") as sim:
        nuki_url = re.search(r"on (http://\S+)", sim[0]).group(1)  # type: ignore[union-attr]
        assert served_profile(nuki_url) is None
    assert served_profile("http://127.0.0.1:9") is None  # nobody there at all
