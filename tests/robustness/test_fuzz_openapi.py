"""Schemathesis against the served ``/openapi.json``: no 5xx, every answer as documented.

Every Nuki operation is fuzzed (only ``/_sim``, fuzzed on its own, and the document itself are
left out). CI spreads a fixed budget of cases over the operations (at least a few per operation
and generation mode), so the run stays about a minute on two cores however many operations the
document has; set ``NUKI_SIM_FUZZ_EXAMPLES`` for a larger run (e.g. 500 per operation and mode).
The requests counted are the ones the simulator's journal saw, which
includes the extra no-token and bad-token probes of Schemathesis's ``ignored_auth`` check.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.http.openapi import document
from tests.robustness.conftest import ThreadedSimulator
from tests.robustness.fuzz import fuzz, load_schema

EXAMPLES = int(os.environ.get("NUKI_SIM_FUZZ_EXAMPLES", "0"))  # 0: spread CASE_BUDGET
CASE_BUDGET = 1000  # cases of the Nuki run in CI, over every operation and both modes
MIN_EXAMPLES = 4
CONTROL_EXAMPLES = max(EXAMPLES // 2, 5) if EXAMPLES else 10
SCHEMA_ROUTE = "GET /openapi.json"  # Schemathesis leaves out the route it loaded the document from
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def documented(control: bool) -> set[str]:
    """Every operation the document lists, as ``METHOD /path``, of the control plane or not."""
    return {
        f"{method.upper()} {path}"
        for path, item in document()["paths"].items()
        if path.startswith("/_sim") == control
        for method in item
        if method != "parameters"
    } - {SCHEMA_ROUTE}


def test_nuki_routes_survive_generated_requests(threaded_sim: ThreadedSimulator):
    """Generated valid and invalid requests to every Nuki route get documented, non-5xx answers."""
    schema = load_schema(threaded_sim).exclude(path_regex="^/_sim")
    operations = [result.ok() for result in schema.get_all_operations()]
    world = threaded_sim.sim.world
    initial = threaded_sim.call(lambda: snapshot.snapshot(world))
    webhook_urls: list[str] = []

    def reset_world() -> None:
        webhook_urls.extend(
            threaded_sim.call(lambda: [s.url for s in world.subscriptions.values()])
        )
        threaded_sim.call(lambda: snapshot.restore(world, initial))

    examples = EXAMPLES or max(MIN_EXAMPLES, CASE_BUDGET // (2 * len(operations)))
    before = threaded_sim.journal.seq
    report = fuzz(threaded_sim, operations, examples, threaded_sim.sim.token, reset_world)
    reset_world()
    sent = threaded_sim.journal.seq - before
    print(f"\nfuzz: {report.cases} generated cases, {sent} requests, {len(operations)} operations")

    assert {op.label for op in operations} == documented(control=False)
    assert not report.failures, report.describe()
    assert sent >= report.cases >= len(operations) * examples
    assert webhook_urls  # subscriptions were created, and every one of them points at loopback
    assert {urlsplit(url).hostname for url in webhook_urls} <= LOOPBACK


def test_control_plane_survives_generated_requests(threaded_sim: ThreadedSimulator):
    """Generated requests to ``/_sim`` (reset and restore included) get documented, non-5xx answers."""
    # Its own simulator: reset, restore and ten-year clock jumps stay out of the Nuki run, and
    # fault rules (which only act on Nuki routes) cannot touch what is fuzzed here.
    schema = load_schema(threaded_sim).include(path_regex="^/_sim")
    operations = [result.ok() for result in schema.get_all_operations()]

    before = threaded_sim.journal.seq
    report = fuzz(threaded_sim, operations, CONTROL_EXAMPLES, "no-control-token", lambda: None)
    sent = threaded_sim.journal.seq - before
    print(f"\ncontrol fuzz: {report.cases} cases, {sent} requests, {len(operations)} operations")

    assert {op.label for op in operations} == documented(control=True)
    assert not report.failures, report.describe()
    assert sent >= report.cases >= len(operations) * CONTROL_EXAMPLES
