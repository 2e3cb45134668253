"""Every @must rule is proven able to fail: a broken implementation makes its scenario fail.

For each documented rule there is a deliberately broken implementation — a subclass of the
reference adapter, or a patched simulator — and the kit run against it must fail exactly the
scenario guarding that rule (plus, for a few, the scenarios that rest on the same behaviour)
while everything else still passes.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.kit
from nuki_sim.features import ROOT
from tests.kit import broken_profiles, broken_simulators
from tests.kit.proof import Proof

# scenario id (base, without the example) → the broken adapter that must make it fail, and
# other scenarios it may take down with it
BROKEN_ADAPTERS: dict[str, tuple[str, frozenset[str]]] = {
    "traits.devices.four-traits": ("three_traits", frozenset({"traits.connectivity.offline-online", "traits.devices.initial-state"})),
    "traits.devices.pin-properties": ("wrong_capacity", frozenset()),
    "traits.devices.initial-state": ("no_initial_battery", frozenset()),
    "traits.rules.pin-format": ("ignores_length", frozenset({"traits.rules.pin-lookalike", "traits.updates.pin-format"})),
    "traits.rules.pin-valid": ("too_strict", frozenset()),
    "traits.rules.name-length": ("ignores_name_length", frozenset({"traits.rules.name-characters", "traits.updates.name-length"})),
    "traits.rules.unique": ("ignores_uniqueness", frozenset({"traits.rules.unique-after-update", "traits.rules.unique-pending", "traits.rules.unique-pending-update", "traits.updates.unique"})),
    "traits.rules.capacity": ("ignores_capacity", frozenset({"traits.rules.capacity-pending"})),
    "traits.rules.schedule-both": ("exclusive_schedules", frozenset({"traits.sync.schedule-reported"})),
    "traits.rules.schedule-two-temporary": ("ignores_one_temporary", frozenset({"traits.updates.schedules"})),
    "traits.rules.schedule-two-recurring": ("ignores_one_recurring", frozenset({"traits.updates.schedules"})),
    "traits.sync.create-pending": ("reports_at_once", frozenset({"traits.offline.create", "traits.schedules.rename-keeps-window", "traits.schedules.rename-keeps-weekdays"})),
    "traits.sync.create-resolved": ("settles_before_reporting", frozenset()),
    "traits.sync.schedule-reported": ("drops_recurring", frozenset({"traits.schedules.rename-keeps-window", "traits.schedules.rename-keeps-weekdays"})),
    "traits.offline.create": (
        "resolves_at_once",
        frozenset({
            "traits.sync.create-pending", "traits.sync.create-resolved", "traits.sync.update",
            "traits.sync.delete", "traits.offline.duplicate", "traits.lock.unlock",
            "traits.lock.jammed", "traits.lock.offline-action", "traits.actions.timeout",
            "traits.rules.name-length", "traits.rules.pin-valid", "traits.rules.schedule-both",
            "traits.lock.offline-state", "traits.lock.state-from-nuki", "traits.once.dropped-create", "traits.once.refresh",
            "traits.rules.capacity-pending", "traits.rules.name-characters", "traits.rules.unique-after-update",
            "traits.rules.unique-pending", "traits.rules.unique-pending-update", "traits.updates.valid",
        }),
    ),
    "traits.offline.duplicate": ("ignores_nuki_errors", frozenset()),
    "traits.lock.unlock": (
        "ignores_lock_status",
        frozenset({"traits.lock.lock", "traits.lock.jammed", "traits.lock.offline-action", "traits.devices.initial-state", "traits.lock.offline-state", "traits.lock.state-from-nuki", "traits.webhooks.signature"}),
    ),
    "traits.lock.lock": ("never_sees_locked", frozenset({"traits.lock.state-from-nuki"})),
    "traits.battery.levels": ("never_low", frozenset({"traits.battery.thresholds"})),
    "traits.connectivity.offline-online": ("ignores_connectivity", frozenset()),
}  # fmt: skip
EXTRA_PROOFS = [
    Proof("traits.rules.pin-format", "tests.kit.broken_adapters:ignores_zero",
          frozenset({"traits.rules.pin-zero-anywhere", "traits.updates.pin-format"})),
    Proof("traits.rules.pin-format", "tests.kit.broken_adapters:ignores_prefix_12",
          frozenset({"traits.updates.pin-format"})),
]  # fmt: skip
TIME_MODES = ("virtual", "freezegun")
QUIET = (
    "--tb=no"  # the checks read each scenario's status; tracebacks of expected failures cost time
)


def all_proofs() -> list[Proof]:
    """Every proof: the table above and each ``tests/kit/broken_*`` module's ``PROOFS``."""
    proofs = [
        Proof(target, f"tests.kit.broken_adapters:{name}", collateral)
        for target, (name, collateral) in BROKEN_ADAPTERS.items()
    ] + EXTRA_PROOFS
    for module in pkgutil.iter_modules(tests.kit.__path__):
        if module.name.startswith("broken_"):
            found = importlib.import_module(f"tests.kit.{module.name}")
            proofs += list(getattr(found, "PROOFS", []))
    return proofs


PROOFS = all_proofs()


def check(run: object, target: str, collateral: frozenset[str]) -> None:
    failing = run.base_ids({"failed", "stale"})  # type: ignore[attr-defined]
    assert target in failing, f"the kit did not catch the broken {target}: {run.results}"  # type: ignore[attr-defined]
    unexpected = failing - {target} - collateral
    assert not unexpected, f"breaking {target} also failed {sorted(unexpected)}"
    assert run.code != 0, "a run with a failing @must scenario must not exit 0"  # type: ignore[attr-defined]


def _proof_id(proof: Proof) -> str:
    return f"{proof.target}-{proof.name}" + (f"-{proof.profile}" if proof.profile != "seed" else "")


@pytest.mark.parametrize("proof", PROOFS, ids=_proof_id)
def test_a_broken_adapter_fails_its_scenario(run_kit, proof: Proof) -> None:  # type: ignore[no-untyped-def]
    """In virtual time the whole suite runs: the target fails, and nothing unrelated."""
    run = run_kit(
        proof.suite, f"--adapter={proof.factory}", "--time-mode=virtual",
        f"--kit-profile={proof.profile}", QUIET, *proof.args,
    )  # fmt: skip
    check(run, proof.target, proof.collateral)


@pytest.mark.parametrize("proof", PROOFS, ids=_proof_id)
def test_a_broken_adapter_is_caught_under_freezegun_too(run_kit, proof: Proof) -> None:  # type: ignore[no-untyped-def]
    """On the system clock moved by freezegun, the target scenario alone fails just the same."""
    run = run_kit(
        proof.suite, f"--adapter={proof.factory}", "--time-mode=freezegun",
        f"--kit-profile={proof.profile}", f"--scenario-id={proof.target}", QUIET, *proof.args,
    )  # fmt: skip
    assert proof.target in run.base_ids({"failed"}), run.results
    assert run.code != 0


# scenario id → (patch, collateral, profile): the seed's rules and the nuki-docs promises
SIMULATOR_PROOFS = {
    **{target: (*broken, "seed") for target, broken in broken_simulators.BROKEN.items()},
    **{target: (*broken, "nuki-docs") for target, broken in broken_profiles.BROKEN_SIMULATORS.items()},
}  # fmt: skip


@pytest.mark.parametrize("target", sorted(SIMULATOR_PROOFS))
@pytest.mark.parametrize("mode", TIME_MODES)
def test_a_broken_simulator_fails_its_scenario(
    run_kit, monkeypatch: pytest.MonkeyPatch, target: str, mode: str
) -> None:  # type: ignore[no-untyped-def]
    """The API-level kit fails the scenario of the rule this Nuki Web breaks, and nothing unrelated."""
    patch, collateral, profile = SIMULATOR_PROOFS[target]
    patch(monkeypatch)
    chosen = f"--kit-profile={profile}"
    if mode == "virtual":
        check(run_kit("nuki_web", "--time-mode=virtual", chosen, QUIET), target, collateral)
    else:
        run = run_kit("nuki_web", "--time-mode=freezegun", chosen, f"--scenario-id={target}", QUIET)
        assert target in run.base_ids({"failed"}), run.results


@pytest.mark.parametrize("mode", TIME_MODES)
def test_a_simulator_listing_at_request_time_fails_create_listed(
    run_kit, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:  # type: ignore[no-untyped-def]
    """A second proof for api.sync.create-listed: listing a create before the lock has it."""
    broken_profiles.lists_at_request_time(monkeypatch)
    target = "api.sync.create-listed"
    run = run_kit(
        "nuki_web",
        f"--time-mode={mode}",
        "--kit-profile=nuki-docs",
        f"--scenario-id={target}",
        QUIET,
    )
    assert target in run.base_ids({"failed"}), run.results


@pytest.mark.parametrize(
    ("factory", "right", "wrong", "caught"),
    [
        ("resends_after_minutes", "nuki-docs", "seed", "traits.once.refresh"),
        ("waits_for_the_sync", "seed", "nuki-docs", "traits.sync.create-listed"),
        ("ignores_conflicts", "seed", "nuki-docs", "traits.sync.duplicate-refused"),
    ],
)
def test_an_adapter_right_under_one_profile_fails_under_the_other(  # type: ignore[no-untyped-def]
    run_kit, factory: str, right: str, wrong: str, caught: str
) -> None:
    """Written against one description of the cloud, it passes every scenario of that profile;
    the kit under the other profile catches it."""
    adapter = f"--adapter=tests.kit.broken_profiles:{factory}"
    passing = run_kit("traits", adapter, f"--kit-profile={right}", QUIET)
    assert set(passing.results.values()) == {"passed"}, passing.results
    assert passing.code == 0
    failing = run_kit("traits", adapter, f"--kit-profile={wrong}", QUIET)
    assert caught in failing.base_ids({"failed"}), failing.results
    assert failing.code != 0


def test_every_must_scenario_has_a_broken_implementation() -> None:
    """No @must scenario of either suite is left without a proof that it can fail, proven
    under a profile it holds under (a proof under another profile would never run it)."""
    covered = {(p.target, p.profile) for p in PROOFS} | {
        (target, profile) for target, (_, _, profile) in SIMULATOR_PROOFS.items()
    }
    must: dict[str, set[str]] = {}
    for feature in ROOT.rglob("*.feature"):
        must.update(_must_profiles(feature.read_text(encoding="utf-8")))
    assert must, "no @must scenario found"
    assert {"seed", "nuki-docs"} <= set().union(*must.values())
    unproven = sorted(
        sid for sid, profiles in must.items() if not any((sid, p) in covered for p in profiles)
    )
    assert not unproven, f"@must scenarios without a broken implementation: {unproven}"


def _must_profiles(text: str) -> dict[str, set[str]]:
    """@must scenario id → the profiles it holds under (its, its rule's, its feature's tags)."""
    found: dict[str, set[str]] = {}
    waiting: set[str] = set()
    feature: set[str] = set()
    rule: set[str] = set()
    for line in text.splitlines():
        words = line.split()
        if words and words[0].startswith("@"):
            waiting |= set(words)
            continue
        head = words[0] if words else ""
        if head == "Feature:":
            feature, rule = waiting, set()
        elif head == "Rule:":
            rule = waiting
        elif head.startswith("Scenario"):
            tags = waiting | feature | rule
            named = {t[len("@profile-") :] for t in tags if t.startswith("@profile-")}
            if "@must" in tags:
                sid = next(t[4:] for t in tags if t.startswith("@id:"))
                found[sid] = named or {"seed", "nuki-docs"}
        if head:
            waiting = set()
    return found
