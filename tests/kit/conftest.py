"""Running the kit from inside the project's tests: in-process, through pytester."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tests.kit import lookup

T = TypeVar("T")


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
def run_kit(pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run one suite of the kit in this process and return what each scenario did."""
    lookup.install(monkeypatch)  # the same steps found, faster (tests/kit/lookup.py)

    def run(suite: str, *args: str) -> KitRun:
        results = tmp_path / f"results-{len(list(tmp_path.iterdir()))}.json"
        module = {
            "traits": "nuki_sim.conformance.suite.test_traits",
            "nuki_web": "nuki_sim.conformance.suite.test_nuki_web",
        }[suite]
        outcome = on_a_fresh_stack(lambda: pytester.runpytest_inprocess(
            "-p", "no:cacheprovider", "-q", "--pyargs", module, f"--results-json={results}",
            "-o", "asyncio_default_fixture_loop_scope=function",
            "-W", "ignore::pytest.PytestAssertRewriteWarning",  # the kit's modules are loaded already
            *args,
        ))  # fmt: skip
        data = (
            json.loads(results.read_text(encoding="utf-8")) if results.exists() else {"results": []}
        )
        statuses = {r["scenario_id"]: r["status"] for r in data["results"]}
        return KitRun(int(outcome.ret), statuses, outcome.stdout.str())

    return run


def on_a_fresh_stack(call: Callable[[], T]) -> T:
    """``call()`` in a new thread, waited for: the same run, on a Python stack of its own.

    CPython 3.11 keeps frames in 16 KiB chunks, mapping a chunk when a call crosses into it and
    unmapping it when that call returns. Nested in pytest, pytester and (in a worker)
    xdist, the kit's event loop can sit right at a chunk's edge: then nearly every callback
    maps and unmaps one, some 100,000 times a run, a third of a proof's CPU in page faults.
    A new thread starts on an empty stack, so every run sits where a lone ``pytest`` would.
    The caller only waits: nothing runs beside the kit, and what it raises is raised here.
    """
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(call())
        except BaseException as exc:  # handed to the waiting thread as it is
            error.append(exc)

    thread = threading.Thread(target=target, name="kit-run", daemon=True)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]
