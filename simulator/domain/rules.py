"""Keypad code and schedule rules that Nuki Web checks before anything reaches the lock.

These answer synchronously. Rules that need the device's truth (its real capacity, a
duplicate the cloud cannot see yet) are checked by :mod:`nuki_sim.simulator.domain.device` when the
command is applied, and fail asynchronously, as on the real system.
"""

from __future__ import annotations

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.errors import BadParameter, Unprocessable
from nuki_sim.simulator.domain.model import Schedule

CODE_LENGTH = 6
KEYPAD_NAME_MAX = 20
AUTH_NAME_MAX = 32
MINUTES_PER_DAY = 24 * 60
ALL_WEEKDAYS = 127


def check_code(code: int | str) -> int:
    """Return the keypad code as an int, or raise Nuki's 400 for a code it will not take.

    Exactly six digits, each 1–9 (no 0 anywhere), not starting with ``12``.
    """
    text = str(code)
    if len(text) != CODE_LENGTH or not (text.isascii() and text.isdigit()):
        raise BadParameter(
            messages.invalid_value("code", code),
            hint="a keypad code has exactly 6 digits",
        )
    if "0" in text:
        raise BadParameter(
            messages.invalid_value("code", code), hint="keypad codes cannot contain the digit 0"
        )
    if text.startswith("12"):
        raise BadParameter(
            messages.invalid_value("code", code), hint="keypad codes cannot start with '12'"
        )
    return int(text)


def check_name(name: str, *, keypad: bool) -> str:
    """Names are required; keypad code names are at most 20 characters (Nuki answers 422)."""
    if not name.strip():
        raise BadParameter(messages.invalid_value("name", name), hint="a name is required")
    if keypad and len(name) > KEYPAD_NAME_MAX:
        raise Unprocessable(
            f"keypad code names are at most {KEYPAD_NAME_MAX} characters, got {len(name)}",
            hint="shorten the name",
        )
    if len(name) > AUTH_NAME_MAX:
        raise BadParameter(
            messages.invalid_value("name", name),
            hint=f"names are at most {AUTH_NAME_MAX} characters",
        )
    return name


def check_schedule(schedule: Schedule) -> Schedule:
    """Refuse inconsistent windows (400): an empty date window, bad bitmask or minutes."""
    start, end = schedule.allowed_from_date, schedule.allowed_until_date
    if start is not None and end is not None and end <= start:
        raise BadParameter(
            messages.invalid_value("allowedUntilDate", isoformat(end)),
            hint="allowedUntilDate must be after allowedFromDate",
        )
    days = schedule.allowed_week_days
    if days is not None and not 0 <= days <= ALL_WEEKDAYS:
        raise BadParameter(
            messages.invalid_value("allowedWeekDays", days),
            hint="allowedWeekDays is a bitmask from 0 to 127 (Monday 64, ..., Sunday 1)",
        )
    for field_name, minutes in (
        ("allowedFromTime", schedule.allowed_from_time),
        ("allowedUntilTime", schedule.allowed_until_time),
    ):
        if not 0 <= minutes < MINUTES_PER_DAY:
            raise BadParameter(
                messages.invalid_value(field_name, minutes),
                hint="times are minutes from midnight, 0 to 1439, in the lock's time zone",
            )
    has_window = schedule.allowed_from_time or schedule.allowed_until_time
    if has_window and schedule.allowed_until_time <= schedule.allowed_from_time:
        raise BadParameter(
            messages.invalid_value("allowedUntilTime", schedule.allowed_until_time),
            hint="allowedUntilTime must be later in the day than allowedFromTime",
        )
    return schedule
