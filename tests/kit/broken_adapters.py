"""Deliberately broken trait adapters: each breaks one documented rule of the reference.

Every factory here is a small subclass of the reference adapter that gets exactly one thing
wrong. ``tests/kit/test_suite_bites.py`` runs the kit against each and checks that the
scenario guarding that rule fails while every other scenario still passes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from nuki_sim.adapters import inputs
from nuki_sim.adapters.nuki.devices import DeviceRecord
from nuki_sim.adapters.nuki.factory import ReferenceAdapter, build_adapter
from nuki_sim.adapters.nuki.pending import Pending, Rejected
from nuki_sim.adapters.traits import Action, ActionName, ActionStatus, TraitName
from nuki_sim.conformance.targets import AdapterContext

Factory = Callable[[AdapterContext], Awaitable[ReferenceAdapter]]


def factory(cls: type[ReferenceAdapter]) -> Factory:
    async def build(ctx: AdapterContext) -> ReferenceAdapter:
        return await build_adapter(ctx, cls)

    return build


# --- rules skipped before sending -----------------------------------------------------------


class IgnoresRule(ReferenceAdapter):
    """Sends a credential although one named rule says no."""

    ignored = ""

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        try:
            return super()._plan(record, name, parameters)
        except Rejected as exc:
            if exc.error.rule != self.ignored:
                raise
            creating = name is ActionName.CREATE_PIN
            credential = inputs.credential(
                parameters.get("pinCodeCredential"), need_id=not creating
            )
            return Pending("", name, credential=credential, target=credential.id)


def ignoring(rule: str) -> Factory:
    return factory(type(f"Ignores_{rule}", (IgnoresRule,), {"ignored": rule}))


ignores_length = ignoring("pin-length")
ignores_zero = ignoring("pin-no-zero")
ignores_prefix_12 = ignoring("pin-not-12")
ignores_name_length = ignoring("name-length")
ignores_uniqueness = ignoring("pin-unique")
ignores_capacity = ignoring("capacity")
ignores_one_temporary = ignoring("one-temporary")
ignores_one_recurring = ignoring("one-recurring")


class TooStrict(ReferenceAdapter):
    """Rejects valid codes that start with 2 (an over-eager reading of the 12 rule)."""

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        pin = str((parameters.get("pinCodeCredential") or {}).get("pinCode", ""))
        if pin.startswith("2"):
            raise Rejected("pin-not-12", "codes cannot start with 2")
        return super()._plan(record, name, parameters)


class ExclusiveSchedules(ReferenceAdapter):
    """Refuses a code with both a temporary and a recurring schedule."""

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        credential = parameters.get("pinCodeCredential") or {}
        if credential.get("temporarySchedules") and credential.get("recurringSchedules"):
            raise Rejected("exclusive", "one kind of schedule per code")
        return super()._plan(record, name, parameters)


# --- the lifecycle rushed or never finished ------------------------------------------------------


class ResolvesAtOnce(ReferenceAdapter):
    """Calls an action done when Nuki answers 204, not when Nuki says it is done."""

    async def execute(
        self, device_id: str, trait: TraitName, name: ActionName, parameters: dict[str, Any]
    ) -> Action:
        action = await super().execute(device_id, trait, name, parameters)
        if action.status is ActionStatus.PENDING:
            record = self.records[device_id]
            pending = next(p for p in self.pending[device_id] if p.action_id == action.id)
            self._settle(record, pending, ActionStatus.RESOLVED)
        return action


class ReportsAtOnce(ReferenceAdapter):
    """Reports a new credential as soon as it is sent, before Nuki's sync shows it."""

    async def execute(
        self, device_id: str, trait: TraitName, name: ActionName, parameters: dict[str, Any]
    ) -> Action:
        action = await super().execute(device_id, trait, name, parameters)
        if action.status is ActionStatus.PENDING and name is ActionName.CREATE_PIN:
            record = self.records[device_id]
            credential = inputs.credential(parameters["pinCodeCredential"], need_id=False)
            record.known[f"eager-{action.id}"] = replace(credential, id=f"eager-{action.id}")
            self._set(
                record,
                TraitName.BETA_PIN_CODE_CREDENTIALS,
                "pinCodeCredentials",
                record.credential_list(),
            )
        return action


class SettlesBeforeReporting(ReferenceAdapter):
    """Resolves the action first and reports the new credential list afterwards."""

    def _apply_auth(self, record: DeviceRecord, auth: dict[str, Any], deleted: bool) -> None:
        verdict = self._credential_verdict(record, auth, deleted)
        if verdict is not None:
            pending, status, failure, result = verdict
            self._settle(record, pending, status, failure, result)
        super()._apply_auth(record, auth, deleted)


class IgnoresNukiErrors(ReferenceAdapter):
    """Treats a DEVICE_AUTHS record that carries Nuki's ``error`` as success."""

    def on_nuki_event(self, payload: dict[str, Any]) -> None:
        auth = payload.get("smartlockAuth")
        if isinstance(auth, dict) and auth.get("error"):
            payload = {**payload, "smartlockAuth": {k: v for k, v in auth.items() if k != "error"}}
        super().on_nuki_event(payload)


class IgnoresLockStatus(ReferenceAdapter):
    """Never learns the lock's state from DEVICE_STATUS, so lock actions never resolve."""

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        super()._apply_status(
            record, {k: v for k, v in state.items() if k != "state"}, server_state
        )


class NeverSeesLocked(ReferenceAdapter):
    """Misses the locked state, so a lock action (but not an unlock) never resolves."""

    def _lock_pending(self, record: DeviceRecord, locked: bool) -> Pending | None:
        return None if locked else super()._lock_pending(record, locked)


class IgnoresConnectivity(ReferenceAdapter):
    """Never updates connectivity after start-up."""

    started = False

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        super()._apply_status(record, state, None if self.started else server_state)

    async def start(self, webhook_url: str | None = None) -> None:
        await super().start(webhook_url)
        self.started = True


class NeverLow(ReferenceAdapter):
    """Reports LOW battery as NORMAL."""

    def _set(
        self, record: DeviceRecord, trait: TraitName, name: str, value: Any, action_id: str = ""
    ) -> None:
        if trait is TraitName.BATTERY_LEVEL and value == "LOW":
            value = "NORMAL"
        super()._set(record, trait, name, value, action_id)


class DropsRecurring(ReferenceAdapter):
    """Forgets the weekly window when it reads Nuki's record."""

    def _apply_auth(self, record: DeviceRecord, auth: dict[str, Any], deleted: bool) -> None:
        weekless = {**auth, "allowedWeekDays": 127, "allowedFromTime": 0, "allowedUntilTime": 0}
        super()._apply_auth(record, weekless, deleted)


class ThreeTraits(ReferenceAdapter):
    """Leaves BetaConnectivity out of the device."""

    async def refresh(self) -> None:
        await super().refresh()
        for record in self.records.values():
            record.device.traits.pop(TraitName.BETA_CONNECTIVITY, None)

    def _set(
        self, record: DeviceRecord, trait: TraitName, name: str, value: Any, action_id: str = ""
    ) -> None:
        if trait in record.device.traits:
            super()._set(record, trait, name, value, action_id)


class WrongCapacity(ReferenceAdapter):
    """Advertises 200 PIN codes (Keypad 2) for a lock the seed says holds 100."""

    async def refresh(self) -> None:
        await super().refresh()
        for record in self.records.values():
            record.device.traits[TraitName.BETA_PIN_CODE_CREDENTIALS].properties[
                "maxNumberOfPinCodeCredentials"
            ] = 200


class NoInitialBattery(ReferenceAdapter):
    """Reports no battery level until the first webhook about it arrives."""

    async def refresh(self) -> None:
        await super().refresh()
        for record in self.records.values():
            for field in record.device.traits[TraitName.BATTERY_LEVEL].state.values():
                field.reported = None


class NeverTimesOut(ReferenceAdapter):
    """Leaves actions pending forever."""

    def check_timeouts(self) -> None:
        return None


too_strict = factory(TooStrict)
exclusive_schedules = factory(ExclusiveSchedules)
resolves_at_once = factory(ResolvesAtOnce)
reports_at_once = factory(ReportsAtOnce)
settles_before_reporting = factory(SettlesBeforeReporting)
ignores_nuki_errors = factory(IgnoresNukiErrors)
ignores_lock_status = factory(IgnoresLockStatus)
ignores_connectivity = factory(IgnoresConnectivity)
never_sees_locked = factory(NeverSeesLocked)
never_low = factory(NeverLow)
drops_recurring = factory(DropsRecurring)
three_traits = factory(ThreeTraits)
wrong_capacity = factory(WrongCapacity)
no_initial_battery = factory(NoInitialBattery)
never_times_out = factory(NeverTimesOut)
