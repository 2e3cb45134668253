"""Action parameters (JSON-shaped) parsed into trait values, or a ParseError.

Generic (no Nuki in it): the codec reads credentials with it, and any adapter may too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nuki_sim.adapters import instants
from nuki_sim.adapters.traits import (
    PinCodeCredential,
    RecurringSchedule,
    TemporarySchedule,
    TraitError,
    TraitErrorCode,
)


class ParseFailure(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.error = TraitError(TraitErrorCode.PARSE, message, "parse")


def credential(raw: Any, *, need_id: bool) -> PinCodeCredential:
    if not isinstance(raw, dict):
        raise ParseFailure("pinCodeCredential must be an object")
    cred_id = raw.get("id", "")
    if need_id and (not isinstance(cred_id, str) or not cred_id):
        raise ParseFailure("pinCodeCredential.id (the credential to change) is required")
    pin = raw.get("pinCode")
    name = raw.get("name")
    if not isinstance(pin, str):
        raise ParseFailure("pinCode is a string of digits")
    if not isinstance(name, str):
        raise ParseFailure("name is a string")
    temporary = raw.get("temporarySchedules", [])
    recurring = raw.get("recurringSchedules", [])
    if not isinstance(temporary, list) or not isinstance(recurring, list):
        raise ParseFailure("temporarySchedules and recurringSchedules are lists")
    always = raw.get("alwaysActive", not (temporary or recurring))  # absent: schedules decide
    if not isinstance(always, bool):
        raise ParseFailure("alwaysActive is true or false")
    return PinCodeCredential(
        id=str(cred_id or ""),
        pin_code=pin,
        name=name,
        always_active=always,
        temporary_schedules=tuple(_temporary(t) for t in temporary),
        recurring_schedules=tuple(_recurring(r) for r in recurring),
    )


def _temporary(raw: Any) -> TemporarySchedule:
    if not isinstance(raw, dict):
        raise ParseFailure("a temporary schedule is {startDatetime, endDatetime}")
    return TemporarySchedule(_instant(raw.get("startDatetime")), _instant(raw.get("endDatetime")))


def _recurring(raw: Any) -> RecurringSchedule:
    if not isinstance(raw, dict):
        raise ParseFailure("a recurring schedule is {rrule, duration}")
    rule, duration = raw.get("rrule"), raw.get("duration")
    if not isinstance(rule, str) or isinstance(duration, bool) or not isinstance(duration, int):
        raise ParseFailure("a recurring schedule has an rrule string and a duration in minutes")
    return RecurringSchedule(rule, duration)


def _instant(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ParseFailure("schedule instants are ISO-8601 strings")
    try:
        return instants.parse(value)
    except ValueError:
        raise ParseFailure(f"not an ISO-8601 instant: {value!r}") from None


def locked(raw: Any) -> bool:
    value = raw.get("lock") if isinstance(raw, dict) else None
    if not isinstance(value, bool):
        raise ParseFailure("setLocked takes {lock: true|false}")
    return value


def credential_id(raw: Any) -> str:
    value = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value:
        raise ParseFailure("deletePinCodeCredential takes {id}")
    return value
