"""The world without HTTP: seeded demo, store-and-forward to the device, time, device failures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from nuki_sim.simulator.domain import wire
from nuki_sim.simulator.domain.api import Session, open_session
from nuki_sim.simulator.domain.clock import SystemClock, VirtualClock
from nuki_sim.simulator.domain.codes import Action, LockState, LogState, LogTrigger
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.device import ERR_CODE_EXISTS, ERR_MAX_USER
from nuki_sim.simulator.domain.errors import ClockError
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.nuki_ops import create_auth, update_auth

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SEED = 20260105
CONFIG = SimConfig()
PUSH = timedelta(seconds=CONFIG.push_delay)
JUST_BEFORE_PUSH = PUSH - timedelta(milliseconds=1)
SYNC_AT_MIDNIGHT = 0  # the daily auto sync stays far from the seconds these tests cover
GUEST_CODE = 345678
MOTOR_BLOCKED_STATE = 254  # Smartlock.State.state (fact sheet §4)
MOTOR_BLOCKED_LOG_STATE = 1  # SmartlockLog.state: motor blocked


@dataclass
class Setup:
    world: World
    session: Session
    lock: Lock


def make_world(config: SimConfig = CONFIG, *, seed: int = SEED) -> Setup:
    """One account with a full-scope token and one online keypad lock holding no codes."""
    world = World(VirtualClock(T0), seed=seed, config=config)
    account = world.add_account(email="owner@example.com", name="Owner")
    token = world.add_token(account.account_id)
    lock = world.add_lock(account.account_id, name="Front Door", sync_minute=SYNC_AT_MIDNIGHT)
    return Setup(world, open_session(world, f"Bearer {token.token}"), lock)


def create_code(setup: Setup, code: int, name: str = "Guest") -> None:
    create_auth(setup.session, setup.lock.smartlock_id, {"name": name, "type": 13, "code": code})


def codes_on_device(lock: Lock) -> list[int]:
    return sorted(a.code for a in lock.device.auths.values() if a.code is not None)


def codes_in_cloud(lock: Lock) -> list[int]:
    return sorted(a.code for a in lock.cloud.auths.values() if a.code is not None)


def cloud_errors_by_name(lock: Lock) -> dict[str, str | None]:
    """The cloud's authorizations by name with their errors, the Web API's own left out."""
    listed = lock.cloud.auths.values()
    return {a.name: lock.cloud.errors.get(a.id) for a in listed if a.id != lock.api_auth_id}


def demo_fingerprint(seed: int) -> tuple[str, str]:
    """Everything a client can see of a fresh demo world, as JSON, plus its token."""
    world = World(VirtualClock(T0), seed=seed)
    demo = build_demo(world)
    seen = [
        {
            "lock": wire.smartlock(lock),
            "auths": [wire.smartlock_auth(a) for a in lock.cloud.auths.values()],
        }
        for lock in world.locks.values()
    ]
    return json.dumps(seen, sort_keys=True), demo.token.token


# --- the seeded demo -------------------------------------------------------------------------


def test_same_seed_builds_the_same_demo_world() -> None:
    """Two demo worlds from one seed show identical locks, auths and token."""
    assert demo_fingerprint(SEED) == demo_fingerprint(SEED)


def test_different_seeds_build_different_ids() -> None:
    """Another seed gives other lock ids, auth ids and another token."""
    one, other = World(VirtualClock(T0), seed=1), World(VirtualClock(T0), seed=2)
    demo_one, demo_other = build_demo(one), build_demo(other)
    assert set(one.locks).isdisjoint(other.locks)
    ids_one = {a for lock in one.locks.values() for a in lock.cloud.auths}
    ids_other = {a for lock in other.locks.values() for a in lock.cloud.auths}
    assert ids_one.isdisjoint(ids_other)
    assert demo_one.token.token != demo_other.token.token


def test_demo_token_opens_a_session() -> None:
    """The demo's token is accepted as a bearer token for its own account."""
    world = World(VirtualClock(T0), seed=SEED)
    demo = build_demo(world)
    session = open_session(world, f"Bearer {demo.token.token}")
    assert session.token.account_id == demo.account.account_id


# --- store and forward -----------------------------------------------------------------------


def test_created_code_reaches_the_device_after_the_push_delay() -> None:
    """A new keypad code is on the device at accepted time + push_delay, not a moment before."""
    setup = make_world()
    create_code(setup, GUEST_CODE)
    setup.world.advance(JUST_BEFORE_PUSH)
    assert codes_on_device(setup.lock) == []
    setup.world.advance(PUSH - JUST_BEFORE_PUSH)
    assert codes_on_device(setup.lock) == [GUEST_CODE]


def test_created_code_is_listed_by_the_cloud_only_after_a_sync() -> None:
    """The cloud lists a new code only once a sync has read it back from the device."""
    setup = make_world()
    create_code(setup, GUEST_CODE)
    setup.world.advance(PUSH)
    assert codes_in_cloud(setup.lock) == []
    assert setup.world.sync(setup.lock) is True
    assert codes_in_cloud(setup.lock) == [GUEST_CODE]
    assert cloud_errors_by_name(setup.lock) == {"Guest": None}


def test_advance_runs_each_job_with_the_clock_at_its_instant() -> None:
    """A lock action's log entry is dated accepted time + push_delay, not the advance target."""
    setup = make_world()
    setup.session.action(setup.lock.smartlock_id, Action.UNLOCK)
    setup.world.advance(timedelta(hours=1))
    (entry,) = setup.lock.device.log
    assert entry.date == T0 + PUSH
    assert (entry.action, entry.trigger, entry.state) == (
        Action.UNLOCK,
        LogTrigger.WEB,
        LogState.SUCCESS,
    )
    assert setup.world.now() == T0 + timedelta(hours=1)


def test_advance_returns_the_jobs_it_ran() -> None:
    """``advance`` returns the push and every motor step, in time order."""
    setup = make_world()
    setup.session.action(setup.lock.smartlock_id, Action.UNLOCK)
    ran = setup.world.advance(timedelta(minutes=1))
    assert [due.at for due in ran] == [
        T0 + PUSH,
        T0 + PUSH + timedelta(seconds=CONFIG.motor_seconds),
    ]
    assert setup.lock.device.status.state == LockState.UNLOCKED


def test_advance_on_a_system_clock_world_is_refused() -> None:
    """Only a virtual clock can be advanced: a system-clock world raises ClockError."""
    with freeze_time(T0):
        world = World(SystemClock(), seed=SEED)
        with pytest.raises(ClockError):
            world.advance(timedelta(seconds=1))
        with pytest.raises(ClockError):
            world.advance_to(T0 + timedelta(seconds=1))


def test_advance_refuses_to_go_backwards() -> None:
    """A negative advance raises ClockError and leaves the clock where it was."""
    setup = make_world()
    with pytest.raises(ClockError):
        setup.world.advance(timedelta(seconds=-1))
    assert setup.world.now() == T0


# --- failures the cloud cannot foresee -------------------------------------------------------


def test_second_create_of_a_new_code_fails_on_the_device() -> None:
    """Both creates are accepted, the device refuses the second, and a sync lists its error."""
    setup = make_world()
    create_code(setup, GUEST_CODE, "First")
    create_code(setup, GUEST_CODE, "Second")  # the cloud cannot see the first one yet
    setup.world.advance(PUSH)
    assert codes_on_device(setup.lock) == [GUEST_CODE]
    setup.world.sync(setup.lock)
    assert cloud_errors_by_name(setup.lock) == {"First": None, "Second": ERR_CODE_EXISTS}


def test_create_beyond_capacity_fails_on_the_device() -> None:
    """With room for 2 codes, a third created before any sync fails on the device."""
    setup = make_world(SimConfig(max_keypad_codes=2))
    for index, code in enumerate([345671, 345672, 345673]):
        create_code(setup, code, f"Guest {index}")
    setup.world.advance(PUSH)
    assert codes_on_device(setup.lock) == [345671, 345672]
    setup.world.sync(setup.lock)
    assert cloud_errors_by_name(setup.lock) == {
        "Guest 0": None,
        "Guest 1": None,
        "Guest 2": ERR_MAX_USER,
    }


def test_sync_of_an_offline_device_does_nothing() -> None:
    """Syncing an offline lock returns False; cloud and device stay as they were."""
    setup = make_world()
    create_code(setup, GUEST_CODE)
    setup.world.advance(PUSH)
    setup.lock.device.online = False
    before = (dict(setup.lock.cloud.auths), setup.lock.cloud.last_sync, setup.lock.cloud.status)
    assert setup.world.sync(setup.lock) is False
    assert (
        dict(setup.lock.cloud.auths),
        setup.lock.cloud.last_sync,
        setup.lock.cloud.status,
    ) == before
    assert codes_in_cloud(setup.lock) == []
    assert codes_on_device(setup.lock) == [GUEST_CODE]


def test_command_for_an_offline_device_waits_in_the_queue() -> None:
    """A code created while the lock is offline does not reach it, however long one waits."""
    setup = make_world()
    setup.lock.device.online = False
    create_code(setup, GUEST_CODE)
    setup.world.advance(timedelta(hours=1))
    assert codes_on_device(setup.lock) == []
    assert len(setup.lock.cloud.queue) == 1


def test_jammed_motor_ends_in_motor_blocked() -> None:
    """An action on a jammed lock leaves it in state 254 and logs the action as state 1."""
    setup = make_world()
    setup.lock.device.jammed = True
    setup.session.action(setup.lock.smartlock_id, Action.UNLOCK)
    setup.world.advance(timedelta(minutes=1))
    assert int(setup.lock.device.status.state) == MOTOR_BLOCKED_STATE
    assert setup.lock.cloud.status.state == LockState.MOTOR_BLOCKED
    (entry,) = setup.lock.device.log
    assert entry.state == MOTOR_BLOCKED_LOG_STATE
    assert entry.date == T0 + PUSH


def test_an_update_that_reaches_a_deleted_code_at_a_reconnect_does_not_bring_it_back() -> None:
    """Delete applied, then an update of the same code queued and sent at a reconnect: the lock
    answers that the code is gone, so after the sync the cloud does not list it (with an error)."""
    setup = make_world()
    world, lock = setup.world, setup.lock
    create_code(setup, GUEST_CODE)
    world.advance(PUSH)
    world.sync(lock)
    auth_id = next(iter(lock.device.auths))
    setup.session.delete_auths([(lock.smartlock_id, auth_id)])
    world.advance(PUSH)  # the delete runs on the lock; the cloud still lists the code
    update_auth(setup.session, lock.smartlock_id, auth_id, {"name": "Renamed"})
    world.set_online(lock, False)  # the update waits in the queue
    world.set_online(lock, True)  # and fails at the reconnect: the code is gone

    assert world.sync(lock)
    assert auth_id not in lock.cloud.auths
    assert auth_id not in lock.cloud.errors
