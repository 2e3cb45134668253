"""Config state survives a snapshot: applied configs on device and cloud, the web config and a
config write still queued for an offline lock (applied after the restore, at reconnect); a
snapshot written before locks had config state still loads, with the defaults."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.device_config import (
    ConfigWrite,
    DeviceConfig,
    WebConfig,
    WebConfigWrite,
)
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ADVANCED = ConfigWrite("advanced", (("lng_timeout", 45), ("motor_speed", 1)))
PIN = ConfigWrite("admin_pin", (("admin_pin", 2468),))


def configured_world() -> tuple[World, int, int]:
    world = World(VirtualClock(T0), seed=3)
    demo = build_demo(world)
    api = open_session(world, f"Bearer {demo.token.token}")
    online, offline = (lock.smartlock_id for lock in demo.locks[:2])
    api.write_config(online, ADVANCED)
    world.advance(timedelta(seconds=world.config.push_delay))
    api.write_web_config(online, WebConfigWrite(False, (5, 6)))
    world.set_online(world.locks[offline], False)
    api.write_config(offline, PIN)
    return world, online, offline


def test_config_state_round_trips_and_the_queued_write_still_applies():
    world, online, offline = configured_world()
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)

    assert again.locks == world.locks
    lock = again.locks[online]
    assert lock.cloud.config.advanced.lng_timeout == 45
    assert lock.cloud.web_config == WebConfig(False, (5, 6))
    waiting = again.locks[offline]
    assert waiting.device.config.admin_pin is None
    again.set_online(waiting, True)
    assert waiting.device.config.admin_pin == waiting.cloud.config.admin_pin == 2468


def _drop(value: Any, names: set[str]) -> Any:
    """The encoded state without the named dataclass fields (as an older release wrote it)."""
    if isinstance(value, list):
        return [_drop(v, names) for v in value]
    if isinstance(value, dict):
        if "$dc" in value and value["$dc"] in ("Device", "CloudCopy"):
            fields = {k: _drop(v, names) for k, v in value["f"].items() if k not in names}
            return {**value, "f": fields}
        return {k: _drop(v, names) for k, v in value.items()}
    return value


def test_a_snapshot_without_config_state_loads_with_defaults():
    world = World(VirtualClock(T0), seed=3)
    build_demo(world)
    old = _drop(json.loads(json.dumps(snapshot.snapshot(world))), {"config", "web_config"})
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, old)
    for lock in again.locks.values():
        assert lock.device.config == lock.cloud.config == DeviceConfig()
        assert lock.cloud.web_config == WebConfig()


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('"lng_timeout": 45', '"lng_timeout": "45"', "lng_timeout must be an integer"),
        ('["admin_pin", 2468]', '["admin_pin", true]', "admin_pin must be an integer"),
        ('["admin_pin", 2468]', '["total_degrees", 1]', "total_degrees is not written by"),
        ('"part": "admin_pin"', '"part": "engine"', "'engine' is not a config part"),
    ],
)
def test_a_damaged_config_is_refused_naming_the_field(old: str, new: str, named: str):
    world, _, _ = configured_world()
    text = json.dumps(snapshot.snapshot(world)).replace(old, new)
    assert new in text
    with pytest.raises(BadParameter, match=named):
        snapshot.restore(World(VirtualClock(T0), seed=1), json.loads(text))
