"""Keypad code (type 13) rules over real HTTP, for creates (PUT) and updates (POST).

Fact sheet §5 and the seed: a code has exactly 6 digits, each 1–9, and does not start with
``12``; a keypad code's name has at most 20 characters (else 422 with Restlet's body); a code
is unique per lock (409) and a lock holds 100 codes (409 when the cloud lists them all). Every
refusal leaves the world as it was: nothing queued, and a sync lists what it listed before.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain import devices
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from tests.client import ApiClient, Reply

KEYPAD_CODE = 13
NEW_CODE = 345678
DEFAULT_CAPACITY = devices.KEYPAD.capacity  # the first demo lock has a Keypad
SMALL_CAPACITY = 5
MAX_BODY = SimConfig().max_body_bytes
KEYPAD_NAME_MAX = 20
RESTLET_422 = {
    "code": 422,
    "description": (
        "The server understands the content type of the request entity and the syntax of the "
        "request entity is correct but was unable to process the contained instructions"
    ),
    "homeRef": "/",
    "reasonPhrase": "Unprocessable Entity",
    "uri": "http://www.webdav.org/specs/rfc2518.html#STATUS_422",
}
DUPLICATE_CODE = (
    "Parameter conflicts: a keypad code with this code already exists on this smartlock"
)
NO_SPACE = "Parameter conflicts: the smartlock already holds the maximum number of keypad codes"
NOT_AN_OBJECT = "The request body must be a JSON object"


def java(value: object) -> str:
    """How Nuki (Java) prints a refused value."""
    return (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )


def detail(message: str) -> dict[str, Any]:
    return {"detailMessage": message, "stackTrace": [], "suppressedExceptions": []}


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return detail(f"The supplied value '{java(value)}' for parameter '{parameter}' is not valid")


def auths_path(lock: Lock, auth_id: str = "") -> str:
    return f"/smartlock/{lock.smartlock_id}/auth" + (f"/{auth_id}" if auth_id else "")


async def listed(api: ApiClient, lock: Lock) -> list[dict[str, Any]]:
    reply = await api.get(auths_path(lock))
    assert reply.status == 200
    return list(reply.body)


async def keypad_codes(api: ApiClient, lock: Lock) -> list[dict[str, Any]]:
    return [a for a in await listed(api, lock) if a["type"] == KEYPAD_CODE]


async def sync(api: ApiClient, lock: Lock) -> None:
    assert (await api.post(f"/smartlock/{lock.smartlock_id}/sync")).status == 204


async def write(api: ApiClient, lock: Lock, how: str, fields: dict[str, Any]) -> Reply:
    """Create a keypad code, or update the lock's first one, with ``fields`` over a valid body."""
    if how == "create":
        return await api.put(
            auths_path(lock), {"name": "Guest", "type": KEYPAD_CODE, "code": NEW_CODE, **fields}
        )
    target = (await keypad_codes(api, lock))[0]
    return await api.post(auths_path(lock, target["id"]), {"name": "Guest", **fields})


async def assert_refused(
    api: ApiClient, lock: Lock, reply: Reply, status: int, body: dict[str, Any], before: list[Any]
) -> None:
    """The reply is the exact refusal, nothing was queued, and a sync lists the same as before."""
    assert (reply.status, reply.body) == (status, body)
    assert not lock.cloud.queue
    assert not lock.cloud.operations
    await sync(api, lock)
    assert await listed(api, lock) == before


@pytest.fixture
async def before(api: ApiClient, keypad_lock: Lock) -> list[dict[str, Any]]:
    return await listed(api, keypad_lock)


def code_numbers(count: int, first: int = 7) -> list[int]:
    """``count`` distinct valid codes, each ``first`` then five digits 1–9."""
    codes = []
    for n in range(count):
        digits = [1 + (n // 9**i) % 9 for i in range(5)]
        codes.append(int(str(first) + "".join(map(str, digits))))
    return codes


BAD_CODES = [
    pytest.param(34567, id="5-digits"),
    pytest.param(3456789, id="7-digits"),
    pytest.param("", id="empty"),
    pytest.param("34a567", id="letter"),
    pytest.param("34 567", id="space"),
    pytest.param(-34567, id="negative"),
    pytest.param(345678.0, id="float"),
    pytest.param(True, id="bool"),
    pytest.param("\u0663\u0664\u0665\u0666\u0667\u0668", id="arabic-indic-digits"),
    pytest.param("\uff13\uff14\uff15\uff16\uff17\uff18", id="fullwidth-digits"),
    *[
        pytest.param(code, id=f"zero-{code}")
        for code in ("034567", 304567, 340567, 345067, 345607, 345670)
    ],
    pytest.param(123456, id="starts-with-12"),
    pytest.param("129999", id="starts-with-12-as-text"),
]
GOOD_CODES = [312456, 211111, 111111, 999999, "345678"]


@pytest.mark.parametrize("how", ["create", "update"])
class TestCode:
    @pytest.mark.parametrize("code", BAD_CODES)
    async def test_a_bad_code_is_refused(self, api, keypad_lock, before, how, code):
        """Not exactly six digits 1–9, or starting with 12: 400 naming the code."""
        reply = await write(api, keypad_lock, how, {"code": code})
        await assert_refused(api, keypad_lock, reply, 400, invalid("code", code), before)

    @pytest.mark.parametrize("code", GOOD_CODES)
    async def test_a_good_code_is_accepted(self, api, keypad_lock, how, code):
        """Six digits 1–9 not starting with 12 (a 12 later is fine) are accepted and listed."""
        reply = await write(api, keypad_lock, how, {"code": code})
        assert (reply.status, reply.body) == (204, None)
        await sync(api, keypad_lock)
        assert int(code) in [a["code"] for a in await keypad_codes(api, keypad_lock)]

    async def test_a_code_the_lock_lists_is_a_409(self, api, keypad_lock, before, how):
        """A code another keypad code of this lock already has is a conflict."""
        taken = (await keypad_codes(api, keypad_lock))[-1]["code"]
        reply = await write(api, keypad_lock, how, {"code": taken})
        await assert_refused(api, keypad_lock, reply, 409, detail(DUPLICATE_CODE), before)


@pytest.mark.parametrize("how", ["create", "update"])
class TestName:
    async def test_twenty_characters_are_accepted(self, api, keypad_lock, how):
        """A keypad code name of exactly 20 characters is accepted and listed in full."""
        name = "N" * KEYPAD_NAME_MAX
        assert (await write(api, keypad_lock, how, {"name": name})).status == 204
        await sync(api, keypad_lock)
        assert name in [a["name"] for a in await keypad_codes(api, keypad_lock)]

    async def test_twenty_one_characters_are_a_422(self, api, keypad_lock, before, how):
        """A 21-character keypad code name is 422 with Restlet's status body (thread 35593)."""
        reply = await write(api, keypad_lock, how, {"name": "N" * (KEYPAD_NAME_MAX + 1)})
        await assert_refused(api, keypad_lock, reply, 422, RESTLET_422, before)

    @pytest.mark.parametrize("name", ["", "   ", 42, True])
    async def test_a_blank_or_non_string_name_is_a_400(self, api, keypad_lock, before, how, name):
        """A name must be a non-blank string."""
        reply = await write(api, keypad_lock, how, {"name": name})
        await assert_refused(api, keypad_lock, reply, 400, invalid("name", name), before)


class TestCreateOnly:
    async def test_name_is_required(self, api, keypad_lock, before):
        """A create without a name is 400 with Nuki's 'null' text."""
        reply = await api.put(auths_path(keypad_lock), {"type": KEYPAD_CODE, "code": NEW_CODE})
        await assert_refused(api, keypad_lock, reply, 400, invalid("name", None), before)

    @pytest.mark.parametrize(
        "body", [{"name": "Guest", "type": 13}, {"name": "Guest", "type": 13, "code": None}]
    )
    async def test_a_keypad_code_needs_a_code(self, api, keypad_lock, before, body):
        """Type 13 without a code is "The supplied value 'null' for parameter 'code'" (thread 39051)."""
        reply = await api.put(auths_path(keypad_lock), body)
        await assert_refused(api, keypad_lock, reply, 400, invalid("code", None), before)

    async def test_an_app_authorization_refuses_a_code(self, api, keypad_lock, before):
        """A code on type 0 is refused naming the code (thread 16794)."""
        body = {"name": "Phone", "type": 0, "accountUserId": 200001, "code": NEW_CODE}
        reply = await api.put(auths_path(keypad_lock), body)
        await assert_refused(api, keypad_lock, reply, 400, invalid("code", NEW_CODE), before)

    @pytest.mark.parametrize("value", ["13", True, 13.0, 1, 3, 14])
    async def test_type_must_be_0_2_or_13(self, api, keypad_lock, before, value):
        """``type`` is an integer, and the API creates app authorizations, fobs and keypad codes
        only."""
        reply = await write(api, keypad_lock, "create", {"type": value})
        await assert_refused(api, keypad_lock, reply, 400, invalid("type", value), before)

    async def test_type_13_needs_a_keypad(self, api: ApiClient, bare_lock: Lock):
        """On a lock without a keypad: "The supplied value '13' for parameter 'type' is not valid"."""
        before = await listed(api, bare_lock)
        reply = await api.put(
            auths_path(bare_lock), {"name": "Guest", "type": 13, "code": NEW_CODE}
        )
        await assert_refused(api, bare_lock, reply, 400, invalid("type", 13), before)

    async def test_the_same_code_on_another_lock_is_fine(self, api, keypad_lock, nuki_sim):
        """Codes are unique per lock, not per account."""
        garage = nuki_sim.demo.locks[2]
        taken = (await keypad_codes(api, keypad_lock))[0]["code"]
        assert (await write(api, garage, "create", {"code": taken})).status == 204

    async def test_a_deleted_code_still_listed_is_a_409(self, api, keypad_lock):
        """Until the sync unlists a deleted code, creating it again is a conflict (thread 22160)."""
        old = (await keypad_codes(api, keypad_lock))[0]
        assert (await api.delete(auths_path(keypad_lock, old["id"]))).status == 204
        reply = await write(api, keypad_lock, "create", {"code": old["code"]})
        assert (reply.status, reply.body) == (409, detail(DUPLICATE_CODE))
        await sync(api, keypad_lock)
        assert (await write(api, keypad_lock, "create", {"code": old["code"]})).status == 204

    async def test_an_update_may_keep_its_own_code(self, api, keypad_lock):
        """Sending a code's own code back is not a conflict."""
        own = (await keypad_codes(api, keypad_lock))[0]
        reply = await api.post(
            auths_path(keypad_lock, own["id"]), {"name": "Same", "code": own["code"]}
        )
        assert reply.status == 204

    async def test_an_app_authorization_update_refuses_a_code(self, api, keypad_lock, before):
        """Updating a type-0 authorization with a code is refused naming the code."""
        phone = next(a for a in before if a["type"] == 0)
        reply = await api.post(
            auths_path(keypad_lock, phone["id"]), {"name": "Phone", "code": NEW_CODE}
        )
        await assert_refused(api, keypad_lock, reply, 400, invalid("code", NEW_CODE), before)


async def fill(api: ApiClient, lock: Lock, total: int) -> None:
    """Create keypad codes until the cloud lists ``total`` of them."""
    missing = total - len(await keypad_codes(api, lock))
    for number, code in enumerate(code_numbers(missing)):
        assert (
            await write(api, lock, "create", {"name": f"Code {number}", "code": code})
        ).status == 204
    await sync(api, lock)
    assert len(await keypad_codes(api, lock)) == total


class TestCapacity:
    @pytest.mark.nuki_sim(config=SimConfig(max_keypad_codes=SMALL_CAPACITY))
    async def test_a_full_lock_refuses_one_more(self, api: ApiClient, keypad_lock: Lock):
        """When the cloud lists as many codes as the lock holds, the next create is 409."""
        await fill(api, keypad_lock, SMALL_CAPACITY)
        before = await listed(api, keypad_lock)
        reply = await write(api, keypad_lock, "create", {})
        await assert_refused(api, keypad_lock, reply, 409, detail(NO_SPACE), before)

    @pytest.mark.nuki_sim(config=SimConfig(max_keypad_codes=SMALL_CAPACITY))
    async def test_a_deleted_code_frees_its_place_after_the_sync(self, api, keypad_lock):
        """Deleting one code of a full lock makes room once the sync unlists it."""
        await fill(api, keypad_lock, SMALL_CAPACITY)
        doomed = (await keypad_codes(api, keypad_lock))[0]
        await api.delete(auths_path(keypad_lock, doomed["id"]))
        assert (await write(api, keypad_lock, "create", {})).status == 409
        await sync(api, keypad_lock)
        assert (await write(api, keypad_lock, "create", {})).status == 204

    @pytest.mark.nuki_sim(config=SimConfig(max_keypad_codes=SMALL_CAPACITY))
    async def test_codes_not_yet_listed_fail_on_the_lock(self, api, keypad_lock):
        """The cloud counts only what it lists: an extra queued code fails on the device."""
        free = SMALL_CAPACITY - len(await keypad_codes(api, keypad_lock))
        for number, code in enumerate(code_numbers(free + 1)):
            assert (
                await write(api, keypad_lock, "create", {"name": f"Code {number}", "code": code})
            ).status == 204
        await sync(api, keypad_lock)
        failed = [a for a in await keypad_codes(api, keypad_lock) if "error" in a]
        assert [a["name"] for a in failed] == [f"Code {free}"]
        assert "P_ERROR_MAX_USER" in failed[0]["error"]

    async def test_the_real_lock_holds_100_codes(self, api: ApiClient, keypad_lock: Lock):
        """At Nuki's default of 100 listed codes, the 101st create is 409."""
        await fill(api, keypad_lock, DEFAULT_CAPACITY)
        before = await listed(api, keypad_lock)
        reply = await write(api, keypad_lock, "create", {"code": 888888})
        await assert_refused(api, keypad_lock, reply, 409, detail(NO_SPACE), before)


FROM_DATE, UNTIL_DATE = "2026-01-06T14:00:00.000Z", "2026-01-09T10:00:00.000Z"
BAD_WINDOWS = [
    pytest.param({"allowedFromDate": UNTIL_DATE, "allowedUntilDate": FROM_DATE}, "allowedUntilDate", id="until-before-from"),
    pytest.param({"allowedFromDate": FROM_DATE, "allowedUntilDate": FROM_DATE}, "allowedUntilDate", id="until-equals-from"),
    pytest.param({"allowedFromDate": "next week"}, "allowedFromDate", id="unreadable-date"),
    pytest.param({"allowedWeekDays": 128}, "allowedWeekDays", id="weekdays-128"),
    pytest.param({"allowedWeekDays": -1}, "allowedWeekDays", id="weekdays-negative"),
    pytest.param({"allowedFromTime": 1440, "allowedUntilTime": 1441}, "allowedFromTime", id="from-1440"),
    pytest.param({"allowedFromTime": 480, "allowedUntilTime": 1440}, "allowedUntilTime", id="until-1440"),
    pytest.param({"allowedFromTime": -1, "allowedUntilTime": 480}, "allowedFromTime", id="from-negative"),
    pytest.param({"allowedFromTime": 480, "allowedUntilTime": 480}, "allowedUntilTime", id="until-equals-from-time"),
    pytest.param({"allowedFromTime": 1140, "allowedUntilTime": 480}, "allowedUntilTime", id="until-before-from-time"),
]  # fmt: skip
WRONG_TYPES = [
    pytest.param({"name": 42}, "name", 42, id="name-number"),
    pytest.param({"remoteAllowed": 1}, "remoteAllowed", 1, id="bool-as-int"),
    pytest.param({"remoteAllowed": "false"}, "remoteAllowed", "false", id="bool-as-string"),
    pytest.param({"allowedWeekDays": "127"}, "allowedWeekDays", "127", id="weekdays-string"),
    pytest.param({"allowedWeekDays": True}, "allowedWeekDays", True, id="int-as-bool"),
    pytest.param({"allowedFromTime": 480.5, "allowedUntilTime": 600}, "allowedFromTime", 480.5, id="minutes-float"),
    pytest.param({"allowedFromDate": 20260106}, "allowedFromDate", 20260106, id="date-number"),
    pytest.param({"code": 345678.5}, "code", 345678.5, id="code-float"),
]  # fmt: skip


@pytest.mark.parametrize("how", ["create", "update"])
class TestWindowsAndTypes:
    @pytest.mark.parametrize(("fields", "parameter"), BAD_WINDOWS)
    async def test_an_inconsistent_window_is_a_400(
        self, api, keypad_lock, before, how, fields, parameter
    ):
        """An empty date window, a weekday mask over 127 or a bad daily window is refused."""
        reply = await write(api, keypad_lock, how, fields)
        assert set(reply.body) == {"detailMessage", "stackTrace", "suppressedExceptions"}
        assert reply.body["detailMessage"].endswith(f"for parameter '{parameter}' is not valid")
        await assert_refused(api, keypad_lock, reply, 400, reply.body, before)

    async def test_the_widest_window_is_accepted(self, api, keypad_lock, how):
        """Every weekday and the whole day (0–1439) are valid."""
        fields = {"allowedWeekDays": 127, "allowedFromTime": 0, "allowedUntilTime": 1439}
        assert (await write(api, keypad_lock, how, fields)).status == 204

    @pytest.mark.parametrize(("fields", "parameter", "value"), WRONG_TYPES)
    async def test_a_wrong_json_type_is_a_400(
        self, api, keypad_lock, before, how, fields, parameter, value
    ):
        """A number for a string, an int for a bool, a float for an int: 400 naming it."""
        reply = await write(api, keypad_lock, how, fields)
        await assert_refused(api, keypad_lock, reply, 400, invalid(parameter, value), before)


@pytest.mark.parametrize("how", ["create", "update"])
class TestMalformedBodies:
    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (b'{"name": "Guest", "code": 345678', "The request body is not valid JSON"),
            (b"name=Guest&code=345678", "The request body is not valid JSON"),
            (b'[{"name": "Guest", "type": 13, "code": 345678}]', NOT_AN_OBJECT),
            (b'"Guest"', NOT_AN_OBJECT),
            (b"null", NOT_AN_OBJECT),
            (b"", "The request body is missing"),
        ],
    )
    async def test_a_body_that_is_not_a_json_object_is_a_400(
        self, api, keypad_lock, before, how, raw, message
    ):
        """Malformed JSON, an array, a scalar or no body at all is refused."""
        target = await self.target(api, keypad_lock, how)
        reply = await api.request(
            "PUT" if how == "create" else "POST",
            target,
            data=raw,
            headers={"Content-Type": "application/json"},
        )
        assert reply.body["detailMessage"].startswith(message)
        await assert_refused(
            api, keypad_lock, reply, 400, detail(reply.body["detailMessage"]), before
        )

    async def test_a_body_over_the_limit_is_a_413(self, api, keypad_lock, before, how):
        """A body one byte over ``max_body_bytes`` is refused unread; one at the limit is read."""
        target = await self.target(api, keypad_lock, how)
        method = "PUT" if how == "create" else "POST"
        body = b'{"name": "Guest", "type": 13, "code": 345678}'
        over = body.ljust(MAX_BODY + 1)
        reply = await api.request(
            method, target, data=over, headers={"Content-Type": "application/json"}
        )
        await assert_refused(
            api, keypad_lock, reply, 413, detail("The request body is too large"), before
        )
        at_limit = body.ljust(MAX_BODY)
        reply = await api.request(
            method, target, data=at_limit, headers={"Content-Type": "application/json"}
        )
        assert reply.status == 204

    @staticmethod
    async def target(api: ApiClient, lock: Lock, how: str) -> str:
        return (
            auths_path(lock)
            if how == "create"
            else auths_path(lock, (await keypad_codes(api, lock))[0]["id"])
        )
