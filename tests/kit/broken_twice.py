"""Broken adapters that send a command twice, or give up on one whose answer was lost.

Family 5 of "a kit that bites": each is a small subclass of the reference adapter with one
realistic mistake, and ``features/traits/commands_once.feature`` must reject it.
"""

from __future__ import annotations

import contextlib

from nuki_sim.adapters.nuki import mapping
from nuki_sim.adapters.nuki.client import NukiError, NukiOutcomeUnknown
from nuki_sim.adapters.nuki.devices import DeviceRecord
from nuki_sim.adapters.nuki.factory import ReferenceAdapter
from nuki_sim.adapters.nuki.pending import Pending
from nuki_sim.adapters.traits import ActionName, ActionStatus, TraitError, TraitErrorCode
from tests.kit.broken_adapters import factory
from tests.kit.proof import Proof


class ResendsUnseenCreates(ReferenceAdapter):
    """On refresh, "repairs" every pending create the listing does not show by sending it again.

    The daily sync hides a new code from the listing for up to a day, so the repair sends a
    code that is already on the lock.
    """

    async def refresh(self) -> None:
        await super().refresh()
        for device_id, pendings in self.pending.items():
            record = self.records[device_id]
            listed = {c.pin_code for c in record.known.values()}
            for pending in pendings:
                credential = pending.credential
                if credential is None or pending.kind is not ActionName.CREATE_PIN:
                    continue
                if credential.pin_code not in listed:
                    with contextlib.suppress(NukiError):  # "already there", it hopes
                        await self.client.create_auth(
                            record.smartlock_id, mapping.auth_body(credential)
                        )


class RetriesLostWrites(ReferenceAdapter):
    """Its client sends a write again when the connection dropped before the answer came."""

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        try:
            await super()._send(record, pending)
        except NukiOutcomeUnknown:
            await super()._send(record, pending)


class GivesUpOnLostAnswers(ReferenceAdapter):
    """Ends a write whose answer was lost as FAILED, although Nuki may well have done it."""

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        try:
            await super()._send(record, pending)
        except NukiOutcomeUnknown as exc:
            self._drop(record.device.id, pending)
            error = TraitError(TraitErrorCode.EXECUTION, f"no answer: {exc}", "unavailable")
            self._finish(self.actions[pending.action_id], ActionStatus.FAILED, error)


resends_unseen_creates = factory(ResendsUnseenCreates)
retries_lost_writes = factory(RetriesLostWrites)
gives_up_on_lost_answers = factory(GivesUpOnLostAnswers)

PROOFS = [
    Proof("traits.once.refresh", f"{__name__}:resends_unseen_creates"),
    Proof("traits.once.dropped-create", f"{__name__}:retries_lost_writes"),
    Proof("traits.once.dropped-create", f"{__name__}:gives_up_on_lost_answers"),
]
