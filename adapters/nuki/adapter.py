"""The reference trait adapter for Nuki: actions that say "done" only when Nuki is done.

It talks to Nuki Web only over HTTP, through :class:`~nuki_sim.adapters.nuki.client.NukiWebClient`,
and learns outcomes from Nuki's signed decentral webhooks:

* a credential create/update/delete stays ``PENDING`` — and the reported credential list
  unchanged — until the ``DEVICE_AUTHS`` webhook that follows Nuki's sync shows it; then
  ``RESOLVED`` (or ``REJECTED`` with Nuki's ``error``) and a state-set event;
* a command to an offline lock stays ``PENDING`` until the lock reconnects and Nuki reports;
* a lock action resolves when ``DEVICE_STATUS`` shows the target state and fails on a
  jammed motor;
* anything still pending after ``action_timeout`` of the adapter's clock ends in ``TIMEOUT``.

Rules are checked before any HTTP call; a rejected action sends nothing.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import random
from collections.abc import Callable
from datetime import timedelta
from hashlib import sha256
from typing import Any

from nuki_sim.adapters import inputs
from nuki_sim.adapters.clock import Clock, SystemClock
from nuki_sim.adapters.nuki import mapping, rules
from nuki_sim.adapters.nuki.client import (
    NukiError,
    NukiOutcomeUnknown,
    NukiUnavailable,
    NukiWebClient,
)
from nuki_sim.adapters.nuki.devices import DeviceRecord, build_device
from nuki_sim.adapters.nuki.pending import (
    ACTIONS,
    Pending,
    Rejected,
    Verdict,
    credential_verdict,
    nuki_failure,
)
from nuki_sim.adapters.traits import (
    CONNECTIVITY_FIELD,
    Action,
    ActionName,
    ActionQueued,
    ActionStatus,
    ActionUpdated,
    Device,
    Event,
    PinCodeCredential,
    StateSet,
    TraitError,
    TraitErrorCode,
    TraitName,
    UnknownAction,
    UnknownDevice,
)

FEATURES = ["DEVICE_STATUS", "DEVICE_AUTHS", "DEVICE_MASTERDATA"]
SIGNATURE_HEADER = "X-Nuki-Signature-SHA256"


class NukiTraitAdapter:
    """Nuki locks as trait devices. Build it, ``await start(webhook_url)``, then use it."""

    def __init__(
        self,
        client: NukiWebClient,
        *,
        clock: Clock | None = None,
        action_timeout: timedelta = timedelta(hours=48),
        seed: int = 0,
    ) -> None:
        self.client = client
        self.clock = clock or SystemClock()
        self.action_timeout = action_timeout
        self.rng = random.Random(seed)
        self.records: dict[str, DeviceRecord] = {}
        self.actions: dict[str, Action] = {}
        self.pending: dict[str, list[Pending]] = {}
        self.log: list[Event] = []
        self.listeners: list[Callable[[Event], None]] = []
        self.webhook_id: int | None = None
        self.webhook_url: str | None = None
        self.secret: str | None = None

    # --- set-up -----------------------------------------------------------------------

    async def start(self, webhook_url: str | None = None) -> None:
        """Load every lock and its codes; with a URL, subscribe to Nuki's webhooks there."""
        await self.refresh()
        self.webhook_url = webhook_url
        if webhook_url is not None:
            subscription = await self.client.subscribe(webhook_url, FEATURES)
            self.webhook_id = int(subscription["id"])
            self.secret = str(subscription["secret"])

    async def close(self) -> None:
        if self.webhook_id is not None:
            with contextlib.suppress(NukiError, NukiUnavailable):  # the cloud may be gone
                await self.client.unsubscribe(self.webhook_id)
            self.webhook_id = None

    async def reset(self) -> None:
        """Forget every device, pending action and subscription, then start afresh.

        For test harnesses whose Nuki Web was reset under the adapter (the conformance kit
        resets its simulator between scenarios); events already emitted stay in the log.
        """
        self.records.clear()
        self.pending.clear()
        if self.webhook_id is not None:
            with contextlib.suppress(NukiError, NukiUnavailable):
                await self.client.unsubscribe(self.webhook_id)
            self.webhook_id = None
        await self.start(self.webhook_url)

    async def refresh(self) -> None:
        for lock in await self.client.smartlocks():
            if lock.get("type") not in (4, 5) and lock.get("type") is not None:
                continue
            device_id = str(lock["smartlockId"])
            record = self.records.get(device_id) or DeviceRecord(build_device(lock))
            self.records[device_id] = record
            self._apply_status(record, lock.get("state") or {}, lock.get("serverState", 0))
            record.keypad = bool((lock.get("config") or {}).get("keypadPaired", True))
            if record.keypad:
                auths = await self.client.auths(int(lock["smartlockId"]))
                record.known = {
                    a["id"]: record.read(a)
                    for a in auths
                    if a.get("type") == 13 and not a.get("error")
                }
                self._set(record, TraitName.BETA_PIN_CODE_CREDENTIALS, "pinCodeCredentials",
                          record.credential_list())  # fmt: skip

    # --- the trait API ----------------------------------------------------------------

    async def devices(self) -> list[Device]:
        self.check_timeouts()
        return [r.device for r in self.records.values()]

    async def device(self, device_id: str) -> Device:
        self.check_timeouts()
        return self._record(device_id).device

    async def action(self, action_id: str) -> Action:
        self.check_timeouts()
        try:
            return self.actions[action_id]
        except KeyError:
            raise UnknownAction(action_id) from None

    def events(self) -> list[Event]:
        return list(self.log)

    async def execute(
        self, device_id: str, trait: TraitName, name: ActionName, parameters: dict[str, Any]
    ) -> Action:
        """Start an action: PENDING once Nuki accepted it (or may have: the answer to a write
        was lost on the way back), REJECTED/FAILED at once otherwise."""
        self.check_timeouts()
        record = self._record(device_id)
        action = self._new_action(device_id, trait, name, parameters)
        if name not in ACTIONS.get(trait, set()):
            on_device = trait in record.device.traits
            code = (
                TraitErrorCode.ACTION_NOT_IMPLEMENTED
                if on_device
                else TraitErrorCode.TRAIT_NOT_IMPLEMENTED
            )
            return self._finish(
                action,
                ActionStatus.REJECTED,
                TraitError(code, f"{trait.value} has no action {name.value}"),
            )
        try:
            pending = self._plan(record, name, parameters)
        except inputs.ParseFailure as exc:
            return self._finish(action, ActionStatus.REJECTED, exc.error)
        except Rejected as exc:
            return self._finish(action, ActionStatus.REJECTED, exc.error)
        pending.action_id = action.id
        # Pending before the request goes out: Nuki's webhook may overtake Nuki's answer,
        # and an in-flight create must already count for uniqueness and capacity.
        self.pending.setdefault(device_id, []).append(pending)
        self._desire(record, pending, action)
        self._emit(ActionQueued(device_id, action.id, trait, name, parameters, self.clock.now()))
        try:
            await self._send(record, pending)
        except NukiError as exc:
            self._drop(device_id, pending)
            return self._finish(action, *nuki_failure(exc))
        except NukiOutcomeUnknown:
            # Only the answer was lost: the write may be done. FAILED could hide a code that
            # opens the lock, and resending could create it twice; Nuki's report settles it
            # (or the action times out), exactly as for a write that was answered.
            return action
        except NukiUnavailable as exc:
            self._drop(device_id, pending)
            error = TraitError(
                TraitErrorCode.EXECUTION, f"Nuki Web did not answer: {exc}", "unavailable"
            )
            return self._finish(action, ActionStatus.FAILED, error)
        return action

    def _drop(self, device_id: str, pending: Pending) -> None:
        with contextlib.suppress(ValueError):  # a webhook may have settled it already
            self.pending[device_id].remove(pending)

    # --- planning and sending ---------------------------------------------------------

    def _plan(self, record: DeviceRecord, name: ActionName, parameters: dict[str, Any]) -> Pending:
        if name is ActionName.SET_LOCKED:
            return Pending("", name, locked=inputs.locked(parameters))
        pending = self.pending.get(record.device.id, [])
        # Codes on their way to the lock hold their PINs there already: in-flight creates and
        # updates count for uniqueness, in-flight creates for capacity.
        in_flight = [
            p.credential
            for p in pending
            if p.kind in (ActionName.CREATE_PIN, ActionName.UPDATE_PIN) and p.credential
        ]
        creates = sum(1 for p in pending if p.kind is ActionName.CREATE_PIN)
        if name is ActionName.DELETE_PIN:
            target = inputs.credential_id(parameters)
            if target not in record.known:
                raise Rejected(
                    "unknown-credential", f"no PIN code credential {target} on this lock"
                )
            return Pending("", name, target=target)
        creating = name is ActionName.CREATE_PIN
        credential = inputs.credential(parameters.get("pinCodeCredential"), need_id=not creating)
        if not creating and credential.id not in record.known:
            raise Rejected(
                "unknown-credential", f"no PIN code credential {credential.id} on this lock"
            )
        if not record.keypad:
            raise Rejected("keypad-required", "this lock has no keypad paired")
        others = [c for c in record.known.values() if c.id != credential.id] + in_flight
        error = self.check_credential(
            credential, others, creating=creating, known_count=len(record.known) + creates
        )
        if error is not None:
            raise Rejected(error.rule, error.message)
        return Pending(
            "",
            name,
            credential=credential,
            target=credential.id,
            known_before=frozenset(record.known),
        )

    def check_credential(
        self,
        credential: PinCodeCredential,
        others: list[PinCodeCredential],
        *,
        creating: bool,
        known_count: int,
    ) -> TraitError | None:
        """Why ``credential`` may not be sent (:func:`rules.check_credential`), or None.

        ``others``: the lock's other codes, listed or in flight; ``known_count``: the codes
        the lock holds or will hold. One method so a variant can add (or, in the kit's
        proofs, break) a rule without copying the planning around it.
        """
        return rules.check_credential(
            credential, others, creating=creating, known_count=known_count
        )

    async def _send(self, record: DeviceRecord, pending: Pending) -> None:
        lock_id = record.smartlock_id
        if pending.kind is ActionName.SET_LOCKED:
            await self.client.lock(lock_id, bool(pending.locked))
        elif pending.kind is ActionName.CREATE_PIN:
            assert pending.credential is not None
            await self.client.create_auth(lock_id, mapping.auth_body(pending.credential))
        elif pending.kind is ActionName.UPDATE_PIN:
            assert pending.credential is not None
            await self.client.update_auth(
                lock_id, pending.target, mapping.auth_body(pending.credential)
            )
        else:
            await self.client.delete_auth(lock_id, pending.target)

    def _desire(self, record: DeviceRecord, pending: Pending, action: Action) -> None:
        if pending.kind is ActionName.SET_LOCKED:
            record.desire(TraitName.LOCK, "isLocked", pending.locked, action.id, self.clock.now())
            return
        wanted = {c.id: c for c in record.credential_list()}
        if pending.kind is ActionName.DELETE_PIN:
            wanted.pop(pending.target, None)
        elif pending.credential is not None:
            wanted[pending.credential.id or f"pending:{action.id}"] = pending.credential
        record.desire(TraitName.BETA_PIN_CODE_CREDENTIALS, "pinCodeCredentials",
                      list(wanted.values()), action.id, self.clock.now())  # fmt: skip

    # --- webhooks in --------------------------------------------------------------------

    def verify(self, raw: bytes, signature: str | None) -> bool:
        """Whether ``raw`` carries a valid ``X-Nuki-Signature-SHA256`` for our secret."""
        if self.secret is None or not signature:
            return False
        expected = hmac.new(self.secret.encode(), raw, sha256).hexdigest()
        return hmac.compare_digest(expected, signature.strip().lower())

    def receive(self, raw: bytes, signature: str | None) -> bool:
        """A webhook POST: verify, then apply. False (and nothing applied) when unsigned/forged."""
        if not self.verify(raw, signature):
            return False
        try:
            payload = json.loads(raw)
        except ValueError:
            return False
        if isinstance(payload, dict):
            self.on_nuki_event(payload)
        return True

    def on_nuki_event(self, payload: dict[str, Any]) -> None:
        feature = payload.get("feature")
        if feature == "DEVICE_STATUS":
            record = self.records.get(str(payload.get("smartlockId")))
            if record is not None:
                self._apply_status(
                    record, payload.get("state") or {}, payload.get("serverState", 0)
                )
        elif feature == "DEVICE_AUTHS":
            auth = payload.get("smartlockAuth") or {}
            record = self.records.get(str(auth.get("smartlockId")))
            if record is not None and auth.get("type") == 13:
                self._apply_auth(record, auth, bool(payload.get("deleted")))
        elif feature == "DEVICE_MASTERDATA":
            record = self.records.get(str(payload.get("smartlockId")))
            if record is not None and payload.get("name"):
                record.device.display_name = str(payload["name"])
        self.check_timeouts()

    def _apply_status(self, record: DeviceRecord, state: dict[str, Any], server_state: Any) -> None:
        """Report what DEVICE_STATUS shows, then settle the lock actions it decides."""
        lock_state = state.get("state")
        if isinstance(lock_state, int):
            locked = mapping.is_locked(lock_state)
            jammed = mapping.is_jammed(lock_state)
            self._set(record, TraitName.LOCK, "isJammed", jammed)
            if locked is not None:
                done = self._lock_pending(record, locked)
                self._set(
                    record, TraitName.LOCK, "isLocked", locked, done.action_id if done else ""
                )
                if done is not None:
                    self._settle(record, done, ActionStatus.RESOLVED)
            if jammed:
                self._fail_lock_actions(record)
        if "batteryCharge" in state or "batteryCritical" in state:
            percentage, status = mapping.battery(
                state.get("batteryCharge"), state.get("batteryCritical")
            )
            self._set(record, TraitName.BATTERY_LEVEL, "percentage", percentage)
            self._set(record, TraitName.BATTERY_LEVEL, "status", status.value)
        if isinstance(server_state, int):
            value = mapping.connectivity(server_state).value
            self._set(record, TraitName.BETA_CONNECTIVITY, CONNECTIVITY_FIELD, value)

    def _lock_pending(self, record: DeviceRecord, locked: bool) -> Pending | None:
        for pending in self.pending.get(record.device.id, []):
            if pending.kind is ActionName.SET_LOCKED and pending.locked == locked:
                return pending
        return None

    def _fail_lock_actions(self, record: DeviceRecord) -> None:
        for pending in list(self.pending.get(record.device.id, [])):
            if pending.kind is ActionName.SET_LOCKED:
                error = TraitError(TraitErrorCode.EXECUTION, "the motor is jammed", "jammed")
                self._settle(record, pending, ActionStatus.FAILED, error)

    def _apply_auth(self, record: DeviceRecord, auth: dict[str, Any], deleted: bool) -> None:
        """Report the credential list DEVICE_AUTHS implies, then settle the action it decides."""
        auth_id = str(auth.get("id"))
        error = auth.get("error")
        verdict = self._credential_verdict(record, auth, deleted)
        if error or deleted:
            changed = record.forget(auth_id)
        else:  # a verdict here resolved our create/update: what it asked for is remembered
            credential = record.read(auth, verdict[0].credential if verdict else None)
            changed = record.known.get(auth_id) != credential
            record.known[auth_id] = credential
        if changed:
            caused_by = verdict[0].action_id if verdict else ""
            self._set(record, TraitName.BETA_PIN_CODE_CREDENTIALS, "pinCodeCredentials",
                      record.credential_list(), caused_by)  # fmt: skip
        if verdict is not None:
            pending, status, failure, result = verdict
            self._settle(record, pending, status, failure, result)

    def _credential_verdict(
        self, record: DeviceRecord, auth: dict[str, Any], deleted: bool
    ) -> Verdict:
        """Which pending credential action this DEVICE_AUTHS settles, and how."""
        return credential_verdict(self.pending.get(record.device.id, []), auth, deleted)

    # --- actions' lives -------------------------------------------------------------------

    def check_timeouts(self) -> None:
        """End every action that has been pending longer than ``action_timeout``."""
        now = self.clock.now()
        for device_id, pendings in self.pending.items():
            record = self.records[device_id]
            for pending in list(pendings):
                action = self.actions[pending.action_id]
                if now - action.created_at >= self.action_timeout:
                    error = TraitError(
                        TraitErrorCode.EXECUTION, "Nuki never reported an outcome", "timeout"
                    )
                    self._settle(record, pending, ActionStatus.TIMEOUT, error)

    def _settle(
        self,
        record: DeviceRecord,
        pending: Pending,
        status: ActionStatus,
        error: TraitError | None = None,
        result: dict[str, Any] | None = None,
    ) -> None:
        self.pending[record.device.id].remove(pending)
        action = self.actions[pending.action_id]
        self._finish(action, status, error, result)

    def _new_action(
        self, device_id: str, trait: TraitName, name: ActionName, parameters: dict[str, Any]
    ) -> Action:
        now = self.clock.now()
        action = Action(
            id=f"act_{self.rng.getrandbits(64):016x}",
            device_id=device_id,
            trait=trait,
            name=name,
            parameters=parameters,
            status=ActionStatus.PENDING,
            created_at=now,
            updated_at=now,
        )
        self.actions[action.id] = action
        return action

    def _finish(
        self,
        action: Action,
        status: ActionStatus,
        error: TraitError | None = None,
        result: dict[str, Any] | None = None,
    ) -> Action:
        action.status = status
        action.error = error
        action.updated_at = self.clock.now()
        if result:
            action.result = result
        self._emit(ActionUpdated(action.device_id, action.id, status, action.updated_at, error))
        return action

    def _set(
        self, record: DeviceRecord, trait: TraitName, name: str, value: Any, action_id: str = ""
    ) -> None:
        now = self.clock.now()
        if record.report(trait, name, value, now):
            self._emit(StateSet(record.device.id, trait, name, value, now, action_id))

    def _emit(self, event: Event) -> None:
        self.log.append(event)
        for listener in list(self.listeners):
            listener(event)

    def _record(self, device_id: str) -> DeviceRecord:
        try:
            return self.records[device_id]
        except KeyError:
            raise UnknownDevice(device_id) from None
