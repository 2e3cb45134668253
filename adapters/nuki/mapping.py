"""Nuki JSON ⇄ trait values, as pure functions (tested without HTTP).

Schedules are the delicate part. A Nuki keypad code has one date window (UTC) and one
weekly window: a weekday bitmask (Monday 64 … Sunday 1) plus from/until minutes in the
lock's local time. A trait credential has temporary schedules (start/end instants) and
recurring schedules (an RFC 5545 RRULE plus a duration in minutes). The RRULE's wall-clock
hours are read in the lock's own time zone, as Nuki reads its minutes.

Only RRULEs that Nuki can express exactly are accepted: ``FREQ=WEEKLY`` (``INTERVAL=1``),
a ``BYDAY`` list of plain weekdays, one ``BYHOUR`` and at most one ``BYMINUTE``, and a
duration that ends the same day. Anything else is refused with a reason — never rounded.
Names and values are case-insensitive, as RFC 5545 says (``rrule:freq=weekly;byday=mo``).

Two things the trait can say leave no trace in Nuki's record: a date window open on one side
(the trait has no open bound, so :data:`OPEN_START`/:data:`OPEN_END` stand for it, both ways)
and a schedule that restricts nothing (every day, all day: ``allowedWeekDays`` 127 and 0/0 is
also what an unrestricted code holds). :func:`credential_from` keeps such a schedule only when
told what the adapter itself asked for; Nuki's record alone reads as no schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dateutil.rrule import rrulestr

from nuki_sim.adapters.instants import as_utc, isoformat
from nuki_sim.adapters.instants import parse as parse_instant
from nuki_sim.adapters.traits import (
    BatteryStatus,
    Connectivity,
    PinCodeCredential,
    RecurringSchedule,
    TemporarySchedule,
)

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_BITS = dict(zip(WEEKDAYS, (64, 32, 16, 8, 4, 2, 1), strict=True))
ALL_DAYS = 127
MINUTES_PER_DAY = 1440
LOW_BATTERY_BELOW = 30

LOCKED_STATES = {1}
UNLOCKED_STATES = {3, 5, 6}
JAMMED_STATE = 254

# A date window open on one side: the trait needs both instants, Nuki sends null for the open
# one. Both bounds convert to any time zone without leaving the datetime range (unlike
# datetime.min/max), and a schedule reaching them is sent back to Nuki as null.
OPEN_START = datetime(1970, 1, 1, tzinfo=UTC)  # no keypad code predates the Unix epoch
OPEN_END = datetime(9999, 12, 31, tzinfo=UTC)


class Unexpressible(ValueError):
    """A schedule Nuki cannot hold; the message says why and what would work."""


# --- lock, battery, connectivity -------------------------------------------------------


def is_locked(state: int) -> bool | None:
    """``isLocked`` for a settled Nuki lock state; None while moving or unknown."""
    if state in LOCKED_STATES:
        return True
    if state in UNLOCKED_STATES:
        return False
    return None


def is_jammed(state: int) -> bool:
    return state == JAMMED_STATE


def battery(charge: int | None, critical: bool | None) -> tuple[int | None, BatteryStatus]:
    """``percentage`` and ``status`` from ``batteryCharge``/``batteryCritical``."""
    if critical:
        return charge, BatteryStatus.CRITICAL
    if charge is None:
        return None, BatteryStatus.UNKNOWN
    return charge, BatteryStatus.LOW if charge < LOW_BATTERY_BELOW else BatteryStatus.NORMAL


def connectivity(server_state: int) -> Connectivity:
    """``serverState`` 0 is online; offline (4) and every broken registration is offline."""
    return Connectivity.ONLINE if server_state == 0 else Connectivity.OFFLINE


# --- schedules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyWindow:
    days: int  # Nuki bitmask
    from_minute: int
    until_minute: int  # 0/0: whole days


def parse_weekly(rule: RecurringSchedule) -> WeeklyWindow:
    """The Nuki weekly window for a recurring schedule, or :class:`Unexpressible`."""
    parts = _rrule_parts(rule.rrule)
    allowed = {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND", "WKST"}
    extra = sorted(set(parts) - allowed)
    if extra:
        raise Unexpressible(f"Nuki has no equivalent of {', '.join(extra)} in a weekly window")
    if parts.get("FREQ") != "WEEKLY":
        raise Unexpressible("Nuki windows repeat weekly: use FREQ=WEEKLY")
    if int(parts.get("INTERVAL", "1")) != 1:
        raise Unexpressible("Nuki windows repeat every week: INTERVAL must be 1")
    if any(int(second) != 0 for second in parts.get("BYSECOND", "0").split(",")):
        raise Unexpressible("Nuki windows start on a whole minute: BYSECOND must be 0")
    days = parts.get("BYDAY", ",".join(WEEKDAYS)).split(",")
    if not days or any(d not in WEEKDAY_BITS for d in days):
        raise Unexpressible("BYDAY must list plain weekdays (MO..SU) without numeric prefixes")
    hours = parts.get("BYHOUR", "0").split(",")
    minutes = parts.get("BYMINUTE", "0").split(",")
    if len(hours) != 1 or len(minutes) != 1:
        raise Unexpressible("Nuki has one daily window per code: give one BYHOUR and one BYMINUTE")
    start = int(hours[0]) * 60 + int(minutes[0])
    end = start + rule.duration
    if rule.duration <= 0:
        raise Unexpressible("duration is a positive number of minutes")
    mask = sum(WEEKDAY_BITS[d] for d in set(days))
    if start == 0 and rule.duration == MINUTES_PER_DAY:
        return WeeklyWindow(mask, 0, 0)  # whole days
    if end >= MINUTES_PER_DAY:
        raise Unexpressible(
            "a Nuki window ends on the day it starts, at 23:59 at the latest: "
            f"starting at {start // 60:02d}:{start % 60:02d} the duration can be at most "
            f"{MINUTES_PER_DAY - 1 - start} minutes (or use 00:00 with 1440 for whole days)"
        )
    return WeeklyWindow(mask, start, end)


def _rrule_parts(text: str) -> dict[str, str]:
    """An RRULE's parts, names and values upper-cased (RFC 5545: case-insensitive).

    The syntax is checked by dateutil; a part named twice, which RFC 5545 forbids and dateutil
    would silently resolve, is refused rather than guessed at.
    """
    text = text.strip()
    name, colon, value = text.partition(":")
    prefixed = bool(colon) and "=" not in name  # "RRULE:" (any case), or another property
    if "\n" in text or "\r" in text or (prefixed and name.strip().upper() != "RRULE"):
        raise Unexpressible("give the RRULE alone, without DTSTART or other lines")
    body = value.strip() if prefixed else text
    try:
        rrulestr(body, dtstart=datetime(2026, 1, 5, tzinfo=UTC))  # RFC 5545 syntax check
    except (ValueError, TypeError) as exc:
        raise Unexpressible(f"not a valid RRULE: {exc}") from None
    parts: dict[str, str] = {}
    for item in body.split(";"):
        key, _, part = item.partition("=")
        key = key.strip().upper()
        if key in parts:
            raise Unexpressible(f"an RRULE names each part once: {key} appears twice")
        parts[key] = part.strip().upper()
    return parts


def rrule_for(window: WeeklyWindow) -> RecurringSchedule:
    """The recurring schedule that a Nuki weekly window stands for."""
    days = ",".join(d for d in WEEKDAYS if window.days & WEEKDAY_BITS[d]) or ",".join(WEEKDAYS)
    if window.from_minute == 0 and window.until_minute == 0:
        start, duration = 0, MINUTES_PER_DAY
    else:
        start, duration = window.from_minute, window.until_minute - window.from_minute
    return RecurringSchedule(
        f"RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY={days};BYHOUR={start // 60};BYMINUTE={start % 60}",
        duration,
    )


# --- credentials ⇄ authorizations ---------------------------------------------------------


def auth_body(credential: PinCodeCredential) -> dict[str, Any]:
    """Nuki's create/update body for a credential (type 13). Raises :class:`Unexpressible`.

    Every time field is sent (or sent as null): Nuki's update replaces the time restrictions,
    so a field left out would be cleared anyway; sending them all says so explicitly.
    """
    body: dict[str, Any] = {
        "name": credential.name,
        "type": 13,
        "code": int(credential.pin_code),
        "allowedFromDate": None,
        "allowedUntilDate": None,
        "allowedWeekDays": ALL_DAYS,
        "allowedFromTime": 0,
        "allowedUntilTime": 0,
    }
    if credential.always_active:
        return body
    for temporary in credential.temporary_schedules[:1]:
        start, end = as_utc(temporary.start), as_utc(temporary.end)
        body["allowedFromDate"] = None if start <= OPEN_START else isoformat(start)
        body["allowedUntilDate"] = None if end >= OPEN_END else isoformat(end)
    for recurring in credential.recurring_schedules[:1]:
        window = parse_weekly(recurring)
        body["allowedWeekDays"] = window.days
        body["allowedFromTime"] = window.from_minute
        body["allowedUntilTime"] = window.until_minute
    return body


def credential_from(
    auth: dict[str, Any], asked: PinCodeCredential | None = None
) -> PinCodeCredential:
    """The credential a Nuki keypad authorization (``SmartlockAuth``, type 13) stands for.

    ``asked``: what the adapter asked Nuki for this code, if it knows. While the record still
    holds that (see :func:`same_content`), a schedule that restricts nothing — which the
    record cannot tell from no schedule — is read back as the schedule that was asked for, so
    create → sync → read back gives the same credential.
    """
    keep_temporary = keep_recurring = False
    if asked is not None and not asked.always_active and same_content(asked, auth):
        keep_temporary = bool(asked.temporary_schedules)
        keep_recurring = bool(asked.recurring_schedules)
    temporary: tuple[TemporarySchedule, ...] = ()
    start, end = auth.get("allowedFromDate"), auth.get("allowedUntilDate")
    if start or end or keep_temporary:
        temporary = (
            TemporarySchedule(
                parse_instant(start) if start else OPEN_START,
                parse_instant(end) if end else OPEN_END,
            ),
        )
    days = auth.get("allowedWeekDays")
    window = WeeklyWindow(
        ALL_DAYS if days in (None, 0) else int(days),
        int(auth.get("allowedFromTime") or 0),
        int(auth.get("allowedUntilTime") or 0),
    )
    recurring: tuple[RecurringSchedule, ...] = ()
    if window != WeeklyWindow(ALL_DAYS, 0, 0) or keep_recurring:
        recurring = (rrule_for(window),)
    return PinCodeCredential(
        id=str(auth["id"]),
        pin_code=str(auth.get("code", "")),
        name=str(auth.get("name", "")),
        always_active=not temporary and not recurring,
        temporary_schedules=temporary,
        recurring_schedules=recurring,
    )


def same_content(credential: PinCodeCredential, auth: dict[str, Any]) -> bool:
    """Whether Nuki's record shows what the credential asked for (the id aside)."""
    try:
        shown = credential_from(auth)
        wanted = credential_from({**auth_body(credential), "id": shown.id})
    except (Unexpressible, KeyError, ValueError):
        return False
    return (shown.pin_code, shown.name, shown.temporary_schedules, shown.recurring_schedules) == (
        wanted.pin_code,
        wanted.name,
        wanted.temporary_schedules,
        wanted.recurring_schedules,
    )


def answers_create(
    credential: PinCodeCredential, auth: dict[str, Any], *, known_before: frozenset[str]
) -> bool:
    """Whether a ``DEVICE_AUTHS`` record can be Nuki's record of the adapter's create.

    Nuki answers a create with 204 and no id, so the record is recognised by what it holds:
    the PIN, name and schedules asked for, under an id the adapter did not know when it sent
    the create. A known code that someone changed into ours is theirs (the lock refuses ours as
    a duplicate and Nuki reports that in a record of its own), and so is one holding the same
    PIN with other content. A brand-new identical code cannot be told from ours: Nuki's only
    clue, ``creationDate``, needs the adapter's clock to agree with Nuki's, which a simulator
    on virtual time (or a skewed host) breaks for every create.
    """
    if str(auth.get("id")) in known_before or str(auth.get("code")) != credential.pin_code:
        return False
    return same_content(credential, auth)
