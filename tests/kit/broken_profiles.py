"""Broken implementations that are right under one cloud behaviour profile only.

The seed says a new code is listed (and DEVICE_AUTHS sent) at the lock's daily sync; Nuki's
docs say within minutes, with duplicates of pending codes refused at once. An integration
written against one description breaks when the cloud behaves the other way, and the kit run
under that other profile must say so. Each adapter here is the reference with one such
assumption; each simulator patch breaks one nuki-docs promise. ``PROOFS`` and
``BROKEN_SIMULATORS`` name the scenario (and the profile) that must catch each.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

import pytest

from nuki_sim.adapters.nuki import mapping
from nuki_sim.adapters.nuki.client import NukiError
from nuki_sim.adapters.nuki.devices import DeviceRecord
from nuki_sim.adapters.nuki.factory import ReferenceAdapter
from nuki_sim.adapters.nuki.pending import Pending
from nuki_sim.adapters.traits import Action, ActionName, TraitName
from nuki_sim.simulator.domain import lifecycle
from nuki_sim.simulator.domain.model import CreateAuth, Lock
from nuki_sim.simulator.domain.sync import CloudSync
from nuki_sim.simulator.domain.world import World
from tests.kit.broken_adapters import factory
from tests.kit.broken_simulators import Patch
from tests.kit.proof import Proof

MODULE = __name__

# --- adapters right under nuki-docs only: they trust the listing to catch up in minutes ---


class ResendsAfterMinutes(ReferenceAdapter):
    """Nuki's docs say a change is listed within minutes: on refresh, a pending create that
    is still not listed ten minutes after it was sent is taken as lost and sent again.

    Right under nuki-docs (listed after seconds); under the seed the listing waits for the
    daily sync, so the "lost" code is on the lock already and the repair sends it twice.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent_at: dict[str, datetime] = {}

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        self.sent_at[pending.action_id] = self.clock.now()
        await super()._send(record, pending)

    async def refresh(self) -> None:
        await super().refresh()
        now = self.clock.now()
        for device_id, pendings in self.pending.items():
            record = self.records[device_id]
            listed = {c.pin_code for c in record.known.values()}
            for pending in pendings:
                credential, sent = pending.credential, self.sent_at.get(pending.action_id)
                if credential is None or pending.kind is not ActionName.CREATE_PIN:
                    continue
                late = sent is not None and now - sent > timedelta(minutes=10)
                if late and credential.pin_code not in listed:
                    with contextlib.suppress(NukiError):
                        await self.client.create_auth(
                            record.smartlock_id, mapping.auth_body(credential)
                        )


# --- adapters right under the seed only ----------------------------------------------------


class WaitsForTheSync(ReferenceAdapter):
    """The seed says DEVICE_AUTHS follows the daily sync: one arriving within five minutes of a
    write to the lock is taken for stale news of an earlier sync and ignored.

    It knows the seed's other case: a lock that was offline reports at its reconnect. Right
    under the seed; under nuki-docs the report comes seconds after the write, is dropped, and
    the action never resolves.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_write: dict[str, datetime] = {}
        self.offline: set[str] = set()

    async def execute(
        self, device_id: str, trait: TraitName, name: ActionName, parameters: dict[str, Any]
    ) -> Action:
        if trait is TraitName.BETA_PIN_CODE_CREDENTIALS and device_id not in self.offline:
            self.last_write[device_id] = self.clock.now()
        return await super().execute(device_id, trait, name, parameters)

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        device_id = record.device.id
        if isinstance(server_state, int) and server_state != 0:
            self.offline.add(device_id)
        elif server_state == 0 and device_id in self.offline:
            self.offline.discard(device_id)  # the reconnect reports what ran: listen again
            self.last_write.pop(device_id, None)
        super()._apply_status(record, state, server_state)

    def on_nuki_event(self, payload: dict[str, Any]) -> None:
        if payload.get("feature") == "DEVICE_AUTHS":
            lock = str((payload.get("smartlockAuth") or {}).get("smartlockId"))
            written = self.last_write.get(lock)
            if written is not None and self.clock.now() - written < timedelta(minutes=5):
                return
        super().on_nuki_event(payload)


class IgnoresConflicts(ReferenceAdapter):
    """Under the seed a duplicate the cloud cannot see yet is accepted and refused later by
    the lock, so it takes a 409 at create for "already there" and waits for Nuki's report.

    Under nuki-docs the 409 is the refusal: no report follows, and the action stays pending.
    """

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        try:
            await super()._send(record, pending)
        except NukiError as exc:
            if exc.status != 409 or pending.kind is not ActionName.CREATE_PIN:
                raise


resends_after_minutes = factory(ResendsAfterMinutes)
waits_for_the_sync = factory(WaitsForTheSync)
ignores_conflicts = factory(IgnoresConflicts)

PROOFS = [
    Proof("traits.once.refresh", f"{MODULE}:resends_after_minutes"),  # seed
    Proof("traits.sync.create-listed", f"{MODULE}:waits_for_the_sync",
          frozenset({"traits.sync.update-listed", "traits.sync.delete-listed",
                     "traits.once.refresh-listed"}), profile="nuki-docs"),
    Proof("traits.sync.duplicate-refused", f"{MODULE}:ignores_conflicts",
          frozenset({"traits.offline.duplicate"}), profile="nuki-docs"),
    Proof("traits.once.refresh-listed", "tests.kit.broken_twice:resends_unseen_creates",
          profile="nuki-docs"),
]  # fmt: skip


# --- simulators that break a nuki-docs promise ----------------------------------------------


def never_propagates(mp: pytest.MonkeyPatch) -> None:
    """Applied writes are listed at the sync only, as under the seed."""
    mp.setattr(CloudSync, "run_propagate", lambda self, job, at: None)


def propagates_silently(mp: pytest.MonkeyPatch) -> None:
    """Applied writes are listed after the delay, but no DEVICE_AUTHS is sent for them."""

    def run_propagate(self: CloudSync, job: Any, at: datetime) -> None:
        lock = self.ctx.locks.get(job.smartlock_id)
        if lock is not None:
            lifecycle.propagate(lock, job.operation_id)

    mp.setattr(CloudSync, "run_propagate", run_propagate)


def lists_at_request_time(mp: pytest.MonkeyPatch) -> None:
    """A create is listed the moment it is accepted, before the lock has it (too early even
    for Nuki's docs): caught by api.sync.create-listed's check right after the 204."""
    accept = CloudSync.enqueue

    def enqueue(self: CloudSync, lock: Lock, command: Any) -> None:
        accept(self, lock, command)
        if isinstance(command, CreateAuth):
            lock.cloud.auths[command.auth.id] = command.auth
            lock.cloud.version += 1

    mp.setattr(CloudSync, "enqueue", enqueue)


def pending_not_counted(mp: pytest.MonkeyPatch) -> None:
    """Duplicate checks see only what is listed, pending writes not (the seed's cloud)."""

    def listed_only(self: World, lock: Lock) -> dict[int, str]:
        return lifecycle.keypad_codes(lock)

    mp.setattr(World, "cloud_keypad_codes", listed_only)


DOCS_PROPAGATION = frozenset(
    {"api.webhooks.auths-at-change", "api.rules.duplicate-pending", "api.sync.delete-unlisted"}
)
# scenario id → (the broken behaviour, scenarios it may take down with it); run under nuki-docs
BROKEN_SIMULATORS: dict[str, tuple[Patch, frozenset[str]]] = {
    "api.sync.create-listed": (never_propagates, DOCS_PROPAGATION),
    "api.webhooks.auths-at-change": (propagates_silently, frozenset()),
    "api.rules.duplicate-pending": (pending_not_counted, frozenset({"api.offline.duplicate-refused"})),
    "api.offline.duplicate-refused": (pending_not_counted, frozenset({"api.rules.duplicate-pending"})),
}  # fmt: skip
