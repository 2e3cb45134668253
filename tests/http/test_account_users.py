"""Account users over real HTTP (Swagger 4.18.0 ``/account/user``): create, read, list,
update, and the asynchronous delete (204, then 423 for writes until the push delay has
passed); a created user can be given a type-0 app authorization at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

PUSH_DELAY = timedelta(seconds=SimConfig().push_delay)
USERS = "/account/user"
UNKNOWN_USER = 999_999
TINA = {"email": "tina@example.com", "name": "Tina", "language": "de"}
NOT_AUTHORIZED = "Your access token is not authorized"


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return {
        "detailMessage": f"The supplied value '{value}' for parameter '{parameter}' is not valid",
        "stackTrace": [],
        "suppressedExceptions": [],
    }


async def create(api: ApiClient, body: dict[str, Any] = TINA) -> dict[str, Any]:
    reply = await api.put(USERS, body)
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def listed(api: ApiClient, **params: str) -> list[dict[str, Any]]:
    reply = await api.get(USERS, params=params)
    assert reply.status == 200, reply.body
    return list(reply.body)


class TestCrud:
    async def test_created_user_is_read_and_listed(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        user = await create(api)
        assert (user["email"], user["name"], user["language"], user["type"]) == (
            "tina@example.com", "Tina", "de", 0,
        )  # fmt: skip
        assert user["accountId"] == nuki_sim.demo.account.account_id
        assert user["creationDate"] == user["updateDate"]
        path = f"{USERS}/{user['accountUserId']}"
        assert (await api.get(path)).body == user
        assert user in await listed(api)
        assert await listed(api, email="TINA@example.com") == [user]

    async def test_listing_window(self, api: ApiClient):
        everyone = await listed(api)
        assert len(everyone) >= 2
        assert await listed(api, offset="1", limit="1") == everyone[1:2]

    async def test_update_changes_only_given_fields(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        user = await create(api)
        nuki_sim.world.advance(timedelta(seconds=5))
        reply = await api.post(f"{USERS}/{user['accountUserId']}", {"name": "Tina B."})
        assert reply.status == 200, reply.body
        assert (reply.body["name"], reply.body["email"]) == ("Tina B.", "tina@example.com")
        assert reply.body["updateDate"] > user["updateDate"]

    async def test_duplicate_email_is_409(self, api: ApiClient):
        await create(api)
        reply = await api.put(USERS, {"email": "Tina@Example.com", "name": "Other"})
        assert reply.status == 409
        assert reply.detail == "Email address already exists"


class TestAsynchronousDelete:
    async def test_user_is_gone_after_the_push_delay_and_locked_meanwhile(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        user = await create(api)
        path = f"{USERS}/{user['accountUserId']}"
        assert (await api.delete(path)).status == 204
        pending = (await api.get(path)).body
        assert len(pending["operationId"]) == 24
        assert (await api.post(path, {"name": "Late"})).status == 423
        assert (await api.delete(path)).status == 423
        nuki_sim.world.advance(PUSH_DELAY)
        assert (await api.get(path)).status == 404
        assert user["accountUserId"] not in [u["accountUserId"] for u in await listed(api)]


class TestRefusals:
    async def test_missing_token_is_401(self, api: ApiClient):
        for reply in (
            await api.with_token(None).get(USERS),
            await api.with_token(None).put(USERS, TINA),
        ):
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)

    @pytest.mark.parametrize("scope", ["account", "smartlock.auth"])
    async def test_either_scope_allows(
        self, api: ApiClient, nuki_sim: RunningSimulator, scope: str
    ):
        account = nuki_sim.demo.account.account_id
        token = nuki_sim.world.add_token(account, frozenset({scope})).token
        assert (await api.with_token(token).get(USERS)).status == 200

    async def test_wrong_scope_is_401_and_creates_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        before = await listed(api)
        account = nuki_sim.demo.account.account_id
        token = nuki_sim.world.add_token(account, frozenset({"smartlock"})).token
        reply = await api.with_token(token).put(USERS, TINA)
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert await listed(api) == before

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"name": "Tina"}, invalid("email", "null")),
            ({"email": "tina@example.com"}, invalid("name", "null")),
            ({"email": "not-an-address", "name": "Tina"}, invalid("email", "not-an-address")),
            ({"email": "tina@example.com", "name": ""}, invalid("name", "")),
            ({"email": "tina@example.com", "name": 7}, invalid("name", 7)),
            ({**TINA, "language": "xx"}, invalid("language", "xx")),
            ({**TINA, "type": 2}, invalid("type", 2)),
        ],
    )
    async def test_bad_input_is_400_and_changes_nothing(self, api: ApiClient, body, expected):
        before = await listed(api)
        reply = await api.put(USERS, body)
        assert (reply.status, reply.body) == (400, expected)
        assert await listed(api) == before

    async def test_bad_update_is_400(self, api: ApiClient):
        user = await create(api)
        path = f"{USERS}/{user['accountUserId']}"
        reply = await api.post(path, {"email": "nope"})
        assert (reply.status, reply.body) == (400, invalid("email", "nope"))
        assert (await api.get(path)).body == user

    async def test_missing_or_non_object_body_is_400(self, api: ApiClient):
        before = await listed(api)
        for reply in (await api.put(USERS), await api.put(USERS, ["x"])):
            assert reply.status == 400
        assert await listed(api) == before

    async def test_bad_query_is_400(self, api: ApiClient):
        reply = await api.get(USERS, params={"limit": "0"})
        assert reply.status == 400

    @pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
    async def test_unknown_user_is_404(self, api: ApiClient, method: str):
        body = {"name": "X"} if method == "POST" else None
        reply = await api.request(method, f"{USERS}/{UNKNOWN_USER}", json_body=body)
        assert (reply.status, reply.detail) == (404, "Account user not found")

    async def test_non_numeric_id_is_404_route(self, api: ApiClient):
        assert (await api.get(f"{USERS}/abc")).status in (404, 405)

    async def test_other_accounts_user_is_403(self, api: ApiClient, nuki_sim: RunningSimulator):
        other = nuki_sim.world.add_account(email="o@example.com", name="Other")
        theirs = nuki_sim.world.add_account_user(other.account_id, email="x@example.com", name="X")
        path = f"{USERS}/{theirs.account_user_id}"
        for reply in (await api.get(path), await api.delete(path)):
            assert (reply.status, reply.detail) == (403, "Forbidden")
        assert theirs.account_user_id in nuki_sim.world.account_users
        assert theirs.account_user_id not in [u["accountUserId"] for u in await listed(api)]


async def test_created_user_gets_a_type_0_app_authorization(
    api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
):
    """The end-to-end flow: create a user, then an app authorization for it."""
    user = await create(api)
    lock_auths = f"/smartlock/{bare_lock.smartlock_id}/auth"
    body = {"name": "Tina's phone", "type": 0, "accountUserId": user["accountUserId"]}
    assert (await api.put(lock_auths, body)).status == 204
    nuki_sim.world.advance(PUSH_DELAY)
    assert (await api.post(f"/smartlock/{bare_lock.smartlock_id}/sync")).status == 204
    nuki_sim.world.advance(PUSH_DELAY)
    reply = await api.get(lock_auths)
    assert reply.status == 200
    hers = [a for a in reply.body if a.get("accountUserId") == user["accountUserId"]]
    assert [(a["name"], a["type"]) for a in hers] == [("Tina's phone", 0)]
