"""The simulator's clocks and Nuki's wire format for instants (fact sheet §1: ms and a Z)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st

from nuki_sim.simulator.domain.clock import (
    SystemClock,
    VirtualClock,
    as_utc,
    isoformat,
    parse_instant,
    truncate_ms,
)
from nuki_sim.simulator.domain.errors import ClockError

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))
WIRE_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

# Offsets a client may send; kept away from the datetime range ends so no shift overflows.
OFFSETS = st.sampled_from([UTC, CET, timezone(timedelta(hours=-9, minutes=-30))])
MS_INSTANTS = st.datetimes(
    min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS
).map(truncate_ms)


# --- VirtualClock ----------------------------------------------------------------------------


def test_virtual_clock_stands_still_until_moved() -> None:
    """A virtual clock reports its start instant until something moves it."""
    clock = VirtualClock(T0)
    assert clock.now() == T0
    assert clock.now() == T0


def test_virtual_clock_moves_forward_by_shift_and_move_to() -> None:
    """``shift`` adds a duration and ``move_to`` jumps to a later instant."""
    clock = VirtualClock(T0)
    clock.shift(timedelta(minutes=5))
    assert clock.now() == T0 + timedelta(minutes=5)
    clock.move_to(T0 + timedelta(days=400))
    assert clock.now() == T0 + timedelta(days=400)


def test_virtual_clock_accepts_standing_still() -> None:
    """Moving to the current instant or shifting by zero is allowed and changes nothing."""
    clock = VirtualClock(T0)
    clock.move_to(T0)
    clock.shift(timedelta(0))
    assert clock.now() == T0


def test_virtual_clock_refuses_to_move_backwards() -> None:
    """``move_to`` an earlier instant raises ClockError and leaves the clock where it was."""
    clock = VirtualClock(T0)
    with pytest.raises(ClockError, match="only moves forward"):
        clock.move_to(T0 - timedelta(milliseconds=1))
    assert clock.now() == T0


def test_virtual_clock_refuses_a_negative_shift() -> None:
    """``shift`` by a negative duration raises ClockError and leaves the clock where it was."""
    clock = VirtualClock(T0)
    with pytest.raises(ClockError):
        clock.shift(timedelta(microseconds=-1))
    assert clock.now() == T0


def test_virtual_clock_takes_naive_datetimes_as_utc() -> None:
    """A naive start or target is read as UTC and reported as an aware UTC instant."""
    clock = VirtualClock(datetime(2026, 1, 5, 9, 0))
    assert clock.now() == T0
    assert clock.now().tzinfo is UTC
    clock.move_to(datetime(2026, 1, 5, 10, 0))
    assert clock.now() == T0 + timedelta(hours=1)


def test_virtual_clock_normalises_offsets_to_utc() -> None:
    """A start with a non-UTC offset is the same instant, reported in UTC."""
    clock = VirtualClock(datetime(2026, 1, 5, 10, 0, tzinfo=CET))
    assert clock.now() == T0
    assert clock.now().utcoffset() == timedelta(0)


def test_as_utc_keeps_the_instant() -> None:
    """``as_utc`` converts aware values to UTC and stamps naive ones as UTC."""
    assert as_utc(datetime(2026, 1, 5, 10, 0, tzinfo=CET)) == T0
    assert as_utc(datetime(2026, 1, 5, 9, 0)) == T0
    assert as_utc(datetime(2026, 1, 5, 9, 0)).tzinfo is UTC


# --- SystemClock -----------------------------------------------------------------------------


def test_system_clock_follows_freezegun() -> None:
    """The system clock reads the wall clock on every call, so freezegun moves it."""
    clock = SystemClock()
    with freeze_time(T0) as frozen:
        assert clock.now() == T0
        frozen.tick(timedelta(seconds=90))
        assert clock.now() == T0 + timedelta(seconds=90)


def test_system_clock_is_aware_utc() -> None:
    """The system clock's instants are aware and in UTC."""
    with freeze_time(T0):
        assert SystemClock().now().utcoffset() == timedelta(0)


# --- the wire format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2019, 8, 31, 23, 20, 9, 475000, tzinfo=UTC), "2019-08-31T23:20:09.475Z"),
        (datetime(2019, 8, 31, 23, 20, 9, 475999), "2019-08-31T23:20:09.475Z"),
        (datetime(2026, 1, 5, 10, 0, tzinfo=CET), "2026-01-05T09:00:00.000Z"),
        (
            datetime(2026, 1, 5, 0, 30, tzinfo=timezone(timedelta(hours=2))),
            "2026-01-04T22:30:00.000Z",
        ),
        (
            datetime(2026, 12, 31, 23, 0, 0, 1000, tzinfo=timezone(timedelta(hours=-2))),
            "2027-01-01T01:00:00.001Z",
        ),
    ],
    ids=["aware-utc", "naive-truncates-us", "cet", "offset-crosses-day", "offset-crosses-year"],
)
def test_isoformat_is_utc_with_milliseconds_and_z(instant: datetime, expected: str) -> None:
    """Instants go on the wire as UTC ``YYYY-MM-DDTHH:MM:SS.mmmZ``, microseconds dropped."""
    assert isoformat(instant) == expected


def test_isoformat_pads_the_year_to_four_digits() -> None:
    """ISO-8601 years have four digits: year 999 is written ``0999`` (and parses back)."""
    instant = datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC)
    text = isoformat(instant)
    assert text == "0999-03-04T05:06:07.000Z", (
        f"BUG: isoformat writes {text!r} (strftime %Y does not pad years below 1000), "
        "which is not ISO-8601 and which parse_instant cannot read back"
    )


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-05T09:00:00.000Z",
        "2026-01-05T09:00:00z",
        "2026-01-05T09:00:00+00:00",
        "2026-01-05T10:00:00+01:00",
        "2026-01-05T04:30:00-04:30",
        "2026-01-05T09:00:00",
        "  2026-01-05T09:00:00.000Z ",
    ],
)
def test_parse_instant_accepts_z_offsets_and_naive(text: str) -> None:
    """``Z``, ``z``, numeric offsets and naive text (UTC) all name the same instant."""
    parsed = parse_instant(text)
    assert parsed == T0
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z", "05.01.2026 09:00"])
def test_parse_instant_refuses_garbage_with_value_error(text: str) -> None:
    """Text that is not an ISO-8601 instant raises ValueError (which inputs turn into a 400)."""
    with pytest.raises(ValueError):
        parse_instant(text)


@given(MS_INSTANTS)
def test_isoformat_matches_the_wire_pattern(instant: datetime) -> None:
    """Every formatted instant matches Nuki's pattern, whatever offset it came with."""
    assert WIRE_INSTANT.match(isoformat(instant))


@given(MS_INSTANTS)
def test_parse_instant_round_trips_isoformat(instant: datetime) -> None:
    """Parsing a formatted millisecond instant gives the same instant back."""
    assert parse_instant(isoformat(instant)) == instant


@given(
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)).map(truncate_ms)
)
def test_naive_instants_round_trip_as_utc(instant: datetime) -> None:
    """A naive millisecond instant formats and parses back as the same wall time in UTC."""
    assert parse_instant(isoformat(instant)) == instant.replace(tzinfo=UTC)


def test_truncate_ms_drops_only_sub_millisecond_precision() -> None:
    """``truncate_ms`` rounds down to the millisecond and keeps everything else."""
    instant = datetime(2026, 1, 5, 9, 0, 1, 123_999, tzinfo=UTC)
    assert truncate_ms(instant) == datetime(2026, 1, 5, 9, 0, 1, 123_000, tzinfo=UTC)
