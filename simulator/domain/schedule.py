"""Whether a keypad code's schedule lets it open the lock at a given instant.

The date window is UTC; the weekday bitmask and the daily time window are read in the lock's
own IANA time zone, so "weekdays 08:00–18:00" keeps meaning local office hours across a
daylight-saving change.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from nuki_sim.simulator.domain.model import Schedule

WEEKDAY_BITS = (64, 32, 16, 8, 4, 2, 1)  # Monday … Sunday, as Nuki's allowedWeekDays


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def refusal(
    schedule: Schedule, at: datetime, timezone: str, *, needs_date_window: bool = False
) -> str | None:
    """Why ``schedule`` does not allow entry at ``at`` (UTC), or ``None`` when it does.

    ``needs_date_window`` (the quirk time-window-needs-date-window): the weekday and daily
    windows count only when a date window is set too; without one they are ignored.
    """
    start, end = schedule.allowed_from_date, schedule.allowed_until_date
    if start is not None and at < start:
        return "not yet valid (before allowedFromDate)"
    if end is not None and at >= end:
        return "expired (after allowedUntilDate)"
    if needs_date_window and start is None and end is None:
        return None
    local = at.astimezone(zone(timezone))
    days = schedule.allowed_week_days
    if days and not days & WEEKDAY_BITS[local.weekday()]:
        return f"not allowed on {local.strftime('%A')} (allowedWeekDays)"
    if schedule.allowed_from_time or schedule.allowed_until_time:
        minute = local.hour * 60 + local.minute
        if not schedule.allowed_from_time <= minute < schedule.allowed_until_time:
            return f"outside the daily window at {local.strftime('%H:%M')} local time"
    return None
