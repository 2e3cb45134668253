"""A reconnect reports what ran at the reconnect, not what was pushed before the lock left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.nuki_ops import create_auth

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PUSHED_ONLINE = 345678
QUEUED_OFFLINE = 456789


def codes(world: World, lock_id: int, token: str) -> set[int]:
    session = open_session(world, f"Bearer {token}")
    return {a.auth.code for a in session.auths(session.lock(lock_id)) if a.auth.code is not None}


def test_a_flap_is_no_sync() -> None:
    """A code pushed while online stays unlisted through an offline/online flap; a code queued
    while offline is listed at the reconnect."""
    world = World(VirtualClock(T0), seed=4)
    demo = build_demo(world)
    lock = demo.locks[0]
    world.scheduler.clear()  # no auto sync in this test
    session = open_session(world, f"Bearer {demo.token.token}")
    create_auth(session, lock.smartlock_id, {"name": "Online", "type": 13, "code": PUSHED_ONLINE})
    world.advance(timedelta(minutes=1))  # pushed: on the device, not yet listed
    world.set_online(lock, False)
    create_auth(session, lock.smartlock_id, {"name": "Offline", "type": 13, "code": QUEUED_OFFLINE})

    world.set_online(lock, True)

    listed = codes(world, lock.smartlock_id, demo.token.token)
    assert QUEUED_OFFLINE in listed
    assert PUSHED_ONLINE not in listed
    world.sync(lock)
    assert PUSHED_ONLINE in codes(world, lock.smartlock_id, demo.token.token)
