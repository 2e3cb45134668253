"""A Hypothesis state machine drives the domain core and checks it against a small model.

Random keypad-code writes (valid and invalid codes, duplicates, names up to 25 characters) on
two keypad locks and one without a keypad, mixed with connectivity flips, clock advances from
seconds to two days, manual syncs and keypad entries. After every step the device must hold
exactly what :class:`~tests.robustness.keypad_model.ModelLock` says; after every sync the
cloud's listing must show it too. No HTTP: the world is called directly.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from nuki_sim.simulator.domain.api import Session, open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.device import keypad_codes
from nuki_sim.simulator.domain.errors import SimError
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.nuki_ops import create_auth, update_auth
from tests.robustness.keypad_model import Command, ModelLock

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CAPACITY = 5
LOCKS = 3  # the demo's second lock has no keypad
KEYPAD = 13
NAME_MAX = 20
TWO_DAYS = 2 * 24 * 3600
PUSH_SECONDS = int(SimConfig().push_delay)
VALID_CODES = [345678, 456789, 567891, 678912, 789123, 891234, 913456]
INVALID_CODES = [123456, 345670, 34567, 3456789]  # prefix 12, a zero, too short, too long
EXAMPLES, STEPS = 100, 50
NO_CONTENT, BAD, CONFLICT, UNPROCESSABLE, LOCKED = 204, 400, 409, 422, 423

lock_index = st.integers(0, LOCKS - 1)
codes = st.sampled_from(VALID_CODES + INVALID_CODES)
names = st.text(string.ascii_letters + " ", max_size=24).map(lambda rest: "K" + rest)  # 1–25
seconds = st.one_of(st.integers(1, 10), st.integers(1, TWO_DAYS))
picks = st.integers(0, 1000)


def valid_code(code: int) -> bool:
    text = str(code)
    return len(text) == 6 and "0" not in text and not text.startswith("12")


def status_of(call: Callable[..., object], *args: object) -> int:
    """The HTTP status ``call(*args)`` would answer with."""
    try:
        call(*args)
    except SimError as error:
        return error.status
    return NO_CONTENT


class KeypadMachine(RuleBasedStateMachine):
    """Random keypad-code traffic and world events, checked step by step against ModelLock."""

    world: World
    session: Session
    locks: list[Lock]
    models: list[ModelLock]

    @initialize(seed=st.integers(0, 2**16))
    def build(self, seed: int) -> None:
        self.world = World(VirtualClock(T0), seed=seed, config=SimConfig(max_keypad_codes=CAPACITY))
        demo = build_demo(self.world, locks=LOCKS)
        self.session = open_session(self.world, f"Bearer {demo.token.token}")
        self.locks = demo.locks
        self.last_updated: dict[int, str] = {}
        self.models = [
            ModelLock(
                smartlock_id=lk.smartlock_id,
                keypad=lk.device.keypad_paired,
                capacity=CAPACITY,
                sync_minute=lk.sync_minute,
                device=self.device_codes(lk),
            )
            for lk in self.locks
        ]

    # --- helpers ---------------------------------------------------------------------------

    def device_codes(self, lock: Lock) -> dict[str, tuple[int, str]]:
        auths = lock.device.auths.values()
        return {a.id: (a.code, a.name) for a in auths if a.type == KEYPAD and a.code is not None}

    def listing(self, index: int) -> dict[str, tuple[int, str, bool]]:
        """The keypad codes ``GET /smartlock/{id}/auth`` lists: id → (code, name, has error)."""
        items = self.session.auths(self.locks[index])
        return {
            i.auth.id: (i.auth.code or 0, i.auth.name, i.error is not None)
            for i in items
            if i.auth.type == AuthType.KEYPAD_CODE
        }

    def pick(self, index: int, pick: int) -> str | None:
        ids = sorted(self.listing(index))
        return ids[pick % len(ids)] if ids else None

    # --- API writes -------------------------------------------------------------------------

    @rule(index=lock_index, code=codes, name=names)
    def create(self, index: int, code: int, name: str) -> None:
        self.create_code(index, code, name)

    @rule(index=lock_index, pick=picks, name=names)
    def create_existing_code(self, index: int, pick: int, name: str) -> None:
        on_device = sorted(self.models[index].codes())
        if on_device:
            self.create_code(index, on_device[pick % len(on_device)], name)

    @rule(index=lock_index, pick=picks, name=names)
    def create_pending_code(self, index: int, pick: int, name: str) -> None:
        """A code still on its way to the lock: the cloud cannot see it, the lock refuses it."""
        queued = [c.code for c in self.models[index].pending if c.code is not None]
        if queued:
            self.create_code(index, queued[pick % len(queued)], name)

    def create_code(self, index: int, code: int, name: str) -> None:
        lock, model = self.locks[index], self.models[index]
        listed = model.listed_codes(self.listing(index))
        expected = NO_CONTENT
        if len(name) > NAME_MAX:
            expected = UNPROCESSABLE
        elif not valid_code(code) or not model.keypad:
            expected = BAD
        elif code in listed or len(listed) >= CAPACITY:
            expected = CONFLICT
        before = set(lock.cloud.operations)
        body = {"name": name, "type": KEYPAD, "code": code}
        assert status_of(create_auth, self.session, lock.smartlock_id, body) == expected
        if expected == NO_CONTENT:
            (new_id,) = set(lock.cloud.operations) - before  # the 204 carries no id
            model.pending.append(Command("create", new_id, self.world.now(), code, name))
            model.created.add(new_id)

    @rule(index=lock_index, pick=picks, code=st.none() | codes, name=st.none() | names)
    def update(self, index: int, pick: int, code: int | None, name: str | None) -> None:
        self.update_code(index, pick, code, name)

    @rule(index=lock_index, pick=picks, which=picks)
    def update_to_unlisted_code(self, index: int, pick: int, which: int) -> None:
        """A code the lock holds but the cloud has not listed yet: the lock refuses it."""
        unlisted = sorted(
            set(self.models[index].codes()) - {c for c, _, _ in self.listing(index).values()}
        )
        if unlisted:
            self.update_code(index, pick, unlisted[which % len(unlisted)], None)

    @rule(index=lock_index, name=names)
    def update_again(self, index: int, name: str) -> None:
        """Change the code changed last once more (fact sheet §8: rapid successive updates)."""
        last = self.last_updated.get(index)
        if last is not None and last in self.listing(index):
            self.update_code(index, None, None, name, target=last)

    def update_code(
        self,
        index: int,
        pick: int | None,
        code: int | None,
        name: str | None,
        target: str | None = None,
    ) -> None:
        lock, model = self.locks[index], self.models[index]
        target = target or self.pick(index, pick or 0)
        if target is None:
            return
        listed = model.listed_codes(self.listing(index))
        expected = NO_CONTENT
        if name is not None and len(name) > NAME_MAX:
            expected = UNPROCESSABLE
        elif code is not None and not valid_code(code):
            expected = BAD
        elif model.busy(target):
            expected = LOCKED
        elif code is not None and listed.get(code, target) != target:
            expected = CONFLICT
        body = {k: v for k, v in (("name", name), ("code", code)) if v is not None}
        assert status_of(update_auth, self.session, lock.smartlock_id, target, body) == expected
        if expected == NO_CONTENT:
            model.pending.append(Command("update", target, self.world.now(), code, name))
            self.last_updated[index] = target

    @rule(index=lock_index, pick=picks)
    def delete(self, index: int, pick: int) -> None:
        lock, model = self.locks[index], self.models[index]
        target = self.pick(index, pick)
        if target is None:
            return
        expected = LOCKED if model.busy(target) else NO_CONTENT
        assert status_of(self.session.delete_auths, [(lock.smartlock_id, target)]) == expected
        if expected == NO_CONTENT:
            model.pending.append(Command("delete", target, self.world.now()))

    # --- the world moving on ------------------------------------------------------------------

    @rule(index=lock_index)
    def flip_connectivity(self, index: int) -> None:
        online = not self.models[index].online
        self.world.set_online(self.locks[index], online)
        self.models[index].set_online(online)

    @rule(delta=seconds)
    def advance(self, delta: int) -> None:
        start = self.world.now()
        self.world.advance(timedelta(seconds=delta))
        push_delay = timedelta(seconds=self.world.config.push_delay)
        for model in self.models:
            model.advance(start, self.world.now(), push_delay)

    @rule(index=lock_index)
    def sync(self, index: int) -> None:
        model = self.models[index]
        assert self.world.sync(self.locks[index]) == model.online
        if model.online:
            model.deliver()
            self.check_listing(index)

    @rule(index=lock_index, pick=picks, typed=codes, known=st.booleans())
    def keypad_entry(self, index: int, pick: int, typed: int, known: bool) -> None:
        model = self.models[index]
        on_device = sorted(model.codes())
        code = on_device[pick % len(on_device)] if known and on_device else typed
        opened, reason = self.world.keypad_entry(self.locks[index], code)
        if opened:
            assert code in model.codes()
        if model.keypad:
            assert (reason == "unknown code") == (code not in model.codes())

    # --- what must always hold ------------------------------------------------------------------

    @invariant()
    def device_holds_what_the_model_replayed(self) -> None:
        for lock, model in zip(self.locks, self.models, strict=True):
            held = self.device_codes(lock)
            assert held == model.device
            assert len(held) <= CAPACITY
            assert len({code for code, _ in held.values()}) == len(held)
            assert len(lock.cloud.queue) == len(model.pending)
            # The device's code index (kept by its writers) is what a fresh walk would find.
            fresh = {c: i for i, (c, _) in held.items()}
            assert keypad_codes(lock.device) == fresh

    def check_listing(self, index: int) -> None:
        """Right after a sync: the listing shows the device, failures carry an error."""
        model, listing = self.models[index], self.listing(index)
        clean, listed, errored = model.expected_listing()
        assert set(listing) == listed
        assert {i: (c, n) for i, (c, n, e) in listing.items() if not e} == clean
        assert {i for i, (_, _, e) in listing.items() if e} == errored
        on_device = set(self.device_codes(self.locks[index]))
        assert model.created <= on_device | errored | model.deleted  # nothing accepted is lost


def test_keypad_codes_follow_the_model():
    """Random API writes, outages, time and syncs never break the keypad-code invariants."""
    run_state_machine_as_test(
        KeypadMachine,
        settings=settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None),
    )


def test_a_later_success_clears_an_error_reported_late():
    """An update refused by the lock, then a successful one made while it was offline, leaves no error after the sync."""
    machine = KeypadMachine()
    machine.build(seed=1)
    machine.create(0, VALID_CODES[0], "Pending")
    machine.advance(PUSH_SECONDS)  # on the lock, not yet listed
    machine.update_to_unlisted_code(0, 0, 0)
    machine.advance(PUSH_SECONDS)  # the lock refuses the update: the code is taken
    model = machine.models[0]
    assert model.errors == {machine.last_updated[0]}
    machine.flip_connectivity(0)
    machine.update_again(0, "Renamed")
    assert len(model.pending) == 1
    machine.flip_connectivity(0)  # the rename reaches the lock and is reported at once
    machine.device_holds_what_the_model_replayed()
    machine.sync(0)  # the refused update's outcome is reported only now
    assert not model.errors


def test_a_refused_change_to_a_failed_create_keeps_it_listed():
    """Found by the machine above: a duplicate create fails on the lock and is listed with its
    error; an update to that record, refused by the lock, must not make it vanish (it stays
    listed, with an error, until it is deleted)."""
    machine = KeypadMachine()
    machine.build(seed=0)
    machine.create(code=345678, index=2, name="K")
    machine.create(code=345678, index=2, name="K")  # the same code: refused on the lock
    machine.sync(index=2)
    model = machine.models[2]
    assert len(model.failed_creates) == 1
    failed = next(iter(model.failed_creates))
    listed = machine.listing(2)
    assert listed[failed][2]  # listed, with an error
    machine.update(code=None, index=2, name=None, pick=sorted(listed).index(failed))
    machine.sync(index=2)  # checks the whole listing against the model
    assert machine.listing(2)[failed][2]
