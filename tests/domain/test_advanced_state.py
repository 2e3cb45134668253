"""The Advanced API's state survives a snapshot: an open request (with its timeout job) and a
shared key come back, and the restored request still reports when it times out. Snapshots
from before the Advanced API load with none; a request of no account is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.advanced import TIMEOUT
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import Action, AuthType
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import AuthCreate, Registration
from nuki_sim.simulator.domain.model import ALWAYS
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def populated() -> tuple[World, str, str]:
    world = World(VirtualClock(T0), seed=7)
    demo = build_demo(world)
    api = open_session(world, f"Bearer {demo.token.token}")
    api.subscribe(Registration("http://127.0.0.1:9/hook", ("DEVICE_LOGS",)))
    lock = demo.locks[0]
    world.set_online(lock, False)
    request_id = api.advanced_action(lock.smartlock_id, Action.UNLOCK)
    request = AuthCreate("Shared", AuthType.APP, None, ALWAYS, False, False, None)
    auth, _ = api.create_shared_key_auth(demo.locks[1], request)
    return world, request_id, auth.id


def round_trip(world: World) -> World:
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    return again


def test_open_request_and_shared_key_round_trip_and_the_request_still_times_out():
    world, request_id, auth_id = populated()
    again = round_trip(world)
    assert again.advanced.book == world.advanced.book
    assert request_id in again.advanced.book.requests
    assert (
        again.advanced.book.shared_keys[auth_id].key == world.advanced.book.shared_keys[auth_id].key
    )
    again.advance(TIMEOUT + timedelta(seconds=again.config.push_delay))
    assert not again.advanced.book.requests
    (sub,) = again.subscriptions.values()
    sent = [json.loads(item.body) for item in sub.outbox if item.feature == "API_TRIGGERED"]
    assert [(p["requestId"], p["success"]) for p in sent] == [(request_id, False)]


def test_a_snapshot_without_advanced_state_loads_empty():
    world, _, _ = populated()
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    entries = data["state"]["$dict"]
    data["state"]["$dict"] = [entry for entry in entries if entry[0] != "advanced"]
    assert len(data["state"]["$dict"]) == len(entries) - 1
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    assert again.advanced.book.requests == {}
    assert again.advanced.book.shared_keys == {}


def test_a_request_of_no_account_is_refused():
    world, request_id, _ = populated()
    world.advanced.book.requests[request_id].account_id = 999
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    with pytest.raises(BadParameter, match="account_id is no account"):
        snapshot.restore(World(VirtualClock(T0), seed=1), data)


def test_forgetting_the_lock_fails_what_waits_on_it_and_drops_its_keys():
    world, request_id, auth_id = populated()
    waiting_on = world.advanced.book.requests[request_id].waiting[0].smartlock_id
    shared_on = world.advanced.book.shared_keys[auth_id].smartlock_id
    world.advanced.forget_lock(waiting_on)
    world.advanced.forget_lock(shared_on)
    assert world.advanced.book == world.advanced.book.__class__()
    (sub,) = world.subscriptions.values()
    sent = [json.loads(item.body) for item in sub.outbox if item.feature == "API_TRIGGERED"]
    assert [(p["requestId"], p["detail"][0]["errorCode"]) for p in sent] == [(request_id, "ff")]


def test_forgetting_the_account_drops_its_requests_unreported():
    world, request_id, _ = populated()
    account_id = world.advanced.book.requests[request_id].account_id
    world.advanced.forget_account(account_id)
    assert world.advanced.book == world.advanced.book.__class__()
    world.advance(TIMEOUT + timedelta(seconds=world.config.push_delay))
    (sub,) = world.subscriptions.values()
    assert not [item for item in sub.outbox if item.feature == "API_TRIGGERED"]
