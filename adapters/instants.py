"""Instants on the wire: ISO-8601 UTC with milliseconds and ``Z``, as Nuki and the trait API
write them. One place, so the adapter, its codec and its input parser agree."""

from __future__ import annotations

from datetime import UTC, datetime


def isoformat(instant: datetime) -> str:
    """``2026-01-05T09:00:00.000Z``: UTC, milliseconds (truncated), ``Z``. Naive means UTC."""
    u = instant.astimezone(UTC) if instant.tzinfo else instant.replace(tzinfo=UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
        f".{u.microsecond // 1000:03d}Z"
    )


def parse(text: str) -> datetime:
    """An aware instant from ISO-8601 text (``Z`` or an offset; none means UTC).

    Raises ``ValueError`` for anything else.
    """
    value = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_utc(instant: datetime) -> datetime:
    """The same instant, aware and in UTC (naive means UTC), so instants compare safely."""
    return instant.astimezone(UTC) if instant.tzinfo else instant.replace(tzinfo=UTC)
