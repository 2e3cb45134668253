"""Deliberately broken Nuki Web behaviours, one documented rule each, for the API-level suite.

Each entry patches the simulator the kit starts in-process (with pytest's ``monkeypatch``)
so that exactly one rule no longer holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from nuki_sim.simulator.domain import api, device, rules, wire
from nuki_sim.simulator.domain.errors import Unprocessable
from nuki_sim.simulator.domain.events import DeviceEvents
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.sync import CloudSync
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http import faults, parse

Patch = Callable[[pytest.MonkeyPatch], None]


def accepts_any_code(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(rules, "check_code", lambda code: int(str(code)) if str(code).isdigit() else 0)


def accepts_long_names(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(rules, "KEYPAD_NAME_MAX", 32)


def cloud_sees_no_duplicates(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(World, "cloud_keypad_codes", lambda self, lock: {})


def drops_favorite(mp: pytest.MonkeyPatch) -> None:
    original = wire.smartlock

    def smartlock(lock: Lock) -> dict[str, Any]:
        body = original(lock)
        body.pop("favorite", None)
        return body

    mp.setattr(wire, "smartlock", smartlock)


def lists_a_malformed_code(mp: pytest.MonkeyPatch) -> None:
    from nuki_sim.simulator.http import nuki_ops

    original = nuki_ops.encoded_auths  # what the listings answer with

    def encoded_auths(items: Any) -> bytes:
        listed = json.loads(original(items))
        if listed:
            bogus = {**listed[0], "id": "0" * 24, "type": 13, "code": 34567, "name": "Five digits"}
            listed.append(bogus)
        return json.dumps(listed).encode()

    mp.setattr(nuki_ops, "encoded_auths", encoded_auths)


def any_token_works(mp: pytest.MonkeyPatch) -> None:
    original = api.open_session

    def open_session(world: World, authorization: str | None) -> api.Session:
        token = next(iter(world.tokens))
        return original(world, f"Bearer {token}")

    mp.setattr(api, "open_session", open_session)
    mp.setattr("nuki_sim.simulator.http.nuki_ops.open_session", open_session)


def lists_on_push(mp: pytest.MonkeyPatch) -> None:
    original = CloudSync._apply

    def apply(self: CloudSync, lock: Lock, command: Any) -> Any:
        outcome = original(self, lock, command)
        self.sync(lock)
        return outcome

    mp.setattr(CloudSync, "_apply", apply)


def forgets_offline_writes(mp: pytest.MonkeyPatch) -> None:
    original = World.enqueue

    def enqueue(self: World, lock: Lock, command: Any) -> None:
        if lock.device.online:
            original(self, lock, command)

    mp.setattr(World, "enqueue", enqueue)


def device_takes_duplicates(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(device, "keypad_codes", lambda dev: {})


def auths_webhook_on_push(mp: pytest.MonkeyPatch) -> None:
    original = CloudSync._apply

    def apply(self: CloudSync, lock: Lock, command: Any) -> Any:
        before, errors = dict(lock.cloud.auths), dict(lock.cloud.errors)
        outcome = original(self, lock, command)
        shown = dict(before)
        shown.update(lock.device.auths)
        lock.cloud.auths, saved = shown, lock.cloud.auths
        self.notifier.auth_changes(lock, before, errors)
        lock.cloud.auths = saved
        return outcome

    mp.setattr(CloudSync, "_apply", apply)


def silent_reconnect(mp: pytest.MonkeyPatch) -> None:
    original = DeviceEvents.set_online

    def set_online(self: DeviceEvents, lock: Lock, online: bool) -> Any:
        notifier: Any = self.notifier
        notifier.auth_changes = lambda *args: None
        try:
            return original(self, lock, online)
        finally:
            del notifier.auth_changes

    mp.setattr(DeviceEvents, "set_online", set_online)


def _update_skips(field: str) -> Patch:
    """An update whose ``field`` is taken as sent, unchecked (only creates are checked)."""

    def patch(mp: pytest.MonkeyPatch) -> None:
        original = parse.auth_changes

        def auth_changes(raw: object, **options: Any) -> Any:
            body = dict(raw) if isinstance(raw, dict) else raw
            value = body.pop(field, None) if isinstance(body, dict) else None
            changes = original(body, **options)
            return replace(changes, **{field: value}) if value is not None else changes

        mp.setattr(parse, "auth_changes", auth_changes)

    return patch


update_skips_code_rules = _update_skips("code")
update_skips_name_rules = _update_skips("name")


def counts_name_bytes(mp: pytest.MonkeyPatch) -> None:
    """Counts a keypad code name's UTF-8 bytes instead of its characters."""
    original = rules.check_name

    def check_name(name: str, *, keypad: bool) -> str:
        if keypad and len(name.encode("utf-8")) > rules.KEYPAD_NAME_MAX:
            raise Unprocessable(f"keypad code names are at most {rules.KEYPAD_NAME_MAX} bytes")
        return original(name, keypad=keypad)

    mp.setattr(rules, "check_name", check_name)


def drops_before_applying(mp: pytest.MonkeyPatch) -> None:
    """Takes a rule's ``drop: "after"`` for ``drop: true``: the request is never applied."""
    original = faults.Faults.add

    def add(self: faults.Faults, raw: object) -> faults.Fault:
        fault = original(self, raw)
        if fault.drop == faults.DROP_AFTER:
            fault.drop = faults.DROP_BEFORE
        return fault

    mp.setattr(faults.Faults, "add", add)


# scenario id → (the broken behaviour that must make it fail, other scenarios it may take
# down with it because they rest on the same behaviour)
BROKEN: dict[str, tuple[Patch, frozenset[str]]] = {
    "api.rules.code-format": (accepts_any_code, frozenset({"api.rules.update-code-format"})),
    "api.rules.name-length": (accepts_long_names, frozenset({"api.rules.update-name-length"})),
    "api.rules.duplicate": (cloud_sees_no_duplicates, frozenset()),
    "api.read.smartlocks": (drops_favorite, frozenset()),
    "api.read.auths": (lists_a_malformed_code, frozenset()),
    "api.read.unauthorized": (any_token_works, frozenset()),
    "api.sync.create-invisible": (
        lists_on_push,
        frozenset({"api.sync.delete-listed", "api.webhooks.auths-after-sync"}),
    ),
    "api.offline.queue": (
        forgets_offline_writes,
        frozenset({"api.offline.duplicate", "api.webhooks.offline-result"}),
    ),
    "api.offline.duplicate": (device_takes_duplicates, frozenset()),
    "api.webhooks.auths-after-sync": (auths_webhook_on_push, frozenset()),
    "api.webhooks.offline-result": (silent_reconnect, frozenset()),
    "api.rules.update-code-format": (update_skips_code_rules, frozenset()),
    "api.rules.update-name-length": (update_skips_name_rules, frozenset()),
    "api.rules.name-characters": (counts_name_bytes, frozenset()),
    "api.faults.applied-then-dropped": (drops_before_applying, frozenset()),
}
