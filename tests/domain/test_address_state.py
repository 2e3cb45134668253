"""The address book survives a snapshot: addresses with settings, units (one with a pending
asynchronous delete), a redeemed token, reservations issued with custom times; the restored
world then behaves like the original. A damaged book is refused with one line, and a
snapshot from before addresses existed loads with an empty book."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.address_calls import AccessTimes, AddressChanges, Booking, book
from nuki_sim.simulator.domain.api import Session, open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PUSH = timedelta(seconds=5)


def populated() -> tuple[World, Session, int, str]:
    world = World(VirtualClock(T0), seed=11)
    demo = build_demo(world)
    api = open_session(world, f"Bearer {demo.token.token}")
    lock_ids = tuple(lk.smartlock_id for lk in demo.locks)
    address = api.create_address(AddressChanges("Harbour", lock_ids))
    api.update_address(address.address_id, AddressChanges(settings={"a": {"b": [1, 2]}}))
    kept = api.create_address_unit(address.address_id, "Flat 1")
    going = api.create_address_unit(address.address_id, "Flat 2")
    guest = world.add_account(email="g@example.com", name="Guest")
    guest_token = world.add_token(guest.account_id).token
    open_session(world, f"Bearer {guest_token}").redeem_address_token(kept.token_id)
    stay = Booking("Grace", "grace@example.com", T0 + timedelta(days=1), T0 + timedelta(days=3),
                   guests=2, unit_id=kept.id, reference="HM-1")  # fmt: skip
    issued = book(world, address.address_id, stay)
    api.issue_reservation(address.address_id, issued.id)
    api.update_access_times(address.address_id, issued.id, AccessTimes(14 * 60, None))
    book(world, address.address_id, stay)  # a second, never issued
    api.delete_address_unit(address.address_id, going.id)
    return world, api, address.address_id, issued.id


def restored_copy(world: World) -> World:
    taken = snapshot.snapshot(world)
    again = World(VirtualClock(datetime(2030, 1, 1, tzinfo=UTC)), seed=99)
    snapshot.restore(again, json.loads(json.dumps(taken)))
    assert snapshot.snapshot(again) == taken
    return again


def test_the_book_round_trips_and_the_restored_world_behaves_alike():
    world, api, address_id, issued = populated()
    again = restored_copy(world)
    assert again.addresses == world.addresses
    token = api.token.token
    for w in (world, again):
        w.advance(PUSH)
        open_session(w, f"Bearer {token}").revoke_reservation(address_id, issued)
        w.advance(PUSH)
    assert snapshot.snapshot(again) == snapshot.snapshot(world)
    assert [u.name for u in again.addresses.units_of(address_id)] == ["Flat 1"]


def _damage(world: World, change: Any) -> dict[str, Any]:
    taken = snapshot.snapshot(world)
    state = snapshot.check(taken)
    change(state["addresses"])
    return {"format": snapshot.FORMAT, "state": snapshot.encode(state)}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.addresses.clear(), "address_id is no address"),
        (lambda b: setattr(b, "next_id", 1), "next_id must be above every address id"),
    ],
)
def test_a_damaged_book_is_refused(change: Any, message: str):
    world, *_ = populated()
    with pytest.raises(snapshot.Damaged, match=message):
        snapshot.check(_damage(world, change))


def test_a_snapshot_without_addresses_loads_an_empty_book():
    world, *_ = populated()
    taken = snapshot.snapshot(world)
    pairs = [p for p in taken["state"]["$dict"] if p[0] != "addresses"]
    again = World(VirtualClock(T0))
    snapshot.restore(again, {"format": snapshot.FORMAT, "state": {"$dict": pairs}})
    assert again.addresses.addresses == {}
    assert again.addresses.next_id == 1


def test_forget_lock_and_forget_account():
    world, api, address_id, issued = populated()
    book_ = world.addresses
    first = book_.addresses[address_id].smartlock_ids[0]
    book_.forget_lock(first)
    assert first not in book_.addresses[address_id].smartlock_ids
    assert all(g.smartlock_id != first for g in book_.reservations[issued].grants)
    redeemed = next(t for t in book_.tokens.values() if t.redeem_account_id is not None)
    book_.forget_account(redeemed.redeem_account_id or 0)
    assert book_.tokens[redeemed.id].redeem_date is None
    book_.forget_account(api.token.account_id)
    assert (book_.addresses, book_.units, book_.tokens, book_.reservations) == ({}, {}, {}, {})


def test_a_deleted_lock_leaves_its_addresses_and_the_snapshot_still_loads():
    world, api, address_id, _ = populated()
    first = world.addresses.addresses[address_id].smartlock_ids[0]
    api.delete_smartlock(first)
    assert first not in world.addresses.addresses[address_id].smartlock_ids
    assert restored_copy(world).addresses == world.addresses


def test_a_book_naming_a_missing_lock_is_refused():
    world, _, address_id, _ = populated()
    state = snapshot.check(snapshot.snapshot(world))
    state["locks"].pop(world.addresses.addresses[address_id].smartlock_ids[-1])
    damaged = {"format": snapshot.FORMAT, "state": snapshot.encode(state)}
    with pytest.raises(snapshot.Damaged, match=r"is no lock|names lock"):
        snapshot.check(damaged)
