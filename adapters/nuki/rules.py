"""The rules a credential action must pass before anything is sent to Nuki.

The trait properties advertise some (6 digits, names of 1–20 characters, 100 codes, one
temporary and one recurring schedule); Nuki adds others that no property can say (no digit
0, not starting with ``12``, unique on the lock). A broken rule rejects the action at once
with a :class:`~nuki_sim.adapters.traits.TraitError` naming the rule; nothing reaches the lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from nuki_sim.adapters.nuki.mapping import Unexpressible, parse_weekly
from nuki_sim.adapters.traits import (
    PinCodeCredential,
    PinCodeProperties,
    TraitError,
    TraitErrorCode,
)

PROPERTIES = PinCodeProperties()


def _reject(rule: str, message: str) -> TraitError:
    return TraitError(TraitErrorCode.VALIDATION, message, rule)


def check_credential(
    credential: PinCodeCredential,
    others: Iterable[PinCodeCredential],
    *,
    creating: bool,
    known_count: int,
    properties: PinCodeProperties = PROPERTIES,
) -> TraitError | None:
    """Why ``credential`` may not be sent, or None. ``others``: the device's other codes."""
    pin = credential.pin_code
    length = properties.supported_pin_code_range
    if not (pin.isascii() and pin.isdigit()) or not length.min <= len(pin) <= length.max:
        return _reject("pin-length", f"a PIN code has exactly {length.max} digits, got {pin!r}")
    if "0" in pin:
        return _reject("pin-no-zero", "Nuki PIN codes cannot contain the digit 0")
    if pin.startswith("12"):
        return _reject("pin-not-12", "Nuki PIN codes cannot start with '12'")
    names = properties.supported_pin_code_credential_name_range
    if not names.min <= len(credential.name) <= names.max or not credential.name.strip():
        return _reject(
            "name-length",
            f"a name has {names.min} to {names.max} characters, got {len(credential.name)}",
        )
    # A credential without an id is being created: it is never "itself", so an in-flight
    # create (also without an id) with the same PIN is a duplicate too.
    if any(o.pin_code == pin and (not o.id or o.id != credential.id) for o in others):
        return _reject("pin-unique", "this PIN code is already used on this lock")
    if creating and known_count >= properties.max_number_of_pin_code_credentials:
        return _reject(
            "capacity",
            f"the lock already holds {properties.max_number_of_pin_code_credentials} PIN codes",
        )
    temporary, recurring = credential.temporary_schedules, credential.recurring_schedules
    if len(temporary) > properties.max_number_of_temporary_schedules_per_pin_code_credential:
        return _reject("one-temporary", "Nuki holds one temporary schedule per code")
    if len(recurring) > properties.max_number_of_recurring_schedules_per_pin_code_credential:
        return _reject("one-recurring", "Nuki holds one recurring schedule per code")
    if not credential.always_active and not temporary and not recurring:
        return _reject("schedule-needed", "a code that is not always active needs a schedule")
    if credential.always_active and (temporary or recurring):
        return _reject(
            "always-active-with-schedule",
            "a code that is always active cannot have a schedule: set alwaysActive false",
        )
    for window in temporary:
        if window.end <= window.start:
            return _reject("temporary-order", "a temporary schedule must end after it starts")
    for rule in recurring:
        try:
            parse_weekly(rule)
        except Unexpressible as exc:
            return _reject("rrule-expressible", str(exc))
    return None
