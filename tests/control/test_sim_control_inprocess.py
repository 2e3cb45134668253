"""The in-process SimControl refuses what the /_sim routes refuse: typed inputs are not trusted.

The routes parse JSON before calling SimControl; a test that drives SimControl directly skips
that layer, so a value out of range must still be refused by the domain, never clamped into
the world.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import NewLock
from nuki_sim.simulator.domain.world import World

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize("charge", [-1, 100.5, 150, math.nan])
def test_an_out_of_range_battery_charge_is_refused_and_changes_nothing(charge: float) -> None:
    world = World(VirtualClock(START))
    demo = build_demo(world)
    control = SimControl(world)
    lock = control.lock(demo.locks[0].smartlock_id)
    before = control.device(lock.smartlock_id)
    with pytest.raises(BadParameter):
        control.battery(lock, charge)
    assert control.device(lock.smartlock_id) == before


@pytest.mark.parametrize("charge", [0, 17.5, 100])
def test_a_battery_charge_in_range_reaches_the_device(charge: float) -> None:
    world = World(VirtualClock(START))
    demo = build_demo(world)
    control = SimControl(world)
    lock = control.lock(demo.locks[0].smartlock_id)
    control.battery(lock, charge)
    assert lock.device.battery == charge


@pytest.mark.parametrize("seconds", [-1, math.nan])
def test_advancing_by_a_negative_or_missing_amount_is_refused(seconds: float) -> None:
    world = World(VirtualClock(START))
    control = SimControl(world)
    with pytest.raises(BadParameter):
        control.advance(seconds)
    assert world.clock.now() == START


@pytest.mark.parametrize(
    "fields",
    [{"battery": 101}, {"battery": -1}, {"sync_minute": 1440}, {"timezone": "Mars/Olympus"}],
)
def test_an_impossible_new_lock_cannot_even_be_described(fields: dict[str, object]) -> None:
    """SimControl.create_smartlock takes a NewLock: refusing the value refuses the lock."""
    with pytest.raises(BadParameter):
        NewLock(**fields)  # type: ignore[arg-type]
