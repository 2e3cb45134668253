"""Broken adapters for rules that must hold on every path, each with one plausible bug.

Families from issue "[1/5] A kit that bites": PIN rules checked on create only or on a
normalised string, capacity and uniqueness counted against listed codes only, webhooks
believed without a valid signature, battery thresholds off by one. Each class is the
reference adapter with exactly that bug; ``PROOFS`` says which scenario must catch it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Any

from aiohttp import web

from nuki_sim.adapters.nuki.adapter import SIGNATURE_HEADER
from nuki_sim.adapters.nuki.client import NukiWebClient, RetryPolicy
from nuki_sim.adapters.nuki.devices import DeviceRecord
from nuki_sim.adapters.nuki.factory import ReferenceAdapter
from nuki_sim.adapters.nuki.pending import Pending
from nuki_sim.adapters.nuki.receiver import Receiver
from nuki_sim.adapters.traits import (
    ActionName,
    BatteryStatus,
    PinCodeCredential,
    TraitError,
    TraitErrorCode,
    TraitName,
)
from nuki_sim.conformance.targets import AdapterContext
from tests.kit.broken_adapters import factory
from tests.kit.proof import Proof

MODULE = "tests.kit.broken_rules"
BATTERY_FIELDS = ("batteryCharge", "batteryCritical")


# --- PIN codes checked after trimming or converting them --------------------------------------


class Misjudges(ReferenceAdapter):
    """Runs the reference's rule check on a distorted view, or overrules its verdict: the bug
    lives in :meth:`view` or :meth:`verdict`, the rules themselves stay the reference's."""

    def view(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        known_count: int,
        creating: bool,
    ) -> tuple[PinCodeCredential, list[PinCodeCredential], int]:
        return credential, others, known_count

    def verdict(
        self, error: TraitError | None, credential: PinCodeCredential, creating: bool
    ) -> TraitError | None:
        return error

    def check_credential(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        *,
        creating: bool,
        known_count: int,
    ) -> TraitError | None:
        seen, seen_others, count = self.view(credential, others, known_count, creating)
        error = super().check_credential(seen, seen_others, creating=creating, known_count=count)
        return self.verdict(error, credential, creating)


class NormalisesPin(ReferenceAdapter):
    """Turns the pinCode it was given into "digits" first, then checks and sends those."""

    on_create = True

    def normalise(self, pin: Any) -> Any:
        return pin

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        raw = parameters.get("pinCodeCredential")
        if isinstance(raw, dict) and (self.on_create or name is ActionName.UPDATE_PIN):
            parameters = {
                **parameters,
                "pinCodeCredential": {**raw, "pinCode": self.normalise(raw.get("pinCode"))},
            }
        return super()._plan(record, name, parameters)


class TrimsPin(NormalisesPin):
    """Strips whitespace around the PIN code, as form libraries do."""

    def normalise(self, pin: Any) -> Any:
        return pin.strip() if isinstance(pin, str) else pin


class TrimsPinOnUpdate(TrimsPin):
    """Strips whitespace around the PIN code of an update (creates are checked as given)."""

    on_create = False


class PinThroughInt(NormalisesPin):
    """Reads the PIN code with ``int()``: signs, spaces, a leading 0, any script's digits."""

    def normalise(self, pin: Any) -> Any:
        try:
            return str(int(pin))
        except (TypeError, ValueError):
            return pin


class AcceptsNumber(NormalisesPin):
    """Takes a JSON number as a PIN code by writing it out as a string."""

    def normalise(self, pin: Any) -> Any:
        return str(pin) if isinstance(pin, int) and not isinstance(pin, bool) else pin


class UnicodeDigits(Misjudges):
    """Checks "six digits" with ``str.isdigit``, which full-width and Arabic-Indic digits pass."""

    def view(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        known_count: int,
        creating: bool,
    ) -> tuple[PinCodeCredential, list[PinCodeCredential], int]:
        pin = credential.pin_code
        if pin.isdigit():
            credential = replace(
                credential, pin_code="".join(str(unicodedata.digit(c)) for c in pin)
            )
        return credential, others, known_count


class ChecksZeroIn(Misjudges):
    """Looks for a 0 only in some positions of the PIN code (``looked``: a slice)."""

    looked = slice(None)

    def view(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        known_count: int,
        creating: bool,
    ) -> tuple[PinCodeCredential, list[PinCodeCredential], int]:
        pin = credential.pin_code
        seen = "".join(
            c if i in range(len(pin))[self.looked] else c.replace("0", "1")
            for i, c in enumerate(pin)
        )
        return replace(credential, pin_code=seen), others, known_count


class ZeroNotCheckedLast(ChecksZeroIn):
    """Misses a 0 in the last position (an off-by-one slice)."""

    looked = slice(None, -1)


class ZeroCheckedAtEndsOnly(ChecksZeroIn):
    """Refuses a 0 only as the first or last digit."""

    looked = slice(None, None, 5)


# --- names counted in bytes, or not kept as given ------------------------------------------------


class NameInBytes(Misjudges):
    """Counts a name's length in UTF-8 bytes, so "Müller Größe Küchenß" (25 bytes) is too long."""

    def verdict(
        self, error: TraitError | None, credential: PinCodeCredential, creating: bool
    ) -> TraitError | None:
        if len(credential.name.encode()) > 20:
            return TraitError(TraitErrorCode.VALIDATION, "name over 20 bytes", "name-length")
        return error


class NameAsciiOnly(ReferenceAdapter):
    """Sends names to Nuki in ASCII, each umlaut turned into "?"."""

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        raw = parameters.get("pinCodeCredential")
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            ascii_name = raw["name"].encode("ascii", "replace").decode()
            parameters = {**parameters, "pinCodeCredential": {**raw, "name": ascii_name}}
        return super()._plan(record, name, parameters)


# --- rules checked on create only ------------------------------------------------------------


class RulesOnCreateOnly(Misjudges):
    """Checks no rule at all when a code is updated."""

    def verdict(
        self, error: TraitError | None, credential: PinCodeCredential, creating: bool
    ) -> TraitError | None:
        return error if creating else None


class IgnoresRuleOnUpdate(Misjudges):
    """Lets an update through when the one rule it breaks is ``ignored``."""

    ignored = ""

    def verdict(
        self, error: TraitError | None, credential: PinCodeCredential, creating: bool
    ) -> TraitError | None:
        return None if error is not None and error.rule == self.ignored and not creating else error


def ignoring_on_update(rule: str) -> type[ReferenceAdapter]:
    return type(f"IgnoresOnUpdate_{rule}", (IgnoresRuleOnUpdate,), {"ignored": rule})


class UpdateKeepsOldCode(ReferenceAdapter):
    """Sends an update with the code the lock already holds, so the new one never works."""

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        old = record.known.get(pending.target)
        if pending.kind is ActionName.UPDATE_PIN and pending.credential and old is not None:
            pending = replace(
                pending, credential=replace(pending.credential, pin_code=old.pin_code)
            )
        await super()._send(record, pending)


# --- capacity and uniqueness counted against listed codes only ---------------------------------


def _listed(others: list[PinCodeCredential]) -> list[PinCodeCredential]:
    """The codes Nuki lists: a code still being created has no id yet."""
    return [o for o in others if o.id]


class CapacityCountsListedOnly(Misjudges):
    """Counts the 100-code limit against the listed codes, not creates still on their way."""

    def view(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        known_count: int,
        creating: bool,
    ) -> tuple[PinCodeCredential, list[PinCodeCredential], int]:
        in_flight = len(others) - len(_listed(others))
        return credential, others, known_count - in_flight


class UniqueAgainstListedOnly(Misjudges):
    """Checks uniqueness against the listed codes (on update too: ``on_create``)."""

    on_create = True

    def view(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        known_count: int,
        creating: bool,
    ) -> tuple[PinCodeCredential, list[PinCodeCredential], int]:
        if self.on_create or not creating:
            others = _listed(others)
        return credential, others, known_count


class UpdateUniqueAgainstListedOnly(UniqueAgainstListedOnly):
    """Checks an update's uniqueness against the listed codes only (creates are right)."""

    on_create = False


class PendingUpdatesNotCounted(ReferenceAdapter):
    """Forgets that an update on its way gives its new PIN code to a credential."""

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        device_id = record.device.id
        kept = self.pending.get(device_id, [])
        self.pending[device_id] = [p for p in kept if p.kind is not ActionName.UPDATE_PIN]
        try:
            return super()._plan(record, name, parameters)
        finally:
            self.pending[device_id] = kept


# --- webhooks believed without a valid signature -------------------------------------------------


class AcceptsUnsigned(ReferenceAdapter):
    """Verifies a signature when there is one, and believes a webhook that has none."""

    def verify(self, raw: bytes, signature: str | None) -> bool:
        return not signature or super().verify(raw, signature)


async def accepts_unsigned(ctx: AdapterContext) -> ReferenceAdapter:
    """``AcceptsUnsigned`` behind a receiver that, like it, treats the header as optional
    (the reference receiver turns an unsigned POST away before the adapter sees it)."""

    async def receive(request: web.Request) -> web.Response:
        applied = adapter.receive(await request.read(), request.headers.get(SIGNATURE_HEADER))
        return web.Response(status=204 if applied else 401)

    client = NukiWebClient(ctx.session, ctx.nuki_url, ctx.token, retry=RetryPolicy(base=0.01))
    adapter = AcceptsUnsigned(client, clock=ctx.clock, seed=ctx.seed)
    app = web.Application()
    app.router.add_post("/nuki/webhook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    adapter.receiver = Receiver(runner, f"http://127.0.0.1:{runner.addresses[0][1]}/nuki/webhook")
    await adapter.start(adapter.receiver.url)
    return adapter


class AcceptsAnySignature(ReferenceAdapter):
    """Believes any webhook that carries a signature header, whatever it says."""

    def verify(self, raw: bytes, signature: str | None) -> bool:
        return bool(signature)


# --- battery thresholds off by one ------------------------------------------------------------------


class OwnBatteryRule(ReferenceAdapter):
    """Reads the battery with its own rule instead of the reference mapping."""

    def status(self, charge: int, critical: bool) -> BatteryStatus:
        raise NotImplementedError

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        rest = {k: v for k, v in state.items() if k not in BATTERY_FIELDS}
        super()._apply_status(record, rest, server_state)
        charge = state.get("batteryCharge")
        if isinstance(charge, int):
            status = self.status(charge, bool(state.get("batteryCritical")))
            self._set(record, TraitName.BATTERY_LEVEL, "percentage", charge)
            self._set(record, TraitName.BATTERY_LEVEL, "status", status.value)


class LowAtThirty(OwnBatteryRule):
    """Reports LOW at 30 percent already ("30 or less")."""

    def status(self, charge: int, critical: bool) -> BatteryStatus:
        if critical:
            return BatteryStatus.CRITICAL
        return BatteryStatus.LOW if charge <= 30 else BatteryStatus.NORMAL


class CriticalFromCharge(OwnBatteryRule):
    """Decides CRITICAL from the charge (20 or less) instead of Nuki's batteryCritical flag."""

    def status(self, charge: int, critical: bool) -> BatteryStatus:
        if charge <= 20:
            return BatteryStatus.CRITICAL
        return BatteryStatus.LOW if charge < 30 else BatteryStatus.NORMAL


trims_pin = factory(TrimsPin)
trims_pin_on_update = factory(TrimsPinOnUpdate)
pin_through_int = factory(PinThroughInt)
accepts_number = factory(AcceptsNumber)
unicode_digits = factory(UnicodeDigits)
zero_not_checked_last = factory(ZeroNotCheckedLast)
zero_checked_at_ends_only = factory(ZeroCheckedAtEndsOnly)
name_in_bytes = factory(NameInBytes)
name_ascii_only = factory(NameAsciiOnly)
rules_on_create_only = factory(RulesOnCreateOnly)
ignores_name_length_on_update = factory(ignoring_on_update("name-length"))
ignores_uniqueness_on_update = factory(ignoring_on_update("pin-unique"))
ignores_one_recurring_on_update = factory(ignoring_on_update("one-recurring"))
update_keeps_old_code = factory(UpdateKeepsOldCode)
capacity_counts_listed_only = factory(CapacityCountsListedOnly)
unique_against_listed_only = factory(UniqueAgainstListedOnly)
update_unique_against_listed_only = factory(UpdateUniqueAgainstListedOnly)
pending_updates_not_counted = factory(PendingUpdatesNotCounted)
accepts_any_signature = factory(AcceptsAnySignature)
low_at_thirty = factory(LowAtThirty)
critical_from_charge = factory(CriticalFromCharge)


def _proof(target: str, name: str, *collateral: str) -> Proof:
    return Proof(target, f"{MODULE}:{name}", frozenset(collateral))


UPDATE_FORMAT = "traits.updates.pin-format"
UPDATE_RULES = ("traits.updates.name-length", "traits.updates.unique", "traits.updates.schedules")

PROOFS: list[Proof] = [
    _proof("traits.rules.pin-lookalike", "trims_pin", UPDATE_FORMAT),
    _proof("traits.rules.pin-lookalike", "pin_through_int", UPDATE_FORMAT),
    _proof("traits.rules.pin-lookalike", "accepts_number", UPDATE_FORMAT),
    _proof("traits.rules.pin-lookalike", "unicode_digits", UPDATE_FORMAT),
    _proof("traits.rules.pin-zero-anywhere", "zero_not_checked_last", UPDATE_FORMAT),
    _proof(
        "traits.rules.pin-zero-anywhere",
        "zero_checked_at_ends_only",
        "traits.rules.pin-format",
        UPDATE_FORMAT,
    ),
    _proof("traits.rules.name-characters", "name_in_bytes", "traits.updates.valid"),
    _proof("traits.rules.name-characters", "name_ascii_only", "traits.updates.valid"),
    _proof(
        UPDATE_FORMAT, "rules_on_create_only", *UPDATE_RULES, "traits.rules.unique-pending-update"
    ),
    _proof(UPDATE_FORMAT, "trims_pin_on_update"),
    _proof("traits.updates.name-length", "ignores_name_length_on_update"),
    _proof(
        "traits.updates.unique",
        "ignores_uniqueness_on_update",
        "traits.rules.unique-pending-update",
    ),
    _proof("traits.updates.schedules", "ignores_one_recurring_on_update"),
    _proof("traits.updates.valid", "update_keeps_old_code", "traits.sync.update"),
    _proof("traits.rules.capacity-pending", "capacity_counts_listed_only"),
    _proof(
        "traits.rules.unique-pending",
        "unique_against_listed_only",
        "traits.rules.unique-pending-update",
    ),
    _proof("traits.rules.unique-pending-update", "update_unique_against_listed_only"),
    _proof("traits.rules.unique-after-update", "pending_updates_not_counted"),
    _proof("traits.webhooks.signature", "accepts_unsigned"),
    _proof("traits.webhooks.signature", "accepts_any_signature"),
    _proof("traits.battery.thresholds", "low_at_thirty"),
    _proof("traits.battery.thresholds", "critical_from_charge"),
]
