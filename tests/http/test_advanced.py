"""The Advanced API over real HTTP (Swagger 4.18.0 ``AdvancedApi``, ``…/auth/advanced/sharedkey``)
and fob authorizations (type 2).

Advanced actions and ``PUT /smartlock/auth/advanced`` are checked and queued like their plain
twins but answer 200 ``{"requestId"}``; the outcome comes by an API-triggered webhook (its
delivery is tested in tests/webhooks/test_api_triggered.py). Refusals change nothing: no
command is queued and no request waits.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain.codes import LockState
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

PUSH_DELAY = timedelta(seconds=SimConfig().push_delay)
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
NOT_AUTHORIZED = "Your access token is not authorized"
DEMO_USER = 200001  # the demo account's first account user
UNKNOWN_LOCK = 4_000_000_001
APP, FOB = 0, 2
ACTION_ROUTES = [
    ("action/advanced", {"action": 1}),
    ("action/lock/advanced", None),
    ("action/unlock/advanced", None),
]


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return {
        "detailMessage": f"The supplied value '{value}' for parameter '{parameter}' is not valid",
        "stackTrace": [],
        "suppressedExceptions": [],
    }


def lock_path(lock: Lock | int, tail: str) -> str:
    smartlock_id = lock if isinstance(lock, int) else lock.smartlock_id
    return f"/smartlock/{smartlock_id}/{tail}"


def advanced_body(*locks: Lock, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Cleaner",
        "accountUserId": DEMO_USER,
        "remoteAllowed": True,
        "smartlockIds": [lock.smartlock_id for lock in locks],
        **extra,
    }


async def listed(api: ApiClient, lock: Lock) -> list[dict[str, Any]]:
    reply = await api.get(lock_path(lock, "auth"))
    assert reply.status == 200, reply.body
    return list(reply.body)


def untouched(sim: RunningSimulator, *locks: Lock) -> None:
    assert all(not lock.cloud.queue for lock in locks)
    assert not sim.world.advanced.book.requests


class TestAdvancedActions:
    @pytest.mark.parametrize(("tail", "body"), ACTION_ROUTES)
    async def test_answers_a_request_id_and_queues_the_action(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, tail, body
    ):
        reply = await api.post(lock_path(keypad_lock, tail), body)
        assert reply.status == 200, reply.body
        assert set(reply.body) == {"requestId"}
        assert OBJECT_ID.match(reply.body["requestId"])
        assert reply.body["requestId"] in nuki_sim.world.advanced.book.requests
        nuki_sim.world.advance(PUSH_DELAY)
        state = keypad_lock.device.status.state
        expected = LockState.LOCKING if tail.startswith("action/lock/") else LockState.UNLOCKING
        assert state == expected
        assert not nuki_sim.world.advanced.book.requests  # reported

    async def test_each_request_has_its_own_id(self, api: ApiClient, keypad_lock, bare_lock):
        first = await api.post(lock_path(keypad_lock, "action/unlock/advanced"))
        second = await api.post(lock_path(bare_lock, "action/unlock/advanced"))
        assert first.body["requestId"] != second.body["requestId"]

    async def test_busy_lock_is_423_and_nothing_waits(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        assert (await api.post(lock_path(keypad_lock, "action/lock"))).status == 204
        reply = await api.post(lock_path(keypad_lock, "action/unlock/advanced"))
        assert reply.status == 423
        assert len(keypad_lock.cloud.queue) == 1
        assert not nuki_sim.world.advanced.book.requests

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"action": 9}, invalid("action", 9)),
            ({"action": 1, "option": 8}, invalid("option", 8)),
            ({}, invalid("action", "null")),
            ([1], None),
        ],
    )
    async def test_bad_action_is_400_and_queues_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, body, expected
    ):
        reply = await api.post(lock_path(keypad_lock, "action/advanced"), body)
        assert reply.status == 400
        if expected is not None:
            assert reply.body == expected
        untouched(nuki_sim, keypad_lock)


class TestAdvancedAuthCreation:
    async def test_answers_a_request_id_and_creates_on_every_lock(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, bare_lock: Lock
    ):
        reply = await api.put("/smartlock/auth/advanced", advanced_body(keypad_lock, bare_lock))
        assert reply.status == 200, reply.body
        assert OBJECT_ID.match(reply.body["requestId"])
        nuki_sim.world.advance(PUSH_DELAY)
        for lock in (keypad_lock, bare_lock):
            assert (await api.post(lock_path(lock, "sync"))).status == 204
            created = [a for a in await listed(api, lock) if a["name"] == "Cleaner"]
            assert len(created) == 1
            assert (created[0]["type"], created[0]["accountUserId"]) == (APP, DEMO_USER)
            assert created[0]["remoteAllowed"] is True
        assert not nuki_sim.world.advanced.book.requests

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ({"accountUserId": None}, invalid("accountUserId", "null")),
            ({"accountUserId": 999_999}, invalid("accountUserId", 999_999)),
            ({"name": None}, invalid("name", "null")),
            ({"name": "N" * 33}, invalid("name", "N" * 33)),
            ({"smartlockIds": []}, invalid("smartlockIds", [])),
            ({"smartlockIds": ["x"]}, invalid("smartlockIds", "x")),
            ({"remoteAllowed": "yes"}, invalid("remoteAllowed", "yes")),
        ],
    )
    async def test_bad_body_is_400_and_creates_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, change, expected
    ):
        body = {**advanced_body(keypad_lock), **change}
        reply = await api.put("/smartlock/auth/advanced", body)
        assert (reply.status, reply.body) == (400, expected)
        untouched(nuki_sim, keypad_lock)

    async def test_type_and_code_are_not_part_of_the_body(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        body = advanced_body(keypad_lock, type=13, code=345678)
        assert (await api.put("/smartlock/auth/advanced", body)).status == 200
        (command,) = keypad_lock.cloud.queue
        assert (command.auth.type, command.auth.code) == (APP, None)

    async def test_unknown_lock_is_404_and_creates_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        body = {**advanced_body(keypad_lock), "smartlockIds": [keypad_lock.smartlock_id, 7]}
        assert (await api.put("/smartlock/auth/advanced", body)).status == 404
        untouched(nuki_sim, keypad_lock)


class TestSharedKey:
    async def test_creates_an_app_authorization_with_a_generated_key(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        body = {"name": "Shared", "accountUserId": DEMO_USER, "allowedWeekDays": 96}
        reply = await api.post(lock_path(bare_lock, "auth/advanced/sharedkey"), body)
        assert reply.status == 200, reply.body
        (auth,) = reply.body
        assert (auth["name"], auth["type"], auth["accountUserId"]) == ("Shared", APP, DEMO_USER)
        assert auth["allowedWeekDays"] == 96
        assert OBJECT_ID.match(auth["operationId"])
        key = nuki_sim.world.advanced.book.shared_keys[auth["id"]]
        assert re.fullmatch(r"[0-9a-f]{64}", key.key)
        nuki_sim.world.advance(PUSH_DELAY)
        assert (await api.post(lock_path(bare_lock, "sync"))).status == 204
        shown = next(a for a in await listed(api, bare_lock) if a["id"] == auth["id"])
        assert shown["authId"] > 0
        assert "operationId" not in shown

    async def test_account_user_may_be_left_out(self, api: ApiClient, bare_lock: Lock):
        reply = await api.post(lock_path(bare_lock, "auth/advanced/sharedkey"), {"name": "Kiosk"})
        assert reply.status == 200, reply.body
        assert "accountUserId" not in reply.body[0]

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({}, invalid("name", "null")),
            ({"name": "S", "accountUserId": 999_999}, invalid("accountUserId", 999_999)),
            ({"name": "S", "allowedWeekDays": 200}, invalid("allowedWeekDays", 200)),
        ],
    )
    async def test_bad_body_is_400_and_creates_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock, body, expected
    ):
        reply = await api.post(lock_path(bare_lock, "auth/advanced/sharedkey"), body)
        assert (reply.status, reply.body) == (400, expected)
        assert not bare_lock.cloud.queue
        assert not nuki_sim.world.advanced.book.shared_keys


class TestFobs:
    async def test_fob_is_created_listed_updated_and_deleted(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        body = {"name": "Fob", "type": FOB, "accountUserId": DEMO_USER, "remoteAllowed": False}
        assert (await api.put(lock_path(bare_lock, "auth"), body)).status == 204
        nuki_sim.world.advance(PUSH_DELAY)
        await api.post(lock_path(bare_lock, "sync"))
        fobs = (await api.get(lock_path(bare_lock, "auth"), params={"types": "2"})).body
        assert [(f["name"], f["type"]) for f in fobs] == [("Fob", FOB)]
        path = lock_path(bare_lock, f"auth/{fobs[0]['id']}")
        assert (await api.post(path, {"name": "Fob 2", "enabled": False})).status == 204
        nuki_sim.world.advance(PUSH_DELAY)
        await api.post(lock_path(bare_lock, "sync"))
        assert ((await api.get(path)).body["name"], (await api.get(path)).body["enabled"]) == (
            "Fob 2", False,
        )  # fmt: skip
        assert (await api.delete(path)).status == 204
        nuki_sim.world.advance(PUSH_DELAY)
        await api.post(lock_path(bare_lock, "sync"))
        assert (await api.get(path)).status == 404

    async def test_fob_needs_an_account_user_and_no_code(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        for body, expected in (
            ({"name": "Fob", "type": FOB}, invalid("accountUserId", "null")),
            (
                {"name": "Fob", "type": FOB, "accountUserId": DEMO_USER, "code": 345678},
                invalid("code", 345678),
            ),
        ):
            reply = await api.put(lock_path(bare_lock, "auth"), body)
            assert (reply.status, reply.body) == (400, expected)
        assert not bare_lock.cloud.queue


ROUTES = [
    ("POST", "action/advanced", {"action": 1}),
    ("POST", "action/lock/advanced", None),
    ("POST", "action/unlock/advanced", None),
    ("POST", "auth/advanced/sharedkey", {"name": "Shared"}),
]


def route_path(lock: Lock | int, tail: str) -> str:
    return lock_path(lock, tail)


class TestRefusals:
    async def test_missing_token_is_401(self, api: ApiClient, nuki_sim, keypad_lock: Lock):
        anonymous = api.with_token(None)
        for _, tail, body in ROUTES:
            reply = await anonymous.post(route_path(keypad_lock, tail), body)
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        reply = await anonymous.put("/smartlock/auth/advanced", advanced_body(keypad_lock))
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        untouched(nuki_sim, keypad_lock)

    async def test_wrong_scope_is_401(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        account = nuki_sim.demo.account.account_id
        # smartlock.auth does not allow actions; smartlock.action does not allow auths.
        auth_only = api.with_token(
            nuki_sim.world.add_token(account, frozenset({"smartlock.auth"})).token
        )
        action_only = api.with_token(
            nuki_sim.world.add_token(account, frozenset({"smartlock.action"})).token
        )
        for _, tail, body in ROUTES[:3]:
            reply = await auth_only.post(route_path(keypad_lock, tail), body)
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        reply = await action_only.post(route_path(keypad_lock, ROUTES[3][1]), ROUTES[3][2])
        assert reply.status == 401
        reply = await action_only.put("/smartlock/auth/advanced", advanced_body(keypad_lock))
        assert reply.status == 401
        untouched(nuki_sim, keypad_lock)

    @pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
    async def test_unknown_lock_is_404(self, api: ApiClient, nuki_sim, method, tail, body):
        reply = await api.post(route_path(UNKNOWN_LOCK, tail), body)
        assert (reply.status, reply.detail) == (404, "Smartlock not found")
        assert not nuki_sim.world.advanced.book.requests

    @pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
    async def test_lock_id_beyond_int64_is_400(self, api: ApiClient, method, tail, body):
        too_big = "9" * 19
        reply = await api.post(f"/smartlock/{too_big}/{tail}", body)
        assert (reply.status, reply.body) == (400, invalid("smartlockId", too_big))

    @pytest.mark.parametrize(("method", "tail", "body"), ROUTES)
    async def test_another_accounts_lock_is_403(
        self, api: ApiClient, nuki_sim: RunningSimulator, method, tail, body
    ):
        world = nuki_sim.world
        other = world.add_account(email="n@example.com", name="Neighbour")
        theirs = world.add_lock(other.account_id, name="Theirs")
        reply = await api.post(route_path(theirs, tail), body)
        assert (reply.status, reply.detail) == (403, "Forbidden")
        reply = await api.put("/smartlock/auth/advanced", advanced_body(theirs))
        assert reply.status == 403
        untouched(nuki_sim, theirs)
        assert not world.advanced.book.shared_keys

    async def test_another_accounts_user_is_400(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        world = nuki_sim.world
        other = world.add_account(email="n@example.com", name="Neighbour")
        theirs = world.add_account_user(other.account_id, email="x@example.com", name="X")
        body = advanced_body(keypad_lock, accountUserId=theirs.account_user_id)
        reply = await api.put("/smartlock/auth/advanced", body)
        assert (reply.status, reply.body) == (400, invalid("accountUserId", theirs.account_user_id))
        untouched(nuki_sim, keypad_lock)
