"""Steps of "commands sent once": what reached Nuki Web is counted in the simulator's journal.

An integration that cannot see its own create yet (the daily sync hides it) or that lost the
answer to it must not send it again: a second create puts the code on the lock twice, or
fails on the lock as a duplicate. The implementation's own account of what it sent proves
nothing, so these steps count the requests the simulator received (``GET /_sim/requests``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pytest_bdd import given, parsers, then, when

from nuki_sim.conformance.steps.common import control, lock_id

if TYPE_CHECKING:  # the kit's driver and aiohttp load when a scenario runs, not at start-up
    from nuki_sim.conformance.driver import Driver

KEYPAD_CODE = 13


def creates_sent(kit: Driver, name: str) -> list[dict[str, Any]]:
    """Every create for the lock since the scenario's last action started, whatever answered.

    A create is ``PUT /smartlock/{id}/auth``, or a bulk ``PUT /smartlock/auth`` whose
    ``smartlockIds`` name the lock.
    """
    lock = lock_id(kit, name)
    since = str(kit.scenario.journal_mark)
    own = kit.run(control(kit).requests(since=since, method="PUT", path=f"/smartlock/{lock}/auth"))
    bulk = kit.run(control(kit).requests(since=since, method="PUT", path="/smartlock/auth"))
    return list(own) + [e for e in bulk if lock in _bulk_targets(e.get("body", ""))]


def _bulk_targets(body: str) -> list[int]:
    try:
        ids = json.loads(body).get("smartlockIds") if body else None
    except (ValueError, AttributeError):
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


@given(parsers.parse('the next create on "{name}" is applied and then its connection drops'))
def _create_answer_lost(kit: Driver, name: str) -> None:
    """Arm a one-shot fault: the next ``PUT /smartlock/{id}/auth`` on the lock is applied (the
    code is queued for the lock and journaled), then its connection is dropped unanswered."""
    rule = {"method": "PUT", "path": f"/smartlock/{lock_id(kit, name)}/auth"}
    kit.run(control(kit).add_fault({**rule, "drop": "after", "count": 1}))


@when("the integration under test refreshes")
def _refresh(kit: Driver) -> None:
    """Ask the implementation to reload what Nuki Web lists (its ``refresh``), as it would on a
    restart or a periodic poll; a create the listing does not show yet must not be resent."""
    kit.run(kit.trait_target().refresh())


@then(parsers.parse('exactly one create was sent to "{name}"'))
def _one_create(kit: Driver, name: str) -> None:
    """Assert the simulator received exactly one create for the lock since the last action
    started, counting retries, refreshes and dropped connections alike."""
    sent = creates_sent(kit, name)
    assert len(sent) == 1, (
        f"{len(sent)} creates reached Nuki Web for {name}: "
        f"{[(e['method'], e['path'], e['status']) for e in sent]}"
    )


@then(parsers.parse('Nuki Web lists the PIN code "{pin}" on "{name}" once, without a failed copy'))
def _listed_once(kit: Driver, pin: str, name: str) -> None:
    """Assert that Nuki Web's own listing (after a sync) holds the code exactly once and no
    copy of it that the lock refused as a duplicate."""
    reply = kit.run(kit.api.request("GET", f"/smartlock/{lock_id(kit, name)}/auth"))
    assert reply.status == 200, f"listing the authorizations answered {reply.status}"
    copies = [
        a for a in reply.body if a.get("type") == KEYPAD_CODE and str(a.get("code")) == pin.strip()
    ]
    failed = [a.get("name") for a in copies if a.get("error")]
    assert not failed, f"{name} lists a failed copy of {pin} (a second create): {failed}"
    assert len(copies) == 1, f"{name} lists {pin} {len(copies)} times"
