"""API keys in the domain: they survive a snapshot (and a restored token still works with its
scopes), an older snapshot without them loads, a damaged one is refused, the advanced key's
counters follow the key's webhook deliveries, and forgetting an account drops its keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from nuki_sim.simulator.domain import apikey_wire, snapshot
from nuki_sim.simulator.domain.api import Session, open_session
from nuki_sim.simulator.domain.apikey_calls import AdvancedChange, ApiKeyChange, TokenChange
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import Unauthorized
from nuki_sim.simulator.domain.inputs import Registration
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
APPLICATION = AdvancedChange(
    name="Rentals", country="AT", description="Flats", type="SHORT_RENTAL",
    url="https://rentals.example.com", email="dev@rentals.example.com",
    webhook_url="https://rentals.example.com/hook", webhook_features=("DEVICE_MASTERDATA",),
    restricted=True,
)  # fmt: skip


def populated() -> tuple[World, Session, int, str]:
    """A demo world with a key, a token of it and an advanced key: (world, owner, key, token)."""
    world = World(VirtualClock(T0), seed=11)
    demo = build_demo(world)
    owner = open_session(world, f"Bearer {demo.token.token}")
    key = owner.create_api_key(ApiKeyChange("PMS", ("https://pms.example.com/cb",)))
    _, token = owner.create_key_token(key.api_key_id, TokenChange("Desk", ("smartlock.log",)))
    owner.apply_advanced_key(key.api_key_id, APPLICATION)
    return world, owner, key.api_key_id, token.token


def test_keys_tokens_and_advanced_keys_round_trip():
    world, _, key_id, token = populated()
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    assert again.api_keys == world.api_keys
    restored = open_session(again, f"Bearer {token}")
    restored.require("smartlock.log")
    with pytest.raises(Unauthorized):
        restored.require("smartlock")
    # the id counter came back too: a new key does not reuse an id
    assert restored.create_api_key(ApiKeyChange("Next")).api_key_id > key_id


def test_an_older_snapshot_without_api_keys_still_loads():
    world, _, _, _ = populated()
    data = snapshot.snapshot(world)
    data["state"]["$dict"] = [p for p in data["state"]["$dict"] if p[0] != "api_keys"]
    again = World(VirtualClock(T0))
    snapshot.restore(again, data)
    assert again.api_keys.keys == {}
    assert again.api_keys.advanced == {}


def test_a_key_of_no_account_is_refused():
    world, _, key_id, _ = populated()
    key = world.api_keys.keys[key_id]
    world.api_keys.keys[key_id] = type(key)(**{**key.__dict__, "account_id": 999})
    with pytest.raises(snapshot.Damaged, match=r"api_keys\.keys\[\d+\]\.account_id 999"):
        snapshot.check(snapshot.snapshot(world))


def test_an_advanced_key_of_no_key_is_refused():
    world, _, key_id, _ = populated()
    del world.api_keys.keys[key_id]
    world.api_keys.tokens.clear()
    with pytest.raises(snapshot.Damaged, match=r"api_keys\.advanced\[\d+\]\.api_key_id"):
        snapshot.check(snapshot.snapshot(world))


def test_counters_follow_the_deliveries_of_the_keys_webhooks():
    world, owner, key_id, token = populated()
    sub = world.subscribe(
        world.tokens[token], Registration("http://127.0.0.1:9/h", ("DEVICE_MASTERDATA",))
    )
    elsewhere = world.subscribe(
        owner.token, Registration("http://127.0.0.1:9/o", ("DEVICE_MASTERDATA",))
    )
    lock = world.locks[next(iter(world.locks))]
    for _ in range(2):
        world.notify_masterdata(lock)
    first, second = sub.outbox[0], sub.outbox[1]
    world.outbox.record_attempt(sub.id, first.seq, status=500, duration_ms=7)
    world.outbox.record_attempt(sub.id, first.seq, status=200, duration_ms=3)
    world.outbox.record_attempt(sub.id, second.seq, status=503, duration_ms=9)
    world.outbox.record_attempt(elsewhere.id, elsewhere.outbox[0].seq, status=200, duration_ms=1)
    shown = apikey_wire.advanced_key(owner.advanced_key(key_id), owner.deliveries(key_id))
    assert (shown["webhookSentSuccessfully"], shown["webhookSentErroneous"]) == (1, 2)
    assert (shown["lastPostSuccesful"], shown["lastPostDuration"]) == (False, 9)
    assert shown["lastSuccessfulPost"] == "2026-01-05T09:00:00.000Z"
    assert shown["webhookStatus"] == "ACTIVE"
    sub.active = False  # what the outbox does after too many failures in a row
    shown = apikey_wire.advanced_key(owner.advanced_key(key_id), owner.deliveries(key_id))
    assert shown["webhookStatus"] == "DEACTIVATED"


def test_forget_account_drops_its_keys_and_names_their_tokens():
    world, owner, _, token = populated()
    revoked = world.api_keys.forget_account(owner.token.account_id)
    assert revoked == [token]
    assert (world.api_keys.keys, world.api_keys.tokens, world.api_keys.advanced) == ({}, {}, {})
