"""Request parsing edges mutation testing found open: the fields an update carries, what a
keypad create drops, and the exact Nuki texts of the 400s a client reads."""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain import inputs as domain_inputs
from nuki_sim.simulator.domain.errors import BadParameter, Unprocessable
from nuki_sim.simulator.domain.inputs import SmartlockUpdate
from nuki_sim.simulator.http import params, parse, queries

ACCOUNT_USER = 200_001
KEYPAD_CODE = {"name": "Guest", "type": 13, "code": 345678}
INT32_MAX = 2**31 - 1


def invalid(parameter: str, value: object) -> str:
    return f"The supplied value '{value}' for parameter '{parameter}' is not valid"


def refusal(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str | None]:
    with pytest.raises(BadParameter) as refused:
        call(*args, **kwargs)
    return refused.value.message, refused.value.hint


def test_a_keypad_create_drops_an_account_user_id() -> None:
    """A keypad code belongs to no account user: an accountUserId sent with it is not kept."""
    request = parse.auth_create({**KEYPAD_CODE, "accountUserId": ACCOUNT_USER})
    assert request.account_user_id is None


def test_an_app_create_keeps_its_flags_and_account_user() -> None:
    """remoteAllowed, smartActionsEnabled and accountUserId of an app authorization are kept."""
    request = parse.auth_create(
        {"name": "Phone", "type": 0, "accountUserId": ACCOUNT_USER, "remoteAllowed": True,
         "smartActionsEnabled": True}
    )  # fmt: skip
    assert (request.account_user_id, request.remote_allowed, request.smart_actions_enabled) == (
        ACCOUNT_USER,
        True,
        True,
    )


def test_flags_left_out_of_a_create_are_false() -> None:
    """A create without remoteAllowed or smartActionsEnabled has both off."""
    request = parse.auth_create(KEYPAD_CODE)
    assert (request.remote_allowed, request.smart_actions_enabled) == (False, False)


def test_an_update_carries_remote_allowed_and_account_user_id() -> None:
    """remoteAllowed and accountUserId of an update body reach the changes; others stay None."""
    changes = parse.auth_changes(
        {"remoteAllowed": False, "accountUserId": ACCOUNT_USER}, keypad=False
    )
    assert (changes.remote_allowed, changes.account_user_id) == (False, ACCOUNT_USER)
    assert (changes.name, changes.enabled, changes.code) == (None, None, None)


def test_an_update_checks_and_keeps_a_new_keypad_code_and_name() -> None:
    """A keypad code's update may change its code and name; both are checked and kept."""
    changes = parse.auth_changes({"code": 456789, "name": "x", "enabled": True}, keypad=True)
    assert (changes.code, changes.name, changes.enabled) == (456789, "x", True)
    assert refusal(parse.auth_changes, {"code": 120000}, keypad=True)[0] == invalid("code", 120000)


def test_an_update_of_an_app_authorization_refuses_a_code_saying_why() -> None:
    """Only keypad codes have a code: the 400 names the code and the hint says so."""
    assert refusal(parse.auth_changes, {"code": 345678}, keypad=False) == (
        invalid("code", 345678),
        "only keypad codes (type 13) have a code",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"type": 13, "code": 345678}, (invalid("name", "null"), "name is required")),
        (
            {"name": "Guest", "type": 13},
            (invalid("code", "null"), "a keypad code (type 13) needs a code"),
        ),
        (
            {"name": "Phone", "type": 0, "code": 345678, "accountUserId": 1},
            (invalid("code", 345678), "only keypad codes (type 13) have a code"),
        ),
        (
            {"name": "Phone", "type": 0},
            (
                invalid("accountUserId", "null"),
                "an app authorization (type 0) or fob (type 2) needs the accountUserId it is for",
            ),
        ),
        (
            {"name": "Bridge", "type": 1},
            (
                invalid("type", 1),
                "the API creates app authorizations (0), fobs (2) and keypad codes (13)",
            ),
        ),
        (
            {**KEYPAD_CODE, "remoteAllowed": "yes"},
            (invalid("remoteAllowed", "yes"), "remoteAllowed is true or false"),
        ),
        ({"name": 7, "type": 13, "code": 345678}, (invalid("name", 7), "name is a string")),
        ({**KEYPAD_CODE, "code": 3.5}, (invalid("code", 3.5), "code is a number")),
        (
            {**KEYPAD_CODE, "allowedFromDate": "soon"},
            (
                invalid("allowedFromDate", "soon"),
                "allowedFromDate is an ISO-8601 instant such as 2026-05-01T14:00:00.000Z",
            ),
        ),
    ],
)
def test_create_refusals_carry_nukis_text_and_a_hint(
    body: dict[str, Any], expected: tuple[str, str]
) -> None:
    """Each refused create names the parameter in Nuki's words and says what would work."""
    assert refusal(parse.auth_create, body) == expected


def test_type_defaults_to_an_app_authorization() -> None:
    """A create without ``type`` is an app authorization (type 0)."""
    request = parse.auth_create({"name": "Phone", "accountUserId": ACCOUNT_USER})
    assert int(request.type) == 0


@pytest.mark.parametrize(
    ("value", "ok"), [(0, True), (INT32_MAX, True), (-1, False), (INT32_MAX + 1, False)]
)
def test_integers_are_int32_from_zero(value: int, ok: bool) -> None:
    """Integer body fields take 0 to 2^31-1 and refuse anything outside, naming the field."""
    body = {"name": "Phone", "type": 0, "accountUserId": value}
    if ok:
        assert parse.auth_create(body).account_user_id == value
    else:
        assert refusal(parse.auth_create, body) == (invalid("accountUserId", value), None)


def test_a_smartlock_action_refusal_lists_the_actions() -> None:
    """An unknown action is refused naming it, with the list of actions as the hint."""
    message, hint = refusal(parse.action, {"action": 9})
    assert message == invalid("action", 9)
    assert hint == (
        "smart lock actions are 1 unlock, 2 lock, 3 unlatch, 4 lock 'n' go, "
        "5 lock 'n' go with unlatch; an opener's 1, 2, 3, 6, 7"
    )


def test_an_action_keeps_its_option() -> None:
    """``option`` up to 7 is passed on with the action."""
    assert parse.action({"action": 3, "option": 7}) == (3, 7)


def test_a_lock_name_refusal_says_the_length() -> None:
    """A lock name of 33 characters is refused; the hint gives the 1 to 32 range."""
    assert refusal(parse.smartlock_update, {"name": "x" * 33}) == (
        invalid("name", "x" * 33),
        "a lock name has 1 to 32 characters",
    )
    assert parse.smartlock_update({"name": "x" * 32}) == SmartlockUpdate("x" * 32, None)


@pytest.mark.parametrize(
    ("call", "raw", "message"),
    [
        (parse.auth_id_list, [], "The request body must be a non-empty JSON array of authorization ids"),
        (parse.auth_id_list, [1], invalid("id", 1)),
        (parse.bulk_updates, [], "The request body must be a non-empty JSON array of updates"),
        (parse.bulk_updates, [{"id": 5}], invalid("id", 5)),
        (parse.bulk_updates, [3], "The request array items must be a JSON object"),
        (parse.smartlock_ids, {"smartlockIds": []}, invalid("smartlockIds", [])),
        (parse.smartlock_ids, {"smartlockIds": [0]}, invalid("smartlockIds", 0)),
        (parse.obj, "text", "The request body must be a JSON object"),
    ],
)  # fmt: skip
def test_bulk_body_refusals_say_what_was_expected(call: Any, raw: object, message: str) -> None:
    """Each malformed bulk body is refused with the text a client reads."""
    assert refusal(call, raw)[0] == message


def test_query_values_are_refused_with_the_parameter_named() -> None:
    """A query value that does not parse is refused naming the parameter and the text given."""
    assert refusal(queries.query_int, {"limit": "x"}, "limit")[0] == invalid("limit", "x")
    assert refusal(queries.query_int, {"limit": "51"}, "limit", hi=50)[0] == invalid("limit", "51")
    assert queries.query_int({"limit": "50"}, "limit", hi=50) == 50
    assert queries.query_int({"id": "-3"}, "id", lo=-5) == -3
    assert refusal(queries.query_types, {"types": "0,x"})[0] == invalid("types", "0,x")
    assert queries.query_types({"types": "0, 13,"}) == frozenset({0, 13})
    assert refusal(queries.query_bool, {"ok": "yes"}, "ok")[0] == invalid("ok", "yes")
    assert queries.query_bool({"ok": "TRUE"}, "ok") is True
    assert queries.query_bool({"ok": "False"}, "ok") is False
    assert refusal(queries.query_instant, {"at": "x"}, "at")[0] == invalid("at", "x")


def test_path_ids_are_refused_naming_the_path_parameter() -> None:
    """A path id that is not a decimal int64 is refused under its own name."""
    assert refusal(params.path_int, "12a", "apiKeyId")[0] == invalid("apiKeyId", "12a")
    assert refusal(params.smartlock_id, str(2**63))[0] == invalid("smartlockId", str(2**63))
    assert params.smartlock_id(str(2**63 - 1)) == 2**63 - 1


def test_smartlock_ids_refusal_says_a_list_is_wanted() -> None:
    """A missing or empty smartlockIds is refused with the hint that a list of ids is wanted."""
    assert refusal(parse.smartlock_ids, {"smartlockIds": 5}) == (
        invalid("smartlockIds", 5),
        "a non-empty list of smartlock ids",
    )
    assert parse.smartlock_ids({"smartlockIds": [2**63 - 1, 7, 7]}) == [2**63 - 1, 7]


def test_control_characters_in_a_lock_name_are_refused_escaped() -> None:
    """A newline in a lock name is refused; the message shows it escaped, the hint says why."""
    assert refusal(parse.smartlock_update, {"name": "a\nb"}) == (
        invalid("name", "a\\nb"),
        "name cannot hold control characters (NUL, newline, escape, ...)",
    )


def test_a_lone_surrogate_is_refused_naming_where_it_is() -> None:
    """Text that is not Unicode is refused with the path to it and what cannot be stored."""
    assert refusal(domain_inputs.check_text, {"items": [{"name": "a\ud800"}]}) == (
        "The supplied value for parameter 'body.items[0].name' is not valid Unicode text",
        "lone UTF-16 surrogate escapes such as \\ud800 cannot be stored",
    )
    assert refusal(domain_inputs.check_text, {"a\ud800": 1})[0] == (
        "The supplied value for parameter 'body (a key)' is not valid Unicode text"
    )


def test_a_keypad_create_checks_the_keypad_name_limit() -> None:
    """A keypad code created with a 21-character name gets the 422, not the 32-character rule."""
    with pytest.raises(Unprocessable):
        parse.auth_create({**KEYPAD_CODE, "name": "x" * 21})


def test_query_integers_start_at_zero_by_default() -> None:
    """``0`` is a valid query integer unless a caller asks for more."""
    assert queries.query_int({"offset": "0"}, "offset") == 0


def test_a_path_id_of_20_digits_is_refused_even_with_leading_zeros() -> None:
    """Path ids have at most 19 digits (int64), whatever their value."""
    text = "0" * 19 + "1"
    assert refusal(params.path_int, text, "id")[0] == invalid("id", text)
