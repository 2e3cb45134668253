"""Every @must rule is proven able to fail: a broken implementation makes its scenario fail.

For each documented rule there is a deliberately broken implementation — a subclass of the
reference adapter, or a patched simulator — and the kit run against it must fail exactly the
scenario guarding that rule (plus, for a few, the scenarios that rest on the same behaviour)
while everything else still passes.
"""

from __future__ import annotations

import pytest

from features import ROOT
from tests.kit import broken_simulators

# scenario id (base, without the example) → the broken adapter that must make it fail, and
# other scenarios it may take down with it
BROKEN_ADAPTERS: dict[str, tuple[str, frozenset[str]]] = {
    "traits.devices.four-traits": ("three_traits", frozenset({"traits.connectivity.offline-online", "traits.devices.initial-state"})),
    "traits.devices.pin-properties": ("wrong_capacity", frozenset()),
    "traits.devices.initial-state": ("no_initial_battery", frozenset()),
    "traits.rules.pin-format": ("ignores_length", frozenset()),
    "traits.rules.pin-valid": ("too_strict", frozenset()),
    "traits.rules.name-length": ("ignores_name_length", frozenset()),
    "traits.rules.unique": ("ignores_uniqueness", frozenset()),
    "traits.rules.capacity": ("ignores_capacity", frozenset()),
    "traits.rules.schedule-both": ("exclusive_schedules", frozenset({"traits.sync.schedule-reported"})),
    "traits.rules.schedule-two-temporary": ("ignores_one_temporary", frozenset()),
    "traits.rules.schedule-two-recurring": ("ignores_one_recurring", frozenset()),
    "traits.sync.create-pending": ("reports_at_once", frozenset({"traits.offline.create"})),
    "traits.sync.create-resolved": ("settles_before_reporting", frozenset()),
    "traits.sync.schedule-reported": ("drops_recurring", frozenset()),
    "traits.offline.create": (
        "resolves_at_once",
        frozenset({
            "traits.sync.create-pending", "traits.sync.create-resolved", "traits.sync.update",
            "traits.sync.delete", "traits.offline.duplicate", "traits.lock.unlock",
            "traits.lock.jammed", "traits.lock.offline-action", "traits.actions.timeout",
            "traits.rules.name-length", "traits.rules.pin-valid", "traits.rules.schedule-both",
        }),
    ),
    "traits.offline.duplicate": ("ignores_nuki_errors", frozenset()),
    "traits.lock.unlock": (
        "ignores_lock_status",
        frozenset({"traits.lock.lock", "traits.lock.jammed", "traits.lock.offline-action", "traits.devices.initial-state"}),
    ),
    "traits.lock.lock": ("never_sees_locked", frozenset()),
    "traits.battery.levels": ("never_low", frozenset()),
    "traits.connectivity.offline-online": ("ignores_connectivity", frozenset()),
}  # fmt: skip
EXTRA_PROOFS = {
    "traits.rules.pin-format": ("ignores_zero", "ignores_prefix_12"),
}


def check(run: object, target: str, collateral: frozenset[str]) -> None:
    failing = run.base_ids({"failed", "stale"})  # type: ignore[attr-defined]
    assert target in failing, f"the kit did not catch the broken {target}: {run.results}"  # type: ignore[attr-defined]
    unexpected = failing - {target} - collateral
    assert not unexpected, f"breaking {target} also failed {sorted(unexpected)}"
    assert run.code != 0, "a run with a failing @must scenario must not exit 0"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("target", "broken"), sorted((k, v[0]) for k, v in BROKEN_ADAPTERS.items())
)
def test_a_broken_adapter_fails_its_scenario(run_kit, target: str, broken: str) -> None:  # type: ignore[no-untyped-def]
    """The kit fails the scenario of the rule this adapter breaks, and nothing unrelated."""
    run = run_kit("traits", f"--adapter=tests.kit.broken_adapters:{broken}")
    check(run, target, BROKEN_ADAPTERS[target][1])


@pytest.mark.parametrize("broken", [b for bs in EXTRA_PROOFS.values() for b in bs])
def test_each_pin_format_rule_is_caught(run_kit, broken: str) -> None:  # type: ignore[no-untyped-def]
    """Ignoring the 0 rule or the 12 rule alone is caught by the PIN format outline."""
    run = run_kit(
        "traits",
        f"--adapter=tests.kit.broken_adapters:{broken}",
        "--scenario-id=traits.rules.pin-format",
    )
    assert run.base_ids({"failed"}) == {"traits.rules.pin-format"}, run.results


@pytest.mark.parametrize("target", sorted(broken_simulators.BROKEN))
def test_a_broken_simulator_fails_its_scenario(
    run_kit, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:  # type: ignore[no-untyped-def]
    """The API-level kit fails the scenario of the rule this Nuki Web breaks, and nothing unrelated."""
    patch, collateral = broken_simulators.BROKEN[target]
    patch(monkeypatch)
    run = run_kit("nuki_web")
    check(run, target, collateral)


def test_every_must_scenario_has_a_broken_implementation() -> None:
    """No @must scenario of either suite is left without a proof that it can fail."""
    covered = set(BROKEN_ADAPTERS) | set(broken_simulators.BROKEN)
    must: set[str] = set()
    for feature in ROOT.rglob("*.feature"):
        must |= _must_ids(feature.read_text(encoding="utf-8"))
    assert must, "no @must scenario found"
    assert must <= covered, (
        f"@must scenarios without a broken implementation: {sorted(must - covered)}"
    )


def _must_ids(text: str) -> set[str]:
    ids = set()
    for line in text.splitlines():
        tags = line.split()
        if "@must" in tags:
            ids |= {t[4:] for t in tags if t.startswith("@id:")}
    return ids
