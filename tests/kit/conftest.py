"""Running the kit from inside the project's tests: in-process, through pytester."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class KitRun:
    code: int
    results: dict[str, str]  # scenario id (with example) → status
    output: str

    def failed(self) -> set[str]:
        return {sid for sid, status in self.results.items() if status in ("failed", "stale")}

    def base_ids(self, statuses: set[str]) -> set[str]:
        return {sid.split("[", 1)[0] for sid, status in self.results.items() if status in statuses}


@pytest.fixture
def run_kit(pytester: pytest.Pytester, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run one suite of the kit in this process and return what each scenario did."""

    def run(suite: str, *args: str) -> KitRun:
        results = tmp_path / f"results-{len(list(tmp_path.iterdir()))}.json"
        module = {
            "traits": "nuki_sim.conformance.suite.test_traits",
            "nuki_web": "nuki_sim.conformance.suite.test_nuki_web",
        }[suite]
        outcome = pytester.runpytest_inprocess(
            "-p", "no:cacheprovider", "-q", "--pyargs", module, f"--results-json={results}",
            "-o", "asyncio_default_fixture_loop_scope=function",
            "-W", "ignore::pytest.PytestAssertRewriteWarning",  # the kit's modules are loaded already
            *args,
        )  # fmt: skip
        data = (
            json.loads(results.read_text(encoding="utf-8")) if results.exists() else {"results": []}
        )
        statuses = {r["scenario_id"]: r["status"] for r in data["results"]}
        return KitRun(int(outcome.ret), statuses, outcome.stdout.str())

    return run
