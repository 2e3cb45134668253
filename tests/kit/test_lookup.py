"""The proofs' faster step lookup finds exactly what pytest-bdd's own finds, step by step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nuki_sim.conformance.plugin import scenario_id, scenario_of
from tests.kit import lookup

SUITES = (
    "nuki_sim.conformance.suite.test_traits",
    "nuki_sim.conformance.suite.test_nuki_web",
    "nuki_sim.conformance.suite.test_features",
)
OWN_FEATURE = """\
Feature: Our own steps beside the kit's
  @id:acme.own
  Scenario: Own steps, one of them also a kit step
    Given a lock "Back Door" with a keypad
    And the integration under test is running
    When the battery of "Back Door" silently drops to 25 percent
    And someone knocks 3 times
    Then "Back Door" reports battery 25 percent with status LOW
"""
OWN_STEPS = """
from pytest_bdd import given, parsers, step, when

@when(parsers.parse('the battery of "{name}" silently drops to {charge:d} percent'))
def _silent(kit, name, charge):
    pass

@step(parsers.re(r"someone knocks (?P<times>\\d+) times"))
def _knock(times):
    pass

@given("the integration under test is running")
def _also_a_kit_step(kit):
    pass
"""


class Compare:
    """After collection: both lookups for every step of every scenario, on its own node."""

    def __init__(self) -> None:
        self.scenarios: set[str] = set()
        self.steps = 0
        self.found = 0
        self.differences: list[str] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        manager = session._fixturemanager
        for item in session.items:
            template = scenario_of(item)
            if template is None:
                continue
            self.scenarios.add(scenario_id(item))
            callspec = getattr(item, "callspec", None)
            example: Any = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
            for step in template.render(example).steps:
                theirs = list(lookup.ORIGINAL(step, manager, item))
                ours = list(lookup.find_fixturedefs_for_step(step, manager, item))
                self.steps += 1
                self.found += bool(theirs)
                if ours != theirs:
                    self.differences.append(f"{item.nodeid}: {step.name}: {ours} != {theirs}")


def test_the_lookup_finds_what_pytest_bdd_finds(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every step of the kit's suites and of a project's own features and steps (a step of the
    kit's defined again, a generic ``step``, a regex) gets the same definitions, in order."""
    assert lookup.install(monkeypatch), "this pytest-bdd's lookup is not the one replaced"
    own = pytester.mkdir("own")
    (Path(own) / "own.feature").write_text(OWN_FEATURE, encoding="utf-8")
    pytester.makeconftest(OWN_STEPS)
    compare = Compare()

    pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--collect-only", "-q", "--pyargs", *SUITES,
        f"--features={own}", "-W", "ignore::pytest.PytestAssertRewriteWarning",
        "-o", "asyncio_default_fixture_loop_scope=function",
        plugins=[compare],
    )  # fmt: skip

    assert compare.differences == []
    assert {"traits.devices.four-traits", "api.webhooks.auths-after-sync", "acme.own"} <= {
        sid.split("[", 1)[0] for sid in compare.scenarios
    }
    assert len(compare.scenarios) > 100, len(compare.scenarios)  # both suites, and ours
    assert compare.found == compare.steps  # each step has a definition: something was compared
