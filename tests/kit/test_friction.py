"""What a newcomer meets first: a factory that cannot give an adapter, an adapter that cannot
close or ignores its clock, their own feature files, the published step library — and results
that never depend on when a webhook happens to arrive.

The factories below are the newcomers' mistakes; the kit loads them by ``module:attribute``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nuki_sim.adapters.clock import SystemClock
from nuki_sim.adapters.nuki.factory import ReferenceAdapter, build_adapter
from nuki_sim.conformance import STEPS_VERSION, stepdoc
from nuki_sim.conformance.plugin import EXIT_FACTORY_FAILED
from nuki_sim.conformance.targets import AdapterContext

HERE = "tests.kit.test_friction"
ROOT = Path(__file__).resolve().parents[2]
ONE_SCENARIO = "--scenario-id=traits.lock.unlock"


class NotAnAdapter:
    async def devices(self) -> list[Any]:
        return []


async def returns_the_wrong_thing(context: AdapterContext) -> NotAnAdapter:
    return NotAnAdapter()


async def raises(context: AdapterContext) -> ReferenceAdapter:
    raise ValueError("no Nuki token configured")


def is_not_async(context: AdapterContext) -> NotAnAdapter:
    return NotAnAdapter()


class CloseRaises(ReferenceAdapter):
    async def close(self) -> None:
        await super().close()
        raise RuntimeError("the receiver was already stopped")


async def close_raises(context: AdapterContext) -> ReferenceAdapter:
    return await build_adapter(context, CloseRaises)


class NoClose(NotAnAdapter):
    """Every trait method, and no ``close()``."""

    async def device(self, device_id: str) -> Any: ...

    async def execute(self, *args: Any) -> Any: ...

    async def action(self, action_id: str) -> Any: ...

    def events(self) -> list[Any]:
        return []


async def has_no_close(context: AdapterContext) -> NoClose:
    return NoClose()


async def ignores_its_clock(context: AdapterContext) -> ReferenceAdapter:
    return await build_adapter(replace(context, clock=SystemClock()))


def kit_json(run_kit, tmp_path: Path, *args: str) -> tuple[Any, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Run the traits suite; answer the run and the results JSON (results, errors, warnings)."""
    path = tmp_path / f"mine-{len(list(tmp_path.iterdir()))}.json"
    run = run_kit("traits", *args, f"--results-json={path}")  # the last --results-json wins
    return run, json.loads(path.read_text(encoding="utf-8"))


# --- the factory ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        (f"{HERE}:raises", "raised ValueError: no Nuki token configured (at "),
        (f"{HERE}:is_not_async", "is not async: it returned NotAnAdapter"),
        (f"{HERE}:returns_the_wrong_thing", "lacks device, execute, action, events"),
        (f"{HERE}:no_such_factory", f"has no attribute 'no_such_factory' (--adapter {HERE}:"),
        ("no_such_module:factory", "cannot import the module 'no_such_module' of --adapter"),
        (f"{HERE}:has_no_close", "returned NoClose, but it has no close(): the kit calls it"),
    ],
    ids=["raises", "not-async", "wrong-thing", "no-attribute", "no-module", "no-close"],
)
def test_a_factory_that_cannot_give_an_adapter_stops_the_run_once(
    run_kit, tmp_path: Path, spec: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    """No scenario runs; the run stops with its own exit code and one message with the cause."""
    run, data = kit_json(run_kit, tmp_path, f"--adapter={spec}")

    assert run.code == EXIT_FACTORY_FAILED, run.output[-2000:]
    assert data["results"] == []
    [error] = data["errors"]
    assert error["message"].startswith("the adapter factory failed: ")
    assert said in error["message"], error["message"]
    assert f"RUN STOPPED: {error['message']}" in run.output
    assert run.output.count("Traceback") == 0


def test_the_cli_prints_why_the_factory_failed(tmp_path: Path) -> None:
    """``nuki-conformance`` ends with the reason on stderr and exit code 6."""
    done = cli(tmp_path, "--adapter", f"{HERE}:raises", "--report-dir", str(tmp_path / "r"))

    assert done.returncode == EXIT_FACTORY_FAILED, done.stdout[-2000:]
    assert "nuki-conformance: the adapter factory failed: " in done.stderr
    assert "ValueError: no Nuki token configured" in done.stderr


# --- close() ----------------------------------------------------------------------------------


def test_a_close_that_raises_is_an_error_of_the_run(run_kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The scenario's verdict stands, but summary and JSON name the error and the run fails."""
    run, data = kit_json(run_kit, tmp_path, f"--adapter={HERE}:close_raises", ONE_SCENARIO)

    assert [r["status"] for r in data["results"]] == ["passed"]
    assert data["errors"] == [
        {
            "kind": "teardown",
            "message": "the adapter's close() raised RuntimeError: the receiver was already "
            f"stopped (at {Path(__file__)}:{CloseRaises.close.__code__.co_firstlineno + 2} "
            "in close)",
            "scenario_id": "traits.lock.unlock",
        }
    ]
    assert "ERROR (after traits.lock.unlock): the adapter's close() raised" in run.output
    assert "no unexpected results" not in run.output
    assert run.code != 0


# --- the clock ----------------------------------------------------------------------------------


def test_an_adapter_ignoring_its_clock_is_told_the_likely_cause(run_kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """In virtual time the timeout never comes; the failure names the clock it was given."""
    _, data = kit_json(
        run_kit, tmp_path, f"--adapter={HERE}:ignores_its_clock",
        "--scenario-id=traits.actions.timeout", "--time-mode=virtual",
    )  # fmt: skip

    [result] = data["results"]
    assert result["status"] == "failed"
    assert "the action is PENDING, expected TIMEOUT" in result["reason"]
    assert "ignores the clock it was given (AdapterContext.clock)" in result["reason"]


# --- your own scenarios ------------------------------------------------------------------------

OWN_FEATURE = """\
Feature: Our house rules
  Background:
    Given a lock "Back Door" with a keypad
    And the integration under test is running

  @id:acme.unlock @must
  Scenario: Unlocking the back door
    When I unlock "Back Door"
    And 1 minute passes
    Then the action is resolved
    And "Back Door" reports isLocked false

  @id:acme.wrong @should
  Scenario: A rule the reference does not follow
    When I unlock "Back Door"
    And 1 minute passes
    Then "Back Door" reports isLocked true
"""


def run_features(pytester: pytest.Pytester, directory: Path, *args: str) -> dict[str, Any]:
    results = pytester.path / "own.json"
    pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--pyargs", "nuki_sim.conformance.suite.test_features",
        f"--features={directory}", f"--results-json={results}",
        "-o", "asyncio_default_fixture_loop_scope=function",
        "-W", "ignore::pytest.PytestAssertRewriteWarning", *args,
    )  # fmt: skip
    return {r["scenario_id"]: r for r in json.loads(results.read_text())["results"]}


def test_your_feature_files_run_with_the_kit_steps(pytester: pytest.Pytester) -> None:
    """A directory of .feature files runs with the kit's steps; their asserts bite there too."""
    own = pytester.mkdir("own")
    (own / "house.feature").write_text(OWN_FEATURE, encoding="utf-8")

    results = run_features(pytester, own)

    assert {sid: r["status"] for sid, r in results.items()} == {
        "acme.unlock": "passed",
        "acme.wrong": "failed",
    }
    assert "isLocked is False" in results["acme.wrong"]["reason"]
    assert results["acme.unlock"]["strength"] == "must"


def test_steps_see_every_webhook_the_step_before_caused(pytester: pytest.Pytester) -> None:
    """A step of your own that changes the lock without waiting for webhooks: the next step
    still sees the change, because the kit delivers them between steps in both time modes."""
    own = pytester.mkdir("own")
    (own / "battery.feature").write_text(
        """\
Feature: Between steps
  @id:acme.between
  Scenario: A battery change is seen by the next step
    Given a lock "Back Door" with a keypad
    And the integration under test is running
    When the battery of "Back Door" silently drops to 25 percent
    Then "Back Door" reports battery 25 percent with status LOW
""",
        encoding="utf-8",
    )
    pytester.makeconftest(
        """
from pytest_bdd import parsers, when
from nuki_sim.conformance.steps.common import control, lock_id

@when(parsers.parse('the battery of "{name}" silently drops to {charge:d} percent'))
def _silent(kit, name, charge):
    kit.run(control(kit).battery(lock_id(kit, name), charge))  # no flush of its own
"""
    )
    for mode in ("virtual", "freezegun"):
        results = run_features(pytester, own, f"--time-mode={mode}")
        assert results["acme.between"]["status"] == "passed", (mode, results)


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = "from nuki_sim.conformance.cli import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", command, "--suite", "traits", "-q", *args,
         "--", "-p", "no:randomly"],
        capture_output=True, text=True, timeout=120, cwd=cwd, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


# --- the step library ----------------------------------------------------------------------------


def test_docs_steps_md_is_the_generated_reference() -> None:
    """docs/steps.md is what ``python -m nuki_sim.conformance.stepdoc`` prints: regenerate it after
    adding or changing a step."""
    expected = stepdoc.render(stepdoc.collect())
    shown = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")

    assert shown == expected, (
        "docs/steps.md is stale: python -m nuki_sim.conformance.stepdoc > docs/steps.md"
    )


def test_every_step_says_what_it_does_and_asserts() -> None:
    """Each step of every registered module has a docstring (it becomes its documentation)."""
    steps = stepdoc.collect()

    assert {s.module for s in steps} == set(stepdoc.step_modules())
    assert stepdoc.undocumented(steps) == []


def test_the_reference_shows_each_step_with_its_parameters_and_version() -> None:
    """A step appears with its keyword, readable text, typed parameters and docstring."""
    text = stepdoc.render(stepdoc.collect())

    assert f"Step library version **{STEPS_VERSION}**" in text
    assert '### When the battery of "{name}" drops to {charge} percent' in text
    assert "Parameters: `name`: text, `charge`: a whole number." in text
    assert "### When {amount} {unit}(s) pass(es)" in text
