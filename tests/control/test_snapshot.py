"""Snapshots are lossless and a restored world behaves exactly like the original.

The property runs on the pure domain (no HTTP); the garbage checks go through
``POST /_sim/restore`` because that is where a client can hand the simulator anything.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import Action, AuthType
from nuki_sim.simulator.domain.config import PROFILES, Profile, SimConfig
from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import BadParameter, SimError
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.nuki_ops import create_auth, update_auth
from nuki_sim.simulator.http.server import RunningSimulator
from tests.control.support import ControlClient, is_detail_error

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DEMO_LOCKS = 3
MAX_ADVANCE_MS = 2 * 24 * 3600 * 1000  # two days
MAX_EXAMPLES = 30
KEYPAD = int(AuthType.KEYPAD_CODE)
NAMES = ("Guest", "Cleaner", "Dog walker", "Nanny")
WRONG_FORMAT = "nuki-sim/0"

# --- operations: plain data, resolved against whichever world they are applied to ---------

digit = st.integers(min_value=1, max_value=9).map(str)
codes = (
    st.lists(digit, min_size=6, max_size=6).map("".join).filter(lambda c: not c.startswith("12"))
)
lock_index = st.integers(min_value=0, max_value=DEMO_LOCKS - 1)
auth_index = st.integers(min_value=0, max_value=10)
operations = st.one_of(
    st.tuples(st.just("create"), lock_index, codes, st.sampled_from(NAMES)),
    st.tuples(st.just("update"), lock_index, auth_index, codes | st.none(), st.booleans()),
    st.tuples(st.just("delete"), lock_index, auth_index),
    st.tuples(st.just("action"), lock_index, st.sampled_from(list(Action))),
    st.tuples(st.just("online"), lock_index, st.booleans()),
    st.tuples(st.just("sync"), lock_index),
    st.tuples(st.just("keypad"), lock_index, auth_index, codes),
    st.tuples(st.just("advance"), st.integers(min_value=0, max_value=MAX_ADVANCE_MS)),
)
programs = st.lists(operations, max_size=25)


def keypad_ids(lock: Lock, *, on_device: bool = False) -> list[str]:
    auths = lock.device.auths if on_device else lock.cloud.auths
    return sorted(a.id for a in auths.values() if a.type == AuthType.KEYPAD_CODE)


def apply(world: World, token: str, op: tuple[Any, ...]) -> None:
    """Run one operation; a refusal (409, 423, ...) is part of the behaviour being compared."""
    kind, *args = op
    if kind == "advance":
        world.advance(timedelta(milliseconds=args[0]))
        return
    session = open_session(world, f"Bearer {token}")
    lock = world.locks[sorted(world.locks)[args[0]]]
    lock_id = lock.smartlock_id
    known = keypad_ids(lock)
    try:
        if kind == "create":
            create_auth(session, lock_id, {"type": KEYPAD, "name": args[2], "code": args[1]})
        elif kind == "update" and known:
            body: dict[str, Any] = {"enabled": args[3]}
            if args[2] is not None:
                body["code"] = args[2]
            update_auth(session, lock_id, known[args[1] % len(known)], body)
        elif kind == "delete" and known:
            session.delete_auths([(lock_id, known[args[1] % len(known)])])
        elif kind == "action":
            session.action(lock_id, args[1])
        elif kind == "online":
            world.set_online(lock, args[1])
        elif kind == "sync":
            world.sync(lock)
        elif kind == "keypad":
            on_device = keypad_ids(lock, on_device=True)
            typed = args[2]
            if on_device and args[1] % 2 == 0:  # half the time, a code the lock really holds
                typed = lock.device.auths[on_device[args[1] % len(on_device)]].code
            world.keypad_entry(lock, typed)
    except SimError:
        pass


def demo_world(seed: int, profile: Profile = "seed") -> tuple[World, str]:
    world = World(VirtualClock(T0), seed=seed, config=SimConfig(profile=profile))
    demo = build_demo(world, locks=DEMO_LOCKS)
    return world, demo.token.token


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    before=programs,
    after=programs,
    elsewhere=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    other_seed=st.integers(min_value=0, max_value=2**32 - 1),
    profile=st.sampled_from(PROFILES),
)
def test_restore_is_lossless_and_behaves_identically(
    seed: int,
    before: list[tuple[Any, ...]],
    after: list[tuple[Any, ...]],
    elsewhere: datetime,
    other_seed: int,
    profile: Profile,
):
    """snapshot → JSON → restore gives an equal world that then evolves exactly like the
    original, under either profile (nuki-docs: with its propagation jobs on the agenda)."""
    world, token = demo_world(seed, profile)
    for op in before:
        apply(world, token, op)
    taken = snapshot.snapshot(world)
    wire_text = json.dumps(taken)
    assert json.loads(wire_text) == taken  # the snapshot is plain JSON, nothing lost in transit

    restored = World(VirtualClock(elsewhere), seed=other_seed)
    snapshot.restore(restored, json.loads(wire_text))
    assert snapshot.snapshot(restored) == taken
    assert restored.now() == world.now()

    for op in after:
        apply(world, token, op)
        apply(restored, token, op)
    assert snapshot.snapshot(restored) == snapshot.snapshot(world)


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), runs=st.lists(programs, max_size=3))
def test_reset_gives_the_world_a_full_restore_of_the_genesis_gives(
    seed: int, runs: list[list[tuple[Any, ...]]]
):
    """Reset keeps its genesis checked once; every reset equals a fresh restore and evolves like it.

    Between resets the world changes what it loaded (auths, queues, the RNG, the agenda), so
    this also shows that no reset hands the world objects an earlier one gave it.
    """
    world, token = demo_world(seed)
    control = SimControl(world)
    genesis = json.loads(json.dumps(control.genesis))
    fresh = World(VirtualClock(T0 + timedelta(days=1)), seed=seed ^ 1)
    for run in [*runs, []]:
        control.reset()
        fresh = World(VirtualClock(T0 + timedelta(days=1)), seed=seed ^ 1)
        snapshot.restore(fresh, genesis)
        assert snapshot.snapshot(world) == snapshot.snapshot(fresh) == genesis
        assert world.now() == fresh.now()
        for op in run:
            apply(world, token, op)
            apply(fresh, token, op)
        assert snapshot.snapshot(world) == snapshot.snapshot(fresh)


def test_reset_checks_the_genesis_it_is_given():
    """A damaged genesis is refused at every reset, world unchanged; a new genesis is used."""
    world, _ = demo_world(1)
    before = snapshot.snapshot(world)
    control = SimControl(world, genesis=with_entry(before, "rng", 5))
    for _ in range(2):
        with pytest.raises(BadParameter, match="damaged"):
            control.reset()
        assert snapshot.snapshot(world) == before
    other, _ = demo_world(2)
    control.genesis = snapshot.snapshot(other)
    control.reset()
    assert snapshot.snapshot(world) == control.genesis
    control.genesis = before
    control.reset()
    assert snapshot.snapshot(world) == before


# --- garbage through POST /_sim/restore ---------------------------------------------------


def with_entry(taken: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """``taken`` with the encoded state's entry ``key`` set to ``value``."""
    entries = [[k, value if k == key else v] for k, v in taken["state"]["$dict"]]
    return {**taken, "state": {"$dict": entries}}


def without_entry(taken: dict[str, Any], key: str) -> dict[str, Any]:
    """``taken`` with the encoded state's entry ``key`` left out."""
    entries = [[k, v] for k, v in taken["state"]["$dict"] if k != key]
    return {**taken, "state": {"$dict": entries}}


def garbage_bodies(earlier: dict[str, Any]) -> dict[str, Any]:
    """Bodies that are no snapshot, built from ``earlier`` (a real snapshot of another moment)."""
    return {
        "a list": [earlier],
        "a string": "snapshot",
        "a number": 42,
        "no format": {"state": earlier["state"]},
        "wrong format": {**earlier, "format": WRONG_FORMAT},
        "no state": {"format": earlier["format"]},
        "state not an object": {"format": earlier["format"], "state": 5},
        "empty state": {"format": earlier["format"], "state": {"$dict": []}},
        "unknown type": {"format": earlier["format"], "state": {"$dc": "Nope", "f": {}}},
        "untagged object": {"format": earlier["format"], "state": {"seed": 1}},
        "bad instant": with_entry(earlier, "now", {"$dt": "yesterday"}),
        "locks missing": without_entry(earlier, "locks"),
        "rng damaged": with_entry(earlier, "rng", 5),
        "counters damaged": with_entry(earlier, "counters", "three"),
    }


GARBAGE_CASES = list(garbage_bodies({"format": "x", "state": {"$dict": []}}))  # just the names


@pytest.mark.parametrize("case", GARBAGE_CASES)
async def test_restore_refuses_garbage_and_keeps_the_world(
    case: str, nuki_sim: RunningSimulator, control: ControlClient
):
    """POST /_sim/restore with anything but a whole snapshot → 400 detail body, world unchanged."""
    earlier = (await control.get("/snapshot")).body
    await control.post("/clock/advance", {"seconds": 86_400})
    await control.post("/accounts", {})
    current = (await control.get("/snapshot")).body
    assert current != earlier

    reply = await control.post("/restore", garbage_bodies(earlier)[case])

    assert is_detail_error(reply, 400), (reply.status, reply.body)
    assert (await control.get("/snapshot")).body == current


async def test_restore_refuses_a_body_that_is_not_json(control: ControlClient):
    """POST /_sim/restore with a body that is not JSON → 400 detail body, world unchanged."""
    current = (await control.get("/snapshot")).body
    reply = await control.request("POST", "/restore", data="{not json")
    assert is_detail_error(reply, 400)
    assert (await control.get("/snapshot")).body == current
