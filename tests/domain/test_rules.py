"""Nuki Web's synchronous checks on keypad codes, names and schedules (fact sheet §5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nuki_sim.simulator.domain import rules
from nuki_sim.simulator.domain.errors import BadParameter, Unprocessable
from nuki_sim.simulator.domain.model import Schedule

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# The code rule written independently of the implementation: six digits 1–9, not "12…".
NUKI_CODE_RULE = re.compile(r"^(?!12)[1-9]{6}$")
SIX_ASCII_DIGITS = st.text(alphabet="0123456789", min_size=6, max_size=6)


def invalid_code_message(value: object) -> str:
    return f"The supplied value '{value}' for parameter 'code' is not valid"


# --- keypad codes ----------------------------------------------------------------------------


@given(SIX_ASCII_DIGITS)
@example("123456")
@example("213456")
@example("999999")
@example("111111")
@example("345670")
def test_check_code_accepts_exactly_nukis_rule(text: str) -> None:
    """A six-digit string is accepted exactly when it has digits 1–9 and does not start with 12."""
    if NUKI_CODE_RULE.match(text):
        assert rules.check_code(text) == int(text)
    else:
        with pytest.raises(BadParameter):
            rules.check_code(text)


@given(st.integers(min_value=0, max_value=10**7))
def test_check_code_treats_ints_like_their_decimal_text(code: int) -> None:
    """An int code is accepted exactly when its decimal digits follow the rule."""
    if NUKI_CODE_RULE.match(str(code)):
        assert rules.check_code(code) == code
    else:
        with pytest.raises(BadParameter):
            rules.check_code(code)


def test_check_code_accepts_int_and_str_alike() -> None:
    """``345678`` and ``"345678"`` are the same code and come back as an int."""
    assert rules.check_code(345678) == 345678
    assert rules.check_code("345678") == 345678


@pytest.mark.parametrize(
    "code",
    [12345, 1234567, "12345", "1234567", 123456, "120000", 345670, "34567a", "", " 34567", -34567],
)
def test_check_code_refuses_with_nukis_message(code: int | str) -> None:
    """A refused code raises a 400 with Nuki's verbatim "parameter 'code' is not valid" text."""
    with pytest.raises(BadParameter) as refused:
        rules.check_code(code)
    assert refused.value.message == invalid_code_message(code)
    assert refused.value.status == 400
    assert refused.value.hint


@pytest.mark.parametrize("code", ["١٢٣٤٥٦", "٣٤٥٦٧٨", "３４５６７８"])
def test_check_code_refuses_non_ascii_digits(code: str) -> None:
    """Only ASCII digits make a keypad code: Arabic-Indic or full-width digits are refused."""
    try:
        accepted = rules.check_code(code)
    except BadParameter:
        return
    pytest.fail(
        f"BUG: check_code({code!r}) accepted the code as {accepted} (str.isdigit() lets non-ASCII "
        "digits through; '١٢٣٤٥٦' even becomes 123456 and bypasses the 'no 12 prefix' rule)"
    )


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("keypad", "longest"), [(True, 20), (False, 32)])
def test_check_name_accepts_up_to_the_limit(keypad: bool, longest: int) -> None:
    """Keypad code names may have 20 characters, other names 32; they come back unchanged."""
    name = "x" * longest
    assert rules.check_name(name, keypad=keypad) == name


def test_keypad_name_over_20_is_unprocessable() -> None:
    """A keypad code name of 21 characters gets Nuki's 422 (Restlet body), not a 400."""
    with pytest.raises(Unprocessable) as refused:
        rules.check_name("Housekeeping Cleaning", keypad=True)
    assert refused.value.status == 422


def test_other_names_over_32_are_bad_parameters() -> None:
    """A non-keypad name of 33 characters is a 400 naming the parameter ``name``."""
    with pytest.raises(BadParameter, match="parameter 'name' is not valid") as refused:
        rules.check_name("x" * 33, keypad=False)
    assert refused.value.status == 400


def test_keypad_name_of_21_to_32_is_fine_for_an_app_auth() -> None:
    """The 20-character limit applies to keypad codes only."""
    assert rules.check_name("Housekeeping Cleaning", keypad=False) == "Housekeeping Cleaning"


@pytest.mark.parametrize("name", ["", " ", "\t\n"])
@pytest.mark.parametrize("keypad", [True, False])
def test_blank_names_are_refused(name: str, keypad: bool) -> None:
    """An empty or whitespace-only name is a 400."""
    with pytest.raises(BadParameter, match="parameter 'name'"):
        rules.check_name(name, keypad=keypad)


# --- schedules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule",
    [
        Schedule(),
        Schedule(allowed_from_date=T0, allowed_until_date=T0 + timedelta(milliseconds=1)),
        Schedule(allowed_from_date=T0),
        Schedule(allowed_until_date=T0),
        Schedule(allowed_week_days=0),
        Schedule(allowed_week_days=127),
        Schedule(allowed_from_time=0, allowed_until_time=0),
        Schedule(allowed_from_time=480, allowed_until_time=1140),
        Schedule(allowed_from_time=0, allowed_until_time=1439),
    ],
    ids=[
        "always",
        "date-window",
        "from-only",
        "until-only",
        "no-days",
        "all-days",
        "no-daily-window",
        "office-hours",
        "whole-day",
    ],
)
def test_consistent_schedules_are_accepted(schedule: Schedule) -> None:
    """A consistent schedule comes back unchanged; 0/0 means no daily window."""
    assert rules.check_schedule(schedule) is schedule


@pytest.mark.parametrize(
    ("schedule", "parameter"),
    [
        (Schedule(allowed_from_date=T0, allowed_until_date=T0), "allowedUntilDate"),
        (
            Schedule(allowed_from_date=T0, allowed_until_date=T0 - timedelta(days=1)),
            "allowedUntilDate",
        ),
        (Schedule(allowed_week_days=128), "allowedWeekDays"),
        (Schedule(allowed_week_days=-1), "allowedWeekDays"),
        (Schedule(allowed_from_time=1440, allowed_until_time=1441), "allowedFromTime"),
        (Schedule(allowed_from_time=-1), "allowedFromTime"),
        (Schedule(allowed_until_time=1440), "allowedUntilTime"),
        (Schedule(allowed_from_time=600, allowed_until_time=600), "allowedUntilTime"),
        (Schedule(allowed_from_time=1140, allowed_until_time=480), "allowedUntilTime"),
        (Schedule(allowed_from_time=480, allowed_until_time=0), "allowedUntilTime"),
    ],
    ids=[
        "until-equals-from",
        "until-before-from",
        "weekdays-128",
        "weekdays-negative",
        "from-time-1440",
        "from-time-negative",
        "until-time-1440",
        "empty-window",
        "reversed-window",
        "from-without-until",
    ],
)
def test_inconsistent_schedules_are_bad_parameters(schedule: Schedule, parameter: str) -> None:
    """An empty date window, a bad bitmask, bad minutes or an empty daily window is a 400."""
    with pytest.raises(BadParameter, match=f"parameter '{parameter}' is not valid"):
        rules.check_schedule(schedule)
