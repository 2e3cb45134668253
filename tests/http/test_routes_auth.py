"""One lock's authorizations over real HTTP: the cloud's copy, the queue, and the sync.

Fact sheet §3.2/§7 and the seed: PUT creates, POST updates, DELETE deletes, each answering
204 with an empty body once queued. ``GET /smartlock/{id}/auth`` shows the cloud's copy,
which learns about a change only with the next sync. While a change to an authorization is
still queued, the listing shows its ``operationId`` and further changes to it are 423.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

PUSH_DELAY = timedelta(seconds=SimConfig().push_delay)
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
APP, KEYPAD_CODE = 0, 13
NEW_CODE = 345678
GUEST = {"name": "Guest", "type": KEYPAD_CODE, "code": NEW_CODE}
UNKNOWN_AUTH_ID = "0123456789abcdef01234567"
UNKNOWN_USER = 999_999
LOCKED_BODY = {"stackTrace": [], "suppressedExceptions": []}
WINDOW = {
    "allowedFromDate": "2026-01-06T14:00:00.000Z",
    "allowedUntilDate": "2026-01-09T10:00:00.000Z",
    "allowedWeekDays": 96,  # Monday and Tuesday
    "allowedFromTime": 480,  # 08:00
    "allowedUntilTime": 1140,  # 19:00
}
NO_WINDOW = {"allowedWeekDays": 127, "allowedFromTime": 0, "allowedUntilTime": 0}


def detail(message: str) -> dict[str, Any]:
    return {"detailMessage": message, "stackTrace": [], "suppressedExceptions": []}


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return detail(f"The supplied value '{value}' for parameter '{parameter}' is not valid")


def auths_path(lock: Lock, auth_id: str = "") -> str:
    return f"/smartlock/{lock.smartlock_id}/auth" + (f"/{auth_id}" if auth_id else "")


async def listed(api: ApiClient, lock: Lock, **params: str) -> list[dict[str, Any]]:
    reply = await api.get(auths_path(lock), params=params)
    assert reply.status == 200, reply.body
    return list(reply.body)


async def named(api: ApiClient, lock: Lock, name: str) -> dict[str, Any] | None:
    return next((a for a in await listed(api, lock) if a["name"] == name), None)


async def sync(api: ApiClient, lock: Lock) -> None:
    assert (await api.post(f"/smartlock/{lock.smartlock_id}/sync")).status == 204


async def a_keypad_code(api: ApiClient, lock: Lock) -> dict[str, Any]:
    return next(a for a in await listed(api, lock) if a["type"] == KEYPAD_CODE)


async def change(api: ApiClient, target: str, kind: str) -> Any:
    """Update (rename) or delete the authorization at ``target``."""
    if kind == "update":
        return await api.post(target, {"name": "Renamed"})
    return await api.delete(target)


def window_of(auth: dict[str, Any]) -> dict[str, Any]:
    return {key: auth[key] for key in (*WINDOW, *NO_WINDOW) if key in auth}


class TestListing:
    async def test_lists_the_locks_authorizations(self, api: ApiClient, keypad_lock: Lock):
        """Every listed authorization has an ObjectId, its lock, a device slot and its type."""
        auths = await listed(api, keypad_lock)
        assert {a["type"] for a in auths} == {APP, KEYPAD_CODE}
        for auth in auths:
            assert OBJECT_ID.match(auth["id"])
            assert auth["smartlockId"] == keypad_lock.smartlock_id
            assert auth["authId"] > 0
            assert ("code" in auth) == (auth["type"] == KEYPAD_CODE)
        assert len({a["authId"] for a in auths}) == len(auths)

    @pytest.mark.parametrize(
        ("types", "expected"),
        [("13", {KEYPAD_CODE}), ("0", {APP}), ("0,13", {APP, KEYPAD_CODE}), ("2", set())],
    )
    async def test_types_filter(self, api: ApiClient, keypad_lock: Lock, types, expected):
        """``types`` is a comma list of authorization types to keep."""
        assert {a["type"] for a in await listed(api, keypad_lock, types=types)} == expected

    @pytest.mark.parametrize(("key", "value"), [("types", "keypad"), ("includeEmail", "maybe")])
    async def test_a_bad_query_is_a_400(self, api: ApiClient, keypad_lock: Lock, key, value):
        """An unreadable ``types`` or ``includeEmail`` is refused naming the parameter."""
        reply = await api.get(auths_path(keypad_lock), params={key: value})
        assert (reply.status, reply.body) == (400, invalid(key, value))

    async def test_get_one_is_the_listed_one(self, api: ApiClient, keypad_lock: Lock):
        """GET /smartlock/{id}/auth/{authId} returns exactly what the listing shows."""
        code = await a_keypad_code(api, keypad_lock)
        reply = await api.get(auths_path(keypad_lock, code["id"]))
        assert (reply.status, reply.body) == (200, code)

    async def test_get_unknown_or_another_locks_auth_is_404(
        self, api: ApiClient, keypad_lock: Lock, nuki_sim: RunningSimulator
    ):
        """An id the lock's listing does not hold is 404, even if another lock holds it."""
        elsewhere = await a_keypad_code(api, nuki_sim.demo.locks[2])
        for auth_id in (UNKNOWN_AUTH_ID, elsewhere["id"]):
            reply = await api.get(auths_path(keypad_lock, auth_id))
            assert (reply.status, reply.body) == (404, detail("Smartlock authorization not found"))


class TestCreate:
    async def test_created_code_is_listed_only_after_a_sync(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """204 with no body; the keypad takes the code after the push, the listing after a sync."""
        reply = await api.put(auths_path(keypad_lock), GUEST)
        assert (reply.status, reply.body) == (204, None)
        nuki_sim.world.advance(PUSH_DELAY)
        assert nuki_sim.world.keypad_entry(keypad_lock, NEW_CODE) == (True, "granted")
        assert await named(api, keypad_lock, "Guest") is None
        slots_before = {a["authId"] for a in await listed(api, keypad_lock)}
        await sync(api, keypad_lock)
        created = await named(api, keypad_lock, "Guest")
        assert created is not None
        assert OBJECT_ID.match(created["id"])
        assert created["authId"] not in slots_before
        assert (created["type"], created["code"], created["enabled"]) == (
            KEYPAD_CODE,
            NEW_CODE,
            True,
        )
        assert "operationId" not in created

    async def test_sync_delivers_what_is_queued_first(self, api: ApiClient, keypad_lock: Lock):
        """A sync right after the create delivers it and lists it, no waiting needed."""
        await api.put(auths_path(keypad_lock), {**GUEST, **WINDOW})
        await sync(api, keypad_lock)
        created = await named(api, keypad_lock, "Guest")
        assert created is not None
        assert window_of(created) == WINDOW

    async def test_app_authorization_for_an_account_user(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        """Type 0 needs the account user it is for; it is listed with that user and no code."""
        user = max(nuki_sim.world.account_users)
        body = {"name": "Tina's tablet", "type": APP, "accountUserId": user, "remoteAllowed": True}
        assert (await api.put(auths_path(bare_lock), body)).status == 204
        await sync(api, bare_lock)
        created = await named(api, bare_lock, "Tina's tablet")
        assert created is not None
        assert (created["accountUserId"], created["remoteAllowed"]) == (user, True)
        assert "code" not in created

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"name": "Tablet", "type": APP}, invalid("accountUserId", "null")),
            (
                {"name": "Tablet", "accountUserId": UNKNOWN_USER},
                invalid("accountUserId", UNKNOWN_USER),
            ),
            ({"name": "T" * 33, "type": APP, "accountUserId": 200001}, invalid("name", "T" * 33)),
            ({"name": "Bridge", "type": 1, "accountUserId": 200001}, invalid("type", 1)),
        ],
    )
    async def test_refused_app_authorizations_change_nothing(
        self, api: ApiClient, bare_lock: Lock, body, expected
    ):
        """A type-0 create without a known account user, or with a long name, is a 400."""
        before = await listed(api, bare_lock)
        reply = await api.put(auths_path(bare_lock), body)
        assert (reply.status, reply.body) == (400, expected)
        assert not bare_lock.cloud.queue
        await sync(api, bare_lock)
        assert await listed(api, bare_lock) == before


class TestUpdate:
    async def test_update_shows_only_after_a_sync(self, api: ApiClient, keypad_lock: Lock):
        """While queued the old values stay listed with an ``operationId``; the sync shows the new."""
        code = await a_keypad_code(api, keypad_lock)
        reply = await api.post(
            auths_path(keypad_lock, code["id"]), {"name": "Renamed", "enabled": False}
        )
        assert (reply.status, reply.body) == (204, None)
        pending = (await api.get(auths_path(keypad_lock, code["id"]))).body
        assert (pending["name"], pending["enabled"]) == (code["name"], True)
        assert OBJECT_ID.match(pending["operationId"])
        await sync(api, keypad_lock)
        done = (await api.get(auths_path(keypad_lock, code["id"]))).body
        assert (done["name"], done["enabled"], done["code"]) == ("Renamed", False, code["code"])
        assert "operationId" not in done

    @pytest.mark.parametrize("first", ["update", "delete"])
    @pytest.mark.parametrize("second", ["update", "delete"])
    async def test_423_while_a_change_is_queued(
        self, api: ApiClient, keypad_lock: Lock, first: str, second: str
    ):
        """A second update or delete of an authorization with a queued change is 423."""
        code = await a_keypad_code(api, keypad_lock)
        target = auths_path(keypad_lock, code["id"])
        assert (await change(api, target, first)).status == 204
        reply = await change(api, target, second)
        assert (reply.status, reply.body) == (423, LOCKED_BODY)
        assert len(keypad_lock.cloud.queue) == 1

    async def test_once_pushed_the_auth_can_be_changed_again(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """After the push the ``operationId`` is gone and the next update is accepted."""
        code = await a_keypad_code(api, keypad_lock)
        await api.post(auths_path(keypad_lock, code["id"]), {"name": "First"})
        nuki_sim.world.advance(PUSH_DELAY)
        shown = (await api.get(auths_path(keypad_lock, code["id"]))).body
        assert (shown["name"], "operationId" in shown) == (code["name"], False)
        assert (
            await api.post(auths_path(keypad_lock, code["id"]), {"name": "Second"})
        ).status == 204
        await sync(api, keypad_lock)
        assert (await api.get(auths_path(keypad_lock, code["id"]))).body["name"] == "Second"

    @pytest.mark.parametrize(
        ("update", "expected_window"),
        [
            ({"name": "Renamed"}, NO_WINDOW),
            ({"name": "Renamed", "code": 456789}, NO_WINDOW),
            ({"name": "Renamed", **WINDOW}, WINDOW),
        ],
    )
    async def test_an_update_without_time_fields_clears_them(
        self, api: ApiClient, keypad_lock: Lock, update, expected_window
    ):
        """Nuki's quirk (thread 40095): the time fields are replaced, so omitting them clears them."""
        await api.put(auths_path(keypad_lock), {**GUEST, **WINDOW})
        await sync(api, keypad_lock)
        created = await named(api, keypad_lock, "Guest")
        assert created is not None
        assert (await api.post(auths_path(keypad_lock, created["id"]), update)).status == 204
        await sync(api, keypad_lock)
        updated = (await api.get(auths_path(keypad_lock, created["id"]))).body
        assert updated["name"] == "Renamed"
        assert window_of(updated) == expected_window

    async def test_update_of_an_unknown_auth_is_404(self, api: ApiClient, keypad_lock: Lock):
        """Updating an id the cloud does not list is 404 and queues nothing."""
        reply = await api.post(auths_path(keypad_lock, UNKNOWN_AUTH_ID), {"name": "Renamed"})
        assert (reply.status, reply.body) == (404, detail("Smartlock authorization not found"))
        assert not keypad_lock.cloud.queue


class TestDelete:
    async def test_deleted_code_stays_listed_until_a_sync(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """204; after the push the keypad refuses the code, yet only the sync unlists it."""
        code = await a_keypad_code(api, keypad_lock)
        reply = await api.delete(auths_path(keypad_lock, code["id"]))
        assert (reply.status, reply.body) == (204, None)
        pending = (await api.get(auths_path(keypad_lock, code["id"]))).body
        assert OBJECT_ID.match(pending["operationId"])
        nuki_sim.world.advance(PUSH_DELAY)
        assert nuki_sim.world.keypad_entry(keypad_lock, code["code"]) == (False, "unknown code")
        assert code["id"] in [a["id"] for a in await listed(api, keypad_lock)]
        await sync(api, keypad_lock)
        assert code["id"] not in [a["id"] for a in await listed(api, keypad_lock)]
        gone = await api.get(auths_path(keypad_lock, code["id"]))
        assert (gone.status, gone.body) == (404, detail("Smartlock authorization not found"))

    async def test_delete_of_an_unknown_auth_is_404(self, api: ApiClient, keypad_lock: Lock):
        """Deleting an id the cloud does not list is 404 and queues nothing."""
        reply = await api.delete(auths_path(keypad_lock, UNKNOWN_AUTH_ID))
        assert (reply.status, reply.body) == (404, detail("Smartlock authorization not found"))
        assert not keypad_lock.cloud.queue
