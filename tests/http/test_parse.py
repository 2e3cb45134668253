"""Request bodies and query values: strict types, Nuki's defaults, and a 400 for anything else."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.errors import BadParameter, Unprocessable
from nuki_sim.simulator.domain.inputs import SmartlockUpdate
from nuki_sim.simulator.domain.model import AuthChanges, Schedule
from nuki_sim.simulator.http import params, parse, queries

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEYPAD_CODE = {"name": "Guest", "type": 13, "code": 345678}
APP_AUTH = {"name": "Anna's phone", "type": 0, "accountUserId": 200001}
INT64_MAX = 2**63 - 1
NULL_CODE_MESSAGE = "The supplied value 'null' for parameter 'code' is not valid"

# Values of the wrong JSON type for an integer, a boolean and a string field.
NOT_AN_INT = [True, False, 1.0, 2.5, "1", [1], {"v": 1}]
NOT_A_BOOL = [1, 0, "true", 1.0, [True]]
NOT_A_STRING = [1, 1.5, True, ["a"], {"a": 1}]


def with_fields(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


# --- auth_create -----------------------------------------------------------------------------


def test_keypad_code_create_is_parsed() -> None:
    """``{name, type: 13, code}`` is enough for a keypad code (as clients send it)."""
    request = parse.auth_create(KEYPAD_CODE)
    assert request.type == AuthType.KEYPAD_CODE
    assert request.code == 345678
    assert request.name == "Guest"
    assert request.schedule == Schedule()
    assert request.remote_allowed is False
    assert request.account_user_id is None
    assert parse.auth_create(with_fields(KEYPAD_CODE, code="345678")) == request


def test_omitted_type_means_app_auth_which_needs_an_account_user() -> None:
    """Without ``type`` the body is an app authorization (0), which needs ``accountUserId``."""
    with pytest.raises(BadParameter, match="parameter 'accountUserId'"):
        parse.auth_create({"name": "Anna's phone"})
    request = parse.auth_create({"name": "Anna's phone", "accountUserId": 200001})
    assert request.type == AuthType.APP
    assert request.account_user_id == 200001


def test_keypad_code_needs_a_code() -> None:
    """Type 13 without a code is a 400 with Nuki's verbatim "value 'null'" text (thread 39051)."""
    with pytest.raises(BadParameter, match="parameter 'code'") as refused:
        parse.auth_create({"name": "Guest", "type": 13})
    assert refused.value.message == NULL_CODE_MESSAGE, (
        f"Nuki (Java) says 'null' for a missing code, not {refused.value.message!r}"
    )


def test_app_auth_refuses_a_code() -> None:
    """A code on a non-keypad type is refused naming the code (fact sheet: thread 16794)."""
    with pytest.raises(BadParameter, match="'345678' for parameter 'code'"):
        parse.auth_create(with_fields(APP_AUTH, code=345678))


@pytest.mark.parametrize("auth_type", [1, 3, 14, 15, 256, -1])
def test_only_app_fob_and_keypad_types_can_be_created(auth_type: int) -> None:
    """The API creates types 0, 2 and 13 only (Swagger); every other type is a 400 on ``type``."""
    with pytest.raises(BadParameter, match="parameter 'type'"):
        parse.auth_create(with_fields(APP_AUTH, type=auth_type))


@pytest.mark.parametrize("value", NOT_AN_INT)
@pytest.mark.parametrize("key", ["type", "accountUserId", "allowedWeekDays", "allowedFromTime"])
def test_integer_fields_refuse_other_json_types(key: str, value: object) -> None:
    """A bool, a float or a string is not an integer, even when it looks like one."""
    with pytest.raises(BadParameter, match=f"parameter '{key}'"):
        parse.auth_create(with_fields(APP_AUTH, **{key: value}))


@pytest.mark.parametrize("value", NOT_A_BOOL)
@pytest.mark.parametrize("key", ["remoteAllowed", "smartActionsEnabled"])
def test_boolean_fields_refuse_other_json_types(key: str, value: object) -> None:
    """Only true and false are booleans: 1, "true" and 1.0 are refused."""
    with pytest.raises(BadParameter, match=f"parameter '{key}'"):
        parse.auth_create(with_fields(APP_AUTH, **{key: value}))


@pytest.mark.parametrize("value", NOT_A_STRING)
@pytest.mark.parametrize("key", ["name", "allowedFromDate"])
def test_string_fields_refuse_other_json_types(key: str, value: object) -> None:
    """A number, a bool or a list is not a string."""
    with pytest.raises(BadParameter, match=f"parameter '{key}'"):
        parse.auth_create(with_fields(APP_AUTH, **{key: value}))


@pytest.mark.parametrize("code", [True, 345678.0, [345678], {"code": 345678}])
def test_code_refuses_other_json_types(code: object) -> None:
    """A code is an int or a digit string: a bool, float, list or object is refused."""
    with pytest.raises(BadParameter, match="parameter 'code'"):
        parse.auth_create(with_fields(KEYPAD_CODE, code=code))


@pytest.mark.parametrize("body", [None, [], "name", 13, [KEYPAD_CODE]])
def test_body_must_be_an_object(body: object) -> None:
    """A body that is not a JSON object is a 400."""
    with pytest.raises(BadParameter, match="must be a JSON object"):
        parse.auth_create(body)


def test_schedule_fields_are_parsed() -> None:
    """Dates (any offset) become UTC instants; days and minutes are kept as sent."""
    request = parse.auth_create(
        with_fields(
            KEYPAD_CODE,
            allowedFromDate="2026-01-05T10:00:00+01:00",
            allowedUntilDate="2026-01-12T09:00:00.000Z",
            allowedWeekDays=64 | 4,
            allowedFromTime=480,
            allowedUntilTime=1140,
        )
    )
    assert request.schedule == Schedule(
        allowed_from_date=T0,
        allowed_until_date=datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
        allowed_week_days=68,
        allowed_from_time=480,
        allowed_until_time=1140,
    )


@pytest.mark.parametrize("text", ["next monday", "2026-02-30T00:00:00Z", ""])
def test_unreadable_dates_are_bad_parameters(text: str) -> None:
    """A date that is not an ISO-8601 instant is a 400 naming the field."""
    with pytest.raises(BadParameter, match="parameter 'allowedFromDate'"):
        parse.auth_create(with_fields(KEYPAD_CODE, allowedFromDate=text))


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_dates_at_the_calendar_edges_are_bad_parameters_not_crashes(text: str) -> None:
    """An offset that pushes a date outside the calendar is a 400, never an unhandled error."""
    try:
        parse.auth_create(with_fields(KEYPAD_CODE, allowedFromDate=text))
    except BadParameter:
        return
    except OverflowError as error:
        pytest.fail(
            f"BUG: allowedFromDate={text!r} raises OverflowError ({error}) instead of "
            "BadParameter: parse_instant's astimezone overflows and parse._instant only "
            "catches ValueError, so the HTTP layer answers 500"
        )


# --- auth_changes ----------------------------------------------------------------------------


def test_update_without_time_fields_clears_the_schedule() -> None:
    """An update omitting the time fields yields an empty Schedule (Nuki's documented quirk)."""
    changes = parse.auth_changes({"name": "Guest 2", "code": 345679}, keypad=True)
    assert changes.schedule == Schedule()
    assert changes.name == "Guest 2"
    assert changes.code == 345679
    assert changes.enabled is None
    assert changes.remote_allowed is None


def test_update_may_be_empty() -> None:
    """An empty update object changes no field and clears the schedule."""
    assert parse.auth_changes({}, keypad=False) == AuthChanges(
        None, None, None, None, Schedule(), None
    )


def test_update_refuses_a_code_on_a_non_keypad_auth() -> None:
    """Only keypad codes have a code to change."""
    with pytest.raises(BadParameter, match="parameter 'code'"):
        parse.auth_changes({"code": 345678}, keypad=False)


def test_update_checks_the_keypad_name_limit() -> None:
    """A rename of a keypad code follows the 20-character limit (422 comes from rules)."""
    with pytest.raises(Unprocessable):
        parse.auth_changes({"name": "x" * 21}, keypad=True)


@pytest.mark.parametrize("enabled", [1, 0, "false"])
def test_update_enabled_must_be_a_boolean(enabled: object) -> None:
    """``enabled`` is true or false; other JSON values are refused."""
    with pytest.raises(BadParameter, match="parameter 'enabled'"):
        parse.auth_changes({"enabled": enabled}, keypad=True)


# --- actions, smartlock updates, bulk bodies ----------------------------------------------


def test_action_defaults_option_to_zero() -> None:
    """``{action: 2}`` is a plain lock."""
    assert parse.action({"action": 2}) == (2, 0)
    assert parse.action({"action": 3, "option": 2}) == (3, 2)


@pytest.mark.parametrize(
    "body",
    [{}, {"action": 0}, {"action": 8}, {"action": True}, {"action": 1.0}, {"action": "1"}],
)
def test_action_must_be_a_known_integer(body: dict[str, Any]) -> None:
    """A missing, unknown, boolean, float or string action is a 400 on ``action``."""
    with pytest.raises(BadParameter, match="parameter 'action'"):
        parse.action(body)


@pytest.mark.parametrize("option", [8, -1, True, 2.0])
def test_action_option_is_a_bitmask_up_to_7(option: object) -> None:
    """``option`` is an integer 0..7."""
    with pytest.raises(BadParameter, match="parameter 'option'"):
        parse.action({"action": 1, "option": option})


def test_smartlock_update_reads_name_and_favorite() -> None:
    """Both fields are optional; present ones are returned."""
    assert parse.smartlock_update({"name": "Front Door", "favorite": True}) == SmartlockUpdate(
        "Front Door", True
    )
    assert parse.smartlock_update({}) == SmartlockUpdate(None, None)


@pytest.mark.parametrize(
    "body", [{"name": ""}, {"name": "  "}, {"name": "x" * 33}, {"name": 5}, {"favorite": 1}]
)
def test_smartlock_update_refuses_bad_values(body: dict[str, Any]) -> None:
    """Blank or over-long names, a non-string name or a non-bool favorite are 400s."""
    with pytest.raises(BadParameter):
        parse.smartlock_update(body)


def test_smartlock_update_never_accepts_a_name_over_32_characters() -> None:
    """Trailing blanks do not smuggle a name past the 32-character limit."""
    try:
        name = parse.smartlock_update({"name": "x" * 32 + "   "}).name
    except BadParameter:
        return
    assert name is not None
    assert len(name) <= 32, (
        f"BUG: smartlock_update accepted a {len(name)}-character name: it checks the length "
        "of name.strip() but returns the name unstripped"
    )


def test_smartlock_ids_are_deduplicated_in_order() -> None:
    """Bulk create lock ids come back without repeats, first occurrence kept."""
    assert parse.smartlock_ids({"smartlockIds": [3, 1, 3, 2, 1]}) == [3, 1, 2]


@pytest.mark.parametrize(
    "ids", [None, [], [0], [-1], [True], [1.0], ["18298712180"], [INT64_MAX + 1], "1"]
)
def test_smartlock_ids_must_be_positive_int64s(ids: object) -> None:
    """A missing or empty list, or any entry that is not a positive int64, is a 400."""
    with pytest.raises(BadParameter, match="parameter 'smartlockIds'"):
        parse.smartlock_ids({"smartlockIds": ids})


def test_auth_id_list_is_a_non_empty_list_of_strings() -> None:
    """A bulk delete body is an array of id strings, deduplicated."""
    assert parse.auth_id_list(["a", "b", "a"]) == ["a", "b"]
    for bad in ([], {"ids": ["a"]}, "a", ["a", 1], [None]):
        with pytest.raises(BadParameter):
            parse.auth_id_list(bad)


def test_bulk_updates_need_objects_with_string_ids() -> None:
    """A bulk update body is an array of objects, each with a string ``id``."""
    items = [{"id": "a", "name": "x"}, {"id": "b"}]
    assert parse.bulk_updates(items) == items
    for bad in ([], {"id": "a"}, ["a"], [{"name": "x"}], [{"id": 5}]):
        with pytest.raises(BadParameter):
            parse.bulk_updates(bad)


# --- query strings and path ids --------------------------------------------------------------


def test_query_helpers_treat_empty_as_absent() -> None:
    """Missing and empty query values both mean "not given"."""
    for query in ({}, {"limit": ""}):
        assert queries.query_int(query, "limit") is None
    assert queries.query_types({"types": ""}) is None
    assert queries.query_instant({"fromDate": ""}, "fromDate") is None
    assert queries.query_bool({"includeEmail": ""}, "includeEmail") is None


def test_query_helpers_parse_their_values() -> None:
    """Ints, comma lists of types, instants and booleans are parsed."""
    assert queries.query_int({"limit": "50"}, "limit") == 50
    assert queries.query_types({"types": "0,2,13"}) == frozenset({0, 2, 13})
    assert queries.query_instant({"fromDate": "2026-01-05T10:00:00+01:00"}, "fromDate") == T0
    assert queries.query_bool({"includeEmail": "TRUE"}, "includeEmail") is True
    assert queries.query_bool({"includeEmail": "false"}, "includeEmail") is False


@pytest.mark.parametrize(
    ("call", "query"),
    [
        (lambda q: queries.query_int(q, "limit", lo=1), {"limit": "0"}),
        (lambda q: queries.query_int(q, "limit"), {"limit": "ten"}),
        (lambda q: queries.query_int(q, "limit"), {"limit": "2.5"}),
        (lambda q: queries.query_types(q), {"types": "0,x"}),
        (lambda q: queries.query_instant(q, "fromDate"), {"fromDate": "today"}),
        (lambda q: queries.query_bool(q, "includeEmail"), {"includeEmail": "1"}),
    ],
    ids=["below-range", "words", "float", "bad-type", "bad-date", "bool-as-1"],
)
def test_query_helpers_refuse_bad_values(call: Any, query: dict[str, str]) -> None:
    """A query value that does not parse or is out of range is a 400."""
    with pytest.raises(BadParameter):
        call(query)


@pytest.mark.parametrize("text", ["18298712180", "1", str(INT64_MAX)])
def test_smartlock_id_parses_decimal_int64(text: str) -> None:
    """A path id is a decimal int64."""
    assert params.smartlock_id(text) == int(text)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "-1", "+1", "1.0", " 1", "0x4", "١٢٣", "１２３", str(INT64_MAX + 1), "9" * 25],
)
def test_smartlock_id_refuses_everything_else(text: str) -> None:
    """Signs, spaces, hex, non-ASCII digits and values above int64 are refused."""
    with pytest.raises(BadParameter, match="parameter 'smartlockId'"):
        params.smartlock_id(text)
