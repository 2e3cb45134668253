"""What the API accepts, a snapshot keeps: a saved world is never refused when restored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.snapshot import restore, snapshot
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.nuki_ops import create_auth

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FOREVER = "9999-12-31T23:59:59.000Z"  # a common "no end" in integrations


def test_a_code_valid_until_year_9999_survives_a_snapshot_and_restore() -> None:
    """An auth whose date window ends in 9999 is accepted by the API, so its snapshot (and a
    --state file) must restore, not be refused as damaged."""
    world = World(VirtualClock(T0), seed=1)
    account = world.add_account(email="owner@example.com", name="Owner")
    token = world.add_token(account.account_id)
    lock = world.add_lock(account.account_id, name="Front Door")
    session = open_session(world, f"Bearer {token.token}")
    body = {"name": "Forever", "type": 13, "code": 345678, "allowedUntilDate": FOREVER}
    create_auth(session, lock.smartlock_id, body)
    world.sync(lock)
    saved = json.loads(json.dumps(snapshot(world)))

    again = World(VirtualClock(T0), seed=1)
    restore(again, saved)

    assert snapshot(again) == saved
