"""The account area's state in the world: ``World.delete_account`` leaves nothing of the
account behind (a snapshot of the world after it is accepted and restores), and the account
store, sub accounts and OTP secrets survive a snapshot."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from nuki_sim.simulator.domain import snapshot, totp
from nuki_sim.simulator.domain.account_inputs import AccountChange, SubAccountCreate
from nuki_sim.simulator.domain.account_store import Profile
from nuki_sim.simulator.domain.address_calls import AddressChanges
from nuki_sim.simulator.domain.api import Session, open_session
from nuki_sim.simulator.domain.apikey_calls import ApiKeyChange, TokenChange
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import Action
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import NotFound
from nuki_sim.simulator.domain.inputs import AccountUserCreate, Registration
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PROFILE = Profile("Ada", "Lovelace", "Main St 1", "1010", "Vienna", "AT")


def _world() -> tuple[World, Session]:
    world = World(VirtualClock(T0), seed=3)
    world.config = world.config.__class__(webhook_allow_private=True)
    demo = build_demo(world)
    return world, open_session(world, f"Bearer {demo.token.token}")


def _round_trip(world: World) -> World:
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=99)
    snapshot.restore(again, data)
    return again


def _populate(world: World, api: Session) -> int:
    """Give the demo account one of everything; the id of a sub account of it."""
    mine = api.token.account_id
    api.create_account_user(AccountUserCreate("kim@example.com", "Kim"))
    world.service_links[mine] = {"airbnb"}
    world.subscribe(api.token, Registration("http://127.0.0.1:9/hook", ("DEVICE_STATUS",)))
    api.put_setting({"deviceViewType": "TILE", "annotations": {"web.nuki.io/a": True}})
    api.create_otp()
    api.update_account(AccountChange(language="de", profile=PROFILE))
    sub = api.create_sub_account(SubAccountCreate("sub@example.com", "secret7", "Sub", 3, "en"))
    world.add_token(sub.account_id)
    world.add_lock(sub.account_id, name="Sub's door")
    lock = world.locks[min(lk.smartlock_id for lk in world.locks.values() if lk.account_id == mine)]
    api.action(lock.smartlock_id, Action.UNLOCK)  # a push and motion steps on the agenda
    key = api.create_api_key(ApiKeyChange("Front desk app"))
    api.create_key_token(key.api_key_id, TokenChange("desk", ("smartlock",)))
    address = api.create_address(AddressChanges("Beach house", (lock.smartlock_id,)))
    api.create_address_unit(address.address_id, "Room 1")
    other_lock = next(lk for lk in world.locks.values() if lk.account_id == mine and lk != lock)
    api.advanced_action(other_lock.smartlock_id, Action.LOCK)  # an open advanced request
    return sub.account_id


def test_delete_account_leaves_nothing_and_the_world_snapshots_and_restores():
    world, api = _world()
    other = world.add_account(email="other@example.com", name="Other")
    other_token = world.add_token(other.account_id)
    other_lock = world.add_lock(other.account_id, name="Theirs")
    mine = api.token.account_id
    sub = _populate(world, api)
    assert world.scheduler.pending()

    assert sorted(world.delete_account(mine)) == sorted([mine, sub])

    for gone in (mine, sub):
        assert gone not in world.accounts
        assert not [t for t in world.tokens.values() if t.account_id == gone]
        assert not [lk for lk in world.locks.values() if lk.account_id == gone]
        assert not [u for u in world.account_users.values() if u.account_id == gone]
        assert not [s for s in world.subscriptions.values() if s.account_id == gone]
        assert gone not in world.service_links
        assert gone not in world.account_store.extras
        assert not [k for k in world.api_keys.keys.values() if k.account_id == gone]
        assert not [t for t in world.api_keys.tokens.values() if t.account_id == gone]
        assert not [a for a in world.addresses.addresses.values() if a.account_id == gone]
        assert not [r for r in world.advanced.book.requests.values() if r.account_id == gone]
    assert list(world.accounts) == [other.account_id]
    assert world.tokens == {other_token.token: other_token}
    assert list(world.locks) == [other_lock.smartlock_id]
    assert open_session(world, f"Bearer {other_token.token}").account() == other

    snapshot.check(json.loads(json.dumps(snapshot.snapshot(world))))  # accepted whole
    again = _round_trip(world)
    assert again.accounts == world.accounts
    assert again.tokens == world.tokens
    for restored in (world, again):  # the jobs of the deleted locks fall due and do nothing
        restored.advance(timedelta(days=2))
        assert list(restored.locks) == [other_lock.smartlock_id]


def test_deleting_an_unknown_account_is_404_and_changes_nothing():
    world, _ = _world()
    before = snapshot.snapshot(world)
    with pytest.raises(NotFound):
        world.delete_account(424242)
    assert snapshot.snapshot(world) == before


def test_the_account_store_and_sub_accounts_round_trip():
    world, api = _world()
    sub = _populate(world, api)
    secret = api.account_extras().otp.secret  # type: ignore[union-attr]
    api.enable_otp(totp.code(secret, world.now()))
    again = _round_trip(world)
    assert again.account_store == world.account_store
    assert again.accounts[sub].master_account_id == api.token.account_id
    assert again.accounts[sub].rights == 3
    assert again.account_store.extras[api.token.account_id].profile == PROFILE
    assert again.account_store.extras[api.token.account_id].otp.enabled == T0  # type: ignore[union-attr]


def test_an_older_snapshot_without_the_new_parts_still_loads():
    world, _api = _world()
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    pairs = data["state"]["$dict"]
    data["state"]["$dict"] = [p for p in pairs if p[0] != "account_store"]
    for pair in pairs:
        if pair[0] == "accounts":
            for _, row in pair[1]["$dict"]:
                for name in ("update_date", "master_account_id", "rights"):
                    del row["f"][name]
    again = World(VirtualClock(T0))
    snapshot.restore(again, data)
    assert again.account_store.extras == {}
    assert again.accounts == world.accounts


def test_a_snapshot_with_settings_or_a_master_of_no_account_is_refused():
    world, api = _world()
    api.put_setting({"deviceViewType": "LIST"})
    world.account_store.extras[999] = world.account_store.extras.pop(api.token.account_id)
    with pytest.raises(snapshot.Damaged, match=r"account_store.extras\[999\] is no account"):
        snapshot.check(snapshot.snapshot(world))
    world, api = _world()
    sub = api.create_sub_account(SubAccountCreate("s@example.com", "secret7", "S", 0, "en"))
    world.accounts[sub.account_id] = world.accounts[sub.account_id].__class__(
        sub.account_id, sub.email, sub.name, sub.language, sub.creation_date,
        master_account_id=777,
    )  # fmt: skip
    with pytest.raises(snapshot.Damaged, match="master_account_id 777 is no other account"):
        snapshot.check(snapshot.snapshot(world))


def test_otp_secrets_follow_the_seed_only_on_loopback():
    seeded_world, seeded = _world()
    first = seeded.create_otp()
    assert _world()[1].create_otp() == first
    world, api = _world()
    world.random_secrets = True
    drawn = api.create_otp()
    assert drawn != first
    assert len(drawn) == 32
    assert world.rng.getstate() == seeded_world.rng.getstate()  # later ids stay the same
