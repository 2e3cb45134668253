"""A nuki-docs world survives a snapshot with its propagation jobs: the restored world lists
the pending change when the original does, and sends the same DEVICE_AUTHS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.inputs import AuthCreate, Registration
from nuki_sim.simulator.domain.model import ALWAYS
from nuki_sim.simulator.domain.sync import Propagate
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CONFIG = SimConfig(profile="nuki-docs", propagation_seconds=120)
CODE = 345_678


def pending_world() -> tuple[World, int]:
    """A nuki-docs world whose new code is on the lock and waits to be listed."""
    world = World(VirtualClock(T0), seed=3, config=CONFIG)
    demo = build_demo(world)
    api = open_session(world, f"Bearer {demo.token.token}")
    api.subscribe(Registration("http://127.0.0.1:9/hook", ("DEVICE_AUTHS",)))
    lock = next(lk for lk in demo.locks if lk.device.keypad_paired)
    request = AuthCreate("Guest", AuthType.KEYPAD_CODE, CODE, ALWAYS, False, False, None)
    api.create_auth([lock], request)
    world.advance(timedelta(seconds=CONFIG.push_delay))
    return world, lock.smartlock_id


def round_trip(world: World) -> World:
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    return again


def listed_codes(world: World, smartlock_id: int) -> list[int | None]:
    auths = world.locks[smartlock_id].cloud.auths.values()
    return [a.code for a in auths if a.type == AuthType.KEYPAD_CODE]


def auth_hooks(world: World) -> list[str]:
    (sub,) = world.subscriptions.values()
    return [item.body for item in sub.outbox if item.feature == "DEVICE_AUTHS"]


def test_a_pending_propagation_survives_a_snapshot_and_runs_on_time():
    world, lock_id = pending_world()
    again = round_trip(world)
    assert again.config == CONFIG
    jobs = [d.job for d in again.scheduler.pending() if isinstance(d.job, Propagate)]
    assert [j.smartlock_id for j in jobs] == [lock_id]
    assert CODE not in listed_codes(again, lock_id)
    assert again.cloud_keypad_codes(again.locks[lock_id])[CODE]  # known: a duplicate is a 409

    for w in (world, again):
        w.advance(timedelta(seconds=CONFIG.propagation_seconds - 1))
        assert CODE not in listed_codes(w, lock_id)
        w.advance(timedelta(seconds=1))
        assert CODE in listed_codes(w, lock_id)
    assert auth_hooks(again) == auth_hooks(world)
    assert len(auth_hooks(world)) == 1
    assert snapshot.snapshot(again) == snapshot.snapshot(world)
