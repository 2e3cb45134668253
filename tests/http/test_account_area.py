"""The account operations over real HTTP (Swagger 4.18.0, tag Account): update and delete
the account, e-mail and password flows, integrations, one-time passwords, settings and sub
accounts. Every response is checked against the simulator's document by the client.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain import snapshot, totp
from nuki_sim.simulator.domain.account_calls import token_id
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

NOT_AUTHORIZED = "Your access token is not authorized"
UPDATE = {"name": "Ada L.", "language": "it", "email": "ada@example.com"}
PROFILE = {
    "firstName": "Ada", "lastName": "Lovelace", "address": "Main St 1", "zip": "1010",
    "city": "Vienna", "country": "AT",
}  # fmt: skip
SUB = {
    "email": "sub@example.com", "password": "secret77", "name": "Front desk", "rights": 9,
    "language": "de",
}  # fmt: skip
OTHER_EMAIL = "other@example.com"


def invalid(parameter: str, value: object) -> str:
    return f"The supplied value '{value}' for parameter '{parameter}' is not valid"


async def me(api: ApiClient) -> dict[str, Any]:
    reply = await api.get("/account")
    assert reply.status == 200, reply.body
    return dict(reply.body)


def scoped(nuki_sim: RunningSimulator, *scopes: str) -> str:
    return nuki_sim.world.add_token(nuki_sim.demo.account.account_id, frozenset(scopes)).token


def other_account(nuki_sim: RunningSimulator) -> int:
    return nuki_sim.world.add_account(email=OTHER_EMAIL, name="Other").account_id


# Every operation of the area that needs a token: (method, path, body).
WITH_TOKEN = [
    ("POST", "/account", UPDATE),
    ("DELETE", "/account", None),
    ("POST", "/account/email/change", {"email": "new@example.com"}),
    ("POST", "/account/email/verify", None),
    ("GET", "/account/integration", None),
    ("DELETE", "/account/integration", None),
    ("PUT", "/account/otp", None),
    ("POST", "/account/otp", {"otp": "123456"}),
    ("DELETE", "/account/otp", None),
    ("GET", "/account/setting", None),
    ("PUT", "/account/setting", {"web": {"deviceViewType": "TILE"}}),
    ("DELETE", "/account/setting", None),
    ("GET", "/account/sub", None),
    ("PUT", "/account/sub", SUB),
    ("GET", "/account/sub/1", None),
    ("POST", "/account/sub/1", {"language": "en"}),
    ("DELETE", "/account/sub/1", None),
]


class TestAccess:
    @pytest.mark.parametrize(("method", "path", "body"), WITH_TOKEN)
    async def test_missing_token_is_401_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, method: str, path: str, body: Any
    ):
        before = snapshot.snapshot(nuki_sim.world)
        reply = await api.with_token(None).request(method, path, json_body=body)
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert snapshot.snapshot(nuki_sim.world) == before

    @pytest.mark.parametrize(("method", "path", "body"), WITH_TOKEN)
    async def test_a_token_without_the_account_scope_is_401(
        self, api: ApiClient, nuki_sim: RunningSimulator, method: str, path: str, body: Any
    ):
        token = scoped(nuki_sim, "smartlock", "smartlock.auth", "webhook.decentral")
        before = snapshot.snapshot(nuki_sim.world)
        reply = await api.with_token(token).request(method, path, json_body=body)
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert snapshot.snapshot(nuki_sim.world) == before


class TestUpdate:
    async def test_update_shows_in_get_account(self, api: ApiClient, nuki_sim: RunningSimulator):
        before = await me(api)
        nuki_sim.world.advance(timedelta(seconds=5))
        body = {**UPDATE, "profile": PROFILE, "config": {"alexaPin": "1234"}}
        reply = await api.post("/account", body)
        assert (reply.status, reply.body) == (204, None)
        after = await me(api)
        assert (after["name"], after["language"], after["email"]) == (
            "Ada L.", "it", "ada@example.com",
        )  # fmt: skip
        assert after["profile"] == PROFILE
        assert after["config"] == {"alexaPin": "1234", "gactionsHomePin": ""}
        assert after["updateDate"] > before["updateDate"]
        assert after["creationDate"] == before["creationDate"]

    async def test_omitted_fields_stay(self, api: ApiClient):
        before = await me(api)
        assert (await api.post("/account", {"language": "fr"})).status == 204
        after = await me(api)
        assert (after["name"], after["email"], after["language"]) == (
            before["name"], before["email"], "fr",
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("body", "parameter", "value"),
        [
            ({"name": "X"}, "language", "null"),
            ({**UPDATE, "language": "xx"}, "language", "xx"),
            ({**UPDATE, "email": "nope"}, "email", "nope"),
            ({**UPDATE, "name": ""}, "name", ""),
            ({**UPDATE, "name": 5}, "name", 5),
            ({**UPDATE, "password": "short"}, "password", "*****"),
            ({**UPDATE, "profile": {"firstName": "Ada"}}, "lastName", "null"),
        ],
    )
    async def test_bad_input_is_400_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, body, parameter, value
    ):
        before = snapshot.snapshot(nuki_sim.world)
        reply = await api.post("/account", body)
        assert (reply.status, reply.detail) == (400, invalid(parameter, value))
        assert snapshot.snapshot(nuki_sim.world) == before

    async def test_non_object_body_is_400(self, api: ApiClient):
        assert (await api.post("/account", ["x"])).status == 400
        assert (await api.post("/account")).status == 400

    async def test_another_accounts_email_is_409(self, api: ApiClient, nuki_sim: RunningSimulator):
        other_account(nuki_sim)
        before = await me(api)
        reply = await api.post("/account", {"language": "en", "email": "OTHER@example.com"})
        assert (reply.status, reply.detail) == (409, "Email address already exists")
        assert await me(api) == before

    async def test_a_new_password_revokes_the_accounts_tokens(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        second = api.with_token(scoped(nuki_sim, "account"))
        reply = await api.post("/account", {"language": "en", "password": "new-secret"})
        assert reply.status == 204
        for client in (api, second):
            assert (await client.get("/account")).status == 401

    async def test_delete_api_tokens_false_keeps_them(self, api: ApiClient):
        reply = await api.post(
            "/account", {"language": "en", "password": "new-secret"},
            params={"deleteApiTokens": "false"},
        )  # fmt: skip
        assert reply.status == 204
        assert (await api.get("/account")).status == 200

    async def test_bad_delete_api_tokens_is_400(self, api: ApiClient):
        reply = await api.post("/account", UPDATE, params={"deleteApiTokens": "maybe"})
        assert (reply.status, reply.detail) == (400, invalid("deleteApiTokens", "maybe"))


class TestDelete:
    async def test_delete_removes_everything_and_the_token_is_401(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        world = nuki_sim.world
        other = other_account(nuki_sim)
        theirs = world.add_token(other)
        assert (await api.put("/account/user", {"email": "u@example.com", "name": "U"})).status
        assert (await api.post("/service/airbnb/link")).status == 200
        sub = (await api.put("/account/sub", SUB)).body["accountId"]
        lock = nuki_sim.demo.locks[0].smartlock_id
        assert (await api.post(f"/smartlock/{lock}/action/lock")).status == 204

        assert (await api.delete("/account")).status == 204

        assert (await api.get("/account")).status == 401
        assert set(world.accounts) == {other}
        assert all(t.account_id == other for t in world.tokens.values())
        assert not world.locks
        assert not world.account_users
        assert not world.service_links
        assert sub not in world.accounts
        snapshot.check(snapshot.snapshot(world))
        world.advance(timedelta(days=1, seconds=10))  # the queued push finds no lock
        assert (await api.with_token(theirs.token).get("/account")).status == 200


class TestEmail:
    async def test_change_is_accepted_and_the_address_stays(self, api: ApiClient):
        before = await me(api)
        reply = await api.post("/account/email/change", {"email": "new@example.com"})
        assert (reply.status, reply.body) == (204, None)
        assert (await me(api))["email"] == before["email"]

    async def test_change_to_a_bad_or_missing_address_is_400(self, api: ApiClient):
        for body, value in (({"email": "nope"}, "nope"), ({}, "null")):
            reply = await api.post("/account/email/change", body)
            assert (reply.status, reply.detail) == (400, invalid("email", value))

    async def test_change_to_another_accounts_address_is_409(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        other_account(nuki_sim)
        reply = await api.post("/account/email/change", {"email": OTHER_EMAIL})
        assert reply.status == 409

    async def test_verify_is_accepted(self, api: ApiClient):
        before = await me(api)
        assert (await api.post("/account/email/verify")).status == 204
        assert await me(api) == before


class TestPasswordReset:
    async def test_needs_no_token_and_answers_alike_for_any_address(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        before = snapshot.snapshot(nuki_sim.world)
        anonymous = api.with_token(None)
        for email in (nuki_sim.demo.account.email, "nobody@example.com"):
            reply = await anonymous.post("/account/password/reset", {"email": email})
            assert (reply.status, reply.body) == (204, None)
        assert snapshot.snapshot(nuki_sim.world) == before
        assert (await api.get("/account")).status == 200  # the tokens stay

    async def test_bad_input_is_400(self, api: ApiClient):
        anonymous = api.with_token(None)
        for body in ({"email": "nope"}, {}, {"email": "a@example.com", "deleteApiTokens": 1}):
            assert (await anonymous.post("/account/password/reset", body)).status == 400


class TestIntegrations:
    async def test_lists_the_tokens_of_the_account_and_its_sub_accounts(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        world = nuki_sim.world
        demo = nuki_sim.demo.token
        sub = (await api.put("/account/sub", SUB)).body["accountId"]
        subs_token = world.add_token(sub, frozenset({"smartlock"}), name="Desk")
        world.add_token(other_account(nuki_sim))
        reply = await api.get("/account/integration")
        assert reply.status == 200
        listed = {i["tokenId"]: i for i in reply.body}
        assert set(listed) == {str(token_id(demo)), str(token_id(subs_token))}
        own = listed[str(token_id(demo))]
        assert (own["vendorKey"], own["clientId"], own["subAccount"]) == (
            "API_TOKEN", str(demo.api_key_id), False,
        )  # fmt: skip
        assert own["scopes"] == sorted(demo.scopes)
        desk = listed[str(token_id(subs_token))]
        assert (desk["name"], desk["subAccount"], desk["subAccountId"]) == ("Desk", True, sub)

    async def test_delete_by_api_key_revokes_its_tokens(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        extra = nuki_sim.world.add_token(nuki_sim.demo.account.account_id)
        reply = await api.delete("/account/integration", params={"apiKeyId": str(extra.api_key_id)})
        assert reply.status == 204
        assert (await api.with_token(extra.token).get("/account")).status == 401
        assert (await api.get("/account")).status == 200

    async def test_delete_by_token_id(self, api: ApiClient, nuki_sim: RunningSimulator):
        extra = nuki_sim.world.add_token(nuki_sim.demo.account.account_id)
        params = {"tokenId": str(token_id(extra)), "apiKeyId": str(extra.api_key_id)}
        assert (await api.delete("/account/integration", params=params)).status == 204
        assert (await api.with_token(extra.token).get("/account")).status == 401
        listed = (await api.get("/account/integration")).body
        assert str(token_id(extra)) not in [i["tokenId"] for i in listed]

    @pytest.mark.parametrize(
        ("params", "status"),
        [
            ({}, 400),
            ({"apiKeyId": "abc"}, 400),
            ({"tokenId": "-1"}, 400),
            ({"apiKeyId": "99999"}, 404),
            ({"tokenId": "1"}, 404),
        ],
    )
    async def test_bad_or_unknown_targets(
        self, api: ApiClient, nuki_sim: RunningSimulator, params, status
    ):
        before = snapshot.snapshot(nuki_sim.world)
        reply = await api.delete("/account/integration", params=params)
        assert reply.status == status
        assert snapshot.snapshot(nuki_sim.world) == before

    async def test_another_accounts_key_is_403(self, api: ApiClient, nuki_sim: RunningSimulator):
        theirs = nuki_sim.world.add_token(other_account(nuki_sim))
        reply = await api.delete(
            "/account/integration", params={"apiKeyId": str(theirs.api_key_id)}
        )
        assert (reply.status, reply.detail) == (403, "Forbidden")
        assert theirs.token in nuki_sim.world.tokens


class TestOtp:
    async def test_secret_enable_and_disable(self, api: ApiClient, nuki_sim: RunningSimulator):
        """The end-to-end flow: create a secret, compute its code on the simulator's clock,
        enable, see it on the account, disable."""
        created = await api.put("/account/otp")
        assert created.status == 200
        secret = created.body
        assert len(secret) == 32
        assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        assert "config" not in await me(api)
        code = totp.code(secret, nuki_sim.world.now())
        assert (await api.post("/account/otp", {"otp": code})).status == 204
        enabled = (await me(api))["config"]["otpEnabledDate"]
        assert enabled.startswith(nuki_sim.world.now().strftime("%Y-%m-%dT%H:%M"))
        refused = await api.put("/account/otp")
        assert refused.status == 405
        assert (await api.delete("/account/otp")).status == 204
        assert "config" not in await me(api)
        assert (await api.put("/account/otp")).body != secret  # a fresh secret

    async def test_a_code_follows_the_clock(self, api: ApiClient, nuki_sim: RunningSimulator):
        secret = (await api.put("/account/otp")).body
        stale = totp.code(secret, nuki_sim.world.now())
        nuki_sim.world.advance(timedelta(minutes=5))
        reply = await api.post("/account/otp", {"otp": stale})
        assert (reply.status, reply.detail) == (401, "One-time password wrong")
        fresh = totp.code(secret, nuki_sim.world.now())
        assert (await api.post("/account/otp", {"otp": fresh})).status == 204

    async def test_wrong_codes_change_nothing_and_then_429(self, api: ApiClient):
        secret = (await api.put("/account/otp")).body
        for _ in range(5):
            reply = await api.post("/account/otp", {"otp": "000000"})
            assert reply.status == 401
        assert "config" not in await me(api)
        reply = await api.post("/account/otp", {"otp": "000000"})
        assert reply.status == 429
        assert (await api.put("/account/otp")).body != secret

    @pytest.mark.parametrize("body", [{"otp": ""}, {}, {"otp": 123456}, [1]])
    async def test_empty_or_mistyped_code_is_400(self, api: ApiClient, body):
        await api.put("/account/otp")
        assert (await api.post("/account/otp", body)).status == 400
        assert "config" not in await me(api)

    async def test_enable_before_a_secret_is_400(self, api: ApiClient):
        assert (await api.post("/account/otp", {"otp": "123456"})).status == 400


class TestSettings:
    async def test_create_merge_and_delete(self, api: ApiClient):
        assert (await api.get("/account/setting")).status == 404
        first = {"web": {"deviceViewType": "TILE", "annotations": {"web.nuki.io/a": True}}}
        reply = await api.put("/account/setting", first)
        assert (reply.status, reply.body) == (200, first)
        second = {
            "web": {
                "deviceSortType": "NAME_ASC",
                "annotations": {"web.nuki.io/b": {"x": 1}, "web.nuki.io/a": None},
                "markedStaledDevices": [{"smartlockId": 17, "name": "Old", "read": False}],
            }
        }
        merged = {
            "web": {
                "deviceViewType": "TILE",
                "deviceSortType": "NAME_ASC",
                "annotations": {"web.nuki.io/b": {"x": 1}},
                "markedStaledDevices": [{"smartlockId": 17, "name": "Old", "read": False}],
            }
        }
        assert (await api.put("/account/setting", second)).body == merged
        assert (await api.get("/account/setting")).body == merged
        assert (await api.delete("/account/setting")).status == 204
        assert (await api.get("/account/setting")).status == 404
        assert (await api.delete("/account/setting")).status == 204

    @pytest.mark.parametrize(
        "web",
        [
            {"deviceViewType": "GRID"},
            {"deviceSortType": 3},
            {"nukiClubDismissed": "yes"},
            {"annotations": {"no-slash": 1}},
            {"annotations": []},
            {"removedStaledDevices": [{"smartlockId": "x"}]},
            {"markedStaledDevices": {}},
            "TILE",
        ],
    )
    async def test_bad_setting_is_400_and_changes_nothing(self, api: ApiClient, web):
        kept = {"web": {"deviceViewType": "LIST"}}
        await api.put("/account/setting", kept)
        assert (await api.put("/account/setting", {"web": web})).status == 400
        assert (await api.get("/account/setting")).body == kept

    async def test_settings_are_per_account(self, api: ApiClient, nuki_sim: RunningSimulator):
        await api.put("/account/setting", {"web": {"nukiClubDismissed": True}})
        other = nuki_sim.world.add_token(other_account(nuki_sim)).token
        assert (await api.with_token(other).get("/account/setting")).status == 404


class TestSubAccounts:
    async def test_create_update_list_delete(self, api: ApiClient, nuki_sim: RunningSimulator):
        """The end-to-end flow of the area."""
        master = nuki_sim.demo.account.account_id
        created = await api.put("/account/sub", SUB)
        assert created.status == 200
        sub = created.body
        assert (sub["email"], sub["name"], sub["rights"], sub["masterAccountId"]) == (
            "sub@example.com", "Front desk", 9, master,
        )  # fmt: skip
        path = f"/account/sub/{sub['accountId']}"
        assert (await api.get(path)).body == sub
        assert (await api.get("/account/sub")).body == [sub]

        nuki_sim.world.advance(timedelta(seconds=3))
        change = {"language": "en", "name": "Back desk", "rights": 100}
        assert (await api.post(path, change)).status == 204
        updated = (await api.get(path)).body
        assert (updated["name"], updated["rights"], updated["language"]) == ("Back desk", 100, "en")
        assert updated["updateDate"] > sub["updateDate"]
        assert (await api.get("/account/sub")).body == [updated]

        assert (await api.delete(path)).status == 204
        assert (await api.get(path)).status == 404
        assert (await api.get("/account/sub")).body == []
        assert sub["accountId"] not in nuki_sim.world.accounts

    async def test_email_filter_is_a_regular_expression(self, api: ApiClient):
        await api.put("/account/sub", SUB)
        await api.put("/account/sub", {**SUB, "email": "desk@hotel.example"})
        found = await api.get("/account/sub", params={"email": r"^desk@.*\.EXAMPLE$"})
        assert [a["email"] for a in found.body] == ["desk@hotel.example"]
        bad = await api.get("/account/sub", params={"email": "(unclosed"})
        assert (bad.status, bad.detail) == (400, invalid("email", "(unclosed"))

    @pytest.mark.parametrize(
        "pattern",
        ["(a*)*b", ".*a.*b", "(a|aa)+$", r"\\*\\*\\*y", "a|b|c", "a{99999999999}", "x" * 65],
    )
    async def test_patterns_that_could_stall_the_simulator_are_400(
        self, api: ApiClient, pattern: str
    ):
        await api.put("/account/sub", {**SUB, "email": "a" * 60 + "@example.com"})
        reply = await api.get("/account/sub", params={"email": pattern})
        assert (reply.status, reply.detail) == (400, invalid("email", pattern))

    @pytest.mark.parametrize(
        ("change", "parameter", "value"),
        [
            ({"password": None}, "password", "null"),
            ({"password": "short"}, "password", "*****"),
            ({"rights": 32}, "rights", 32),
            ({"rights": -1}, "rights", -1),
            ({"language": None}, "language", "null"),
            ({"email": "nope"}, "email", "nope"),
            ({"name": None}, "name", "null"),
        ],
    )
    async def test_bad_create_is_400_and_creates_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, change, parameter, value
    ):
        before = snapshot.snapshot(nuki_sim.world)
        reply = await api.put("/account/sub", {**SUB, **change})
        assert (reply.status, reply.detail) == (400, invalid(parameter, value))
        assert snapshot.snapshot(nuki_sim.world) == before

    async def test_taken_email_is_409(self, api: ApiClient, nuki_sim: RunningSimulator):
        await api.put("/account/sub", SUB)
        assert (await api.put("/account/sub", SUB)).status == 409
        sub = (await api.put("/account/sub", {**SUB, "email": "two@example.com"})).body
        path = f"/account/sub/{sub['accountId']}"
        reply = await api.post(path, {"language": "en", "email": nuki_sim.demo.account.email})
        assert reply.status == 409

    async def test_bad_update_is_400_and_changes_nothing(self, api: ApiClient):
        sub = (await api.put("/account/sub", SUB)).body
        path = f"/account/sub/{sub['accountId']}"
        for change in ({"name": "X"}, {"language": "en", "rights": 128}, ["x"]):
            assert (await api.post(path, change)).status == 400
        assert (await api.get(path)).body == sub

    @pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
    async def test_unknown_own_and_other_ids(
        self, api: ApiClient, nuki_sim: RunningSimulator, method: str
    ):
        body = {"language": "en"} if method == "POST" else None
        unknown = await api.request(method, "/account/sub/999999", json_body=body)
        assert (unknown.status, unknown.detail) == (404, "Account not found")
        world = nuki_sim.world
        other = other_account(nuki_sim)
        theirs = world.add_account(email="t@example.com", name="T", master_account_id=other)
        for account_id in (nuki_sim.demo.account.account_id, other, theirs.account_id):
            path = f"/account/sub/{account_id}"
            reply = await api.request(method, path, json_body=body)
            assert (reply.status, reply.detail) == (403, "Forbidden")
        assert theirs.account_id in world.accounts
        assert (await api.get("/account/sub")).body == []

    async def test_too_long_id_is_400(self, api: ApiClient):
        assert (await api.get("/account/sub/99999999999999999999")).status == 400
