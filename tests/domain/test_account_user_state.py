"""Account users survive a snapshot: users, their updates and a pending asynchronous delete
(its operationId and its scheduler job) come back, and the restored delete still happens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import Locked
from nuki_sim.simulator.domain.inputs import AccountUserCreate, AccountUserUpdate
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_users_and_a_pending_delete_round_trip():
    world = World(VirtualClock(T0), seed=7)
    demo = build_demo(world)
    api = open_session(world, f"Bearer {demo.token.token}")
    kept = api.create_account_user(AccountUserCreate("kim@example.com", "Kim", "fr", 1))
    world.advance(timedelta(seconds=1))
    kept = api.update_account_user(kept.account_user_id, AccountUserUpdate(name="Kim L."))
    going = api.create_account_user(AccountUserCreate("lee@example.com", "Lee"))
    api.delete_account_user(going.account_user_id)

    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)

    assert again.account_users == world.account_users
    assert again.account_users[kept.account_user_id].update_date == T0 + timedelta(seconds=1)
    pending = again.account_users[going.account_user_id]
    assert pending.operation_id is not None
    restored = open_session(again, f"Bearer {demo.token.token}")
    with pytest.raises(Locked):
        restored.update_account_user(going.account_user_id, AccountUserUpdate(name="Late"))
    again.advance(timedelta(seconds=again.config.push_delay))
    assert going.account_user_id not in again.account_users
    assert kept.account_user_id in again.account_users
