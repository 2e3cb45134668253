"""The trait model, as Yonomi-style platforms expose devices — with no Nuki in it.

A device carries traits. A trait has *properties* (static capabilities), *state fields*
each holding a ``reported`` value (what the device last reported, with ``sampledAt``) and a
``desired`` value (what an action asked for), *actions* that return at once with an action
id and a status, and *events* (action queued, action updated, state set).

``BetaConnectivity`` has no public schema: its field and values are an assumption kept in
:class:`Connectivity` and :data:`CONNECTIVITY_FIELD`, so they can change in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class TraitName(StrEnum):
    LOCK = "Lock"
    BATTERY_LEVEL = "BatteryLevel"
    BETA_PIN_CODE_CREDENTIALS = "BetaPinCodeCredentials"
    BETA_CONNECTIVITY = "BetaConnectivity"


class ActionStatus(StrEnum):
    PENDING = "PENDING"
    RESOLVED = "RESOLVED"
    REJECTED = "REJECTED"
    ERROR = "ERROR"
    FAILED = "FAILED"
    TIMEOUT = "TIMEOUT"
    CANCELED = "CANCELED"

    @property
    def final(self) -> bool:
        return self is not ActionStatus.PENDING


class BatteryStatus(StrEnum):
    NORMAL = "NORMAL"
    LOW = "LOW"
    CRITICAL = "CRITICAL"
    UNKNOWN = "UNKNOWN"


class Connectivity(StrEnum):
    """BetaConnectivity's values (assumed, after Google SDM's Connectivity trait)."""

    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


CONNECTIVITY_FIELD = "status"


class TraitErrorCode(StrEnum):
    """Yonomi's trait error codes."""

    VALIDATION = "ValidationError"
    EXECUTION = "ExecutionError"
    PARSE = "ParseError"
    TRAIT_NOT_IMPLEMENTED = "TraitNotImplemented"
    ACTION_NOT_IMPLEMENTED = "ActionNotImplemented"


class ActionName(StrEnum):
    SET_LOCKED = "setLocked"
    CREATE_PIN = "createPinCodeCredential"
    UPDATE_PIN = "updatePinCodeCredential"
    DELETE_PIN = "deletePinCodeCredential"


@dataclass(frozen=True)
class TraitError:
    code: TraitErrorCode
    message: str
    rule: str = ""  # which rule was broken (e.g. "pin-digits"), for tests and reports


# --- values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IntRange:
    min: int
    max: int


@dataclass(frozen=True)
class TemporarySchedule:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class RecurringSchedule:
    """An RFC 5545 RRULE giving start instants, and a duration in minutes from each start."""

    rrule: str
    duration: int


@dataclass(frozen=True)
class PinCodeCredential:
    id: str
    pin_code: str
    name: str
    always_active: bool = True
    temporary_schedules: tuple[TemporarySchedule, ...] = ()
    recurring_schedules: tuple[RecurringSchedule, ...] = ()


@dataclass(frozen=True)
class Reported:
    value: Any
    sampled_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class Desired:
    value: Any
    updated_at: datetime
    action_id: str = ""


@dataclass
class StateField:
    reported: Reported | None = None
    desired: Desired | None = None


@dataclass(frozen=True)
class PinCodeProperties:
    max_number_of_pin_code_credentials: int = 100
    max_number_of_schedules_per_pin_code_credential: int = 2
    max_number_of_recurring_schedules_per_pin_code_credential: int = 1
    max_number_of_temporary_schedules_per_pin_code_credential: int = 1
    supported_pin_code_range: IntRange = IntRange(6, 6)
    supported_pin_code_credential_name_range: IntRange = IntRange(1, 20)
    exclusive_schedules: bool = False


@dataclass
class Trait:
    name: TraitName
    properties: dict[str, Any]
    state: dict[str, StateField]
    instance: str = "default"


@dataclass
class Device:
    id: str
    display_name: str
    manufacturer: str
    model: str
    serial_number: str
    traits: dict[TraitName, Trait] = field(default_factory=dict)

    def trait(self, name: TraitName) -> Trait:
        return self.traits[name]


@dataclass
class Action:
    """An asynchronous action: PENDING at first, then one final status."""

    id: str
    device_id: str
    trait: TraitName
    name: ActionName
    parameters: dict[str, Any]
    status: ActionStatus
    created_at: datetime
    updated_at: datetime
    error: TraitError | None = None
    result: dict[str, Any] = field(default_factory=dict)


# --- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionQueued:
    """``deviceEventQueueAction``."""

    device_id: str
    action_id: str
    trait: TraitName
    action: ActionName
    parameters: dict[str, Any]
    at: datetime


@dataclass(frozen=True)
class ActionUpdated:
    """``deviceEventUpdateAction``."""

    device_id: str
    action_id: str
    status: ActionStatus
    at: datetime
    error: TraitError | None = None


@dataclass(frozen=True)
class StateSet:
    """``deviceEventSetState``: a reported value changed (``action_id`` when an action caused it)."""

    device_id: str
    trait: TraitName
    field: str
    value: Any
    sampled_at: datetime
    action_id: str = ""


Event = ActionQueued | ActionUpdated | StateSet


class UnknownDevice(KeyError):
    """No device with this id: what :meth:`TraitAdapter.device` and ``execute`` raise."""


class UnknownAction(KeyError):
    """No action with this id: what :meth:`TraitAdapter.action` raises."""


class TraitAdapter(Protocol):
    """What any trait adapter offers; the conformance kit drives implementations through it.

    ``execute`` never blocks on the device: it returns the action at once, PENDING or
    REJECTED (with a :class:`TraitError`); later status changes arrive as events and through
    :meth:`action`.
    """

    async def devices(self) -> list[Device]: ...

    async def device(self, device_id: str) -> Device: ...

    async def execute(
        self, device_id: str, trait: TraitName, action: ActionName, parameters: dict[str, Any]
    ) -> Action: ...

    async def action(self, action_id: str) -> Action: ...

    def events(self) -> list[Event]: ...
