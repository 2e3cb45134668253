"""Notification configurations survive a snapshot, and a damaged one is refused by name;
deleting an account or a lock forgets what referred to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.notifications import NotificationInput, NotificationSetting
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def populated() -> tuple[World, list[str]]:
    world = World(VirtualClock(T0), seed=7)
    demo = build_demo(world)
    api = open_session(world, f"Bearer {demo.token.token}")
    lock = demo.locks[0]
    auth_id = next(iter(lock.cloud.auths))
    made = [
        api.create_notification(NotificationInput(
            "https://example.com/hook", 2,
            (NotificationSetting(lock.smartlock_id, ("lock", "ring"), (auth_id,)),),
            reference_id="r1",
        )),
        api.create_notification(NotificationInput(
            "fcm-1", 0, (NotificationSetting(None, ("warnings",)),), language="de"
        )),
    ]  # fmt: skip
    return world, [n.notification_id for n in made]


def test_notifications_round_trip_and_keep_the_rng():
    world, ids = populated()
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    assert again.notifications == world.notifications
    assert sorted(again.notifications.items) == sorted(ids)
    assert again.new_id() == world.new_id()


def test_an_older_snapshot_without_notifications_loads_empty():
    world, _ = populated()
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    pairs = data["state"]["$dict"]
    data["state"]["$dict"] = [p for p in pairs if p[0] != "notifications"]
    again = World(VirtualClock(T0))
    snapshot.restore(again, data)
    assert again.notifications.items == {}


def test_a_setting_for_a_missing_lock_is_damage():
    world, ids = populated()
    lock_id = next(s.smartlock_id for s in world.notifications.items[ids[0]].settings)
    del world.locks[lock_id]
    with pytest.raises(snapshot.Damaged, match=f"setting for {lock_id}, no lock"):
        snapshot.check(json.loads(json.dumps(snapshot.snapshot(world))))


def test_forget_lock_drops_its_settings_and_forget_account_everything():
    world, ids = populated()
    book = world.notifications
    lock_id = next(s.smartlock_id for s in book.items[ids[0]].settings)
    book.forget_lock(lock_id)
    assert book.items[ids[0]].settings == ()
    assert len(book.items[ids[1]].settings) == 1
    book.forget_account(book.items[ids[0]].account_id)
    assert book.items == {}


def test_a_refused_create_draws_nothing():
    world, _ = populated()
    token = next(iter(world.tokens))
    api = open_session(world, f"Bearer {token}")
    before = world.rng.getstate()
    hook = NotificationInput("https://example.com/h", 2, (), language="xx")
    with pytest.raises(BadParameter):
        api.create_notification(hook)
    assert world.rng.getstate() == before
