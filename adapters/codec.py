"""Trait values as JSON, and back: pure functions, no I/O.

The JSON is what the adapter service (:mod:`nuki_sim.adapters.service`) serves and what its callbacks
carry. Field names follow the Yonomi trait model (camelCase, ``reported``/``desired``,
``deviceEventQueueAction``/``deviceEventUpdateAction``/``deviceEventSetState``). Every
instant is ISO-8601 in UTC with milliseconds and a ``Z`` (``2026-01-05T09:00:00.000Z``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from nuki_sim.adapters import inputs, instants
from nuki_sim.adapters.traits import (
    Action,
    ActionQueued,
    ActionUpdated,
    Desired,
    Device,
    Event,
    IntRange,
    PinCodeCredential,
    Reported,
    StateField,
    StateSet,
    Trait,
    TraitError,
)

QUEUE_ACTION = "deviceEventQueueAction"
UPDATE_ACTION = "deviceEventUpdateAction"
SET_STATE = "deviceEventSetState"
DEFAULT_INSTANCE = "default"


class DecodeError(ValueError):
    """JSON that does not describe the trait value asked for."""


# --- instants ------------------------------------------------------------------------------


def instant_json(instant: datetime) -> str:
    """``2026-01-05T09:00:00.000Z``: UTC, milliseconds (truncated), ``Z``. Naive means UTC."""
    return instants.isoformat(instant)


def instant_from(text: Any) -> datetime:
    """An aware UTC instant from ISO-8601 text (``Z`` or an offset; no offset means UTC)."""
    if not isinstance(text, str):
        raise DecodeError(f"an instant is an ISO-8601 string, got {text!r}")
    try:
        return instants.parse(text).astimezone(UTC)
    except ValueError:
        raise DecodeError(f"not an ISO-8601 instant: {text!r}") from None


# --- values --------------------------------------------------------------------------------


def credential_json(credential: PinCodeCredential) -> dict[str, Any]:
    return {
        "id": credential.id,
        "pinCode": credential.pin_code,
        "name": credential.name,
        "alwaysActive": credential.always_active,
        "temporarySchedules": [
            {"startDatetime": instant_json(t.start), "endDatetime": instant_json(t.end)}
            for t in credential.temporary_schedules
        ],
        "recurringSchedules": [
            {"rrule": r.rrule, "duration": r.duration} for r in credential.recurring_schedules
        ],
    }


def credential_from(data: Any) -> PinCodeCredential:
    """The inverse of :func:`credential_json` (``id`` may be absent: a credential to create).

    The same parser the adapter applies to action parameters, so the two never disagree.
    """
    try:
        return inputs.credential(data, need_id=False)
    except inputs.ParseFailure as exc:
        raise DecodeError(str(exc)) from None


def value_json(value: Any) -> Any:
    """Any reported/desired value, parameter or property as JSON-ready data."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return instant_json(value)
    if isinstance(value, PinCodeCredential):
        return credential_json(value)
    if isinstance(value, IntRange):
        return {"min": value.min, "max": value.max}
    if isinstance(value, list | tuple):
        return [value_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): value_json(v) for k, v in value.items()}
    raise TypeError(f"no JSON form for {type(value).__name__}")


def reported_json(reported: Reported | None) -> dict[str, Any] | None:
    if reported is None:
        return None
    return {
        "value": value_json(reported.value),
        "sampledAt": instant_json(reported.sampled_at),
        "createdAt": instant_json(reported.created_at),
    }


def desired_json(desired: Desired | None) -> dict[str, Any] | None:
    if desired is None:
        return None
    return {
        "value": value_json(desired.value),
        "updatedAt": instant_json(desired.updated_at),
        "actionId": desired.action_id or None,
    }


def state_json(state: StateField) -> dict[str, Any]:
    return {"reported": reported_json(state.reported), "desired": desired_json(state.desired)}


def trait_json(trait: Trait) -> dict[str, Any]:
    return {
        "name": trait.name.value,
        "instance": trait.instance,
        "properties": value_json(trait.properties),
        "state": {name: state_json(field) for name, field in trait.state.items()},
    }


def device_json(device: Device) -> dict[str, Any]:
    return {
        "id": device.id,
        "displayName": device.display_name,
        "productInformation": {
            "manufacturer": device.manufacturer,
            "model": device.model,
            "serialNumber": device.serial_number,
        },
        "traits": [trait_json(t) for t in device.traits.values()],
    }


def error_json(error: TraitError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return {"code": error.code.value, "message": error.message, "rule": error.rule or None}


def action_json(action: Action) -> dict[str, Any]:
    return {
        "id": action.id,
        "deviceId": action.device_id,
        "trait": action.trait.value,
        "action": action.name.value,
        "parameters": value_json(action.parameters),
        "status": action.status.value,
        "createdAt": instant_json(action.created_at),
        "updatedAt": instant_json(action.updated_at),
        "error": error_json(action.error),
        "result": value_json(action.result),
    }


# --- events --------------------------------------------------------------------------------


def event_json(seq: int, event: Event) -> dict[str, Any]:
    """A Yonomi-style webhook body ``{seq, type, content}`` for one adapter event."""
    content: dict[str, Any]
    if isinstance(event, ActionQueued):
        kind = QUEUE_ACTION
        content = {
            "deviceId": event.device_id,
            "actionId": event.action_id,
            "traitName": event.trait.value,
            "traitInstance": DEFAULT_INSTANCE,
            "actionName": event.action.value,
            "actionParameters": value_json(event.parameters),
            "createdAt": instant_json(event.at),
        }
    elif isinstance(event, ActionUpdated):
        kind = UPDATE_ACTION
        content = {
            "deviceId": event.device_id,
            "actionId": event.action_id,
            "status": event.status.value,
            "error": error_json(event.error),
            "createdAt": instant_json(event.at),
        }
    elif isinstance(event, StateSet):
        kind = SET_STATE
        content = {
            "deviceId": event.device_id,
            "actionId": event.action_id or None,
            "traitName": event.trait.value,
            "traitInstance": DEFAULT_INSTANCE,
            "fieldName": event.field,
            "value": value_json(event.value),
            "sampledAt": instant_json(event.sampled_at),
        }
    else:  # pragma: no cover - Event is a closed union
        raise TypeError(f"not an adapter event: {event!r}")
    return {"seq": seq, "type": kind, "content": content}
