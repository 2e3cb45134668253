"""API keys over real HTTP (Swagger 4.18.0 ``/api/key``): keys, their tokens and advanced keys.

A token made through ``PUT /api/key/{apiKeyId}/token`` authenticates the other routes at once
with exactly its scopes; a change of its scopes applies to its next call; deleting it (or
its key) revokes it. Every refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

KEYS = "/api/key"
UNKNOWN_KEY = 999_999
NOT_AUTHORIZED = "Your access token is not authorized"
# Nuki's OAuth scopes (Swagger 4.18.0 securityDefinitions) and the decentral webhooks' own.
NUKI_SCOPES = [
    "account", "notification", "smartlock", "smartlock.readOnly", "smartlock.action",
    "smartlock.auth", "smartlock.config", "smartlock.log", "smartlock.create", "webhook.decentral",
]  # fmt: skip
APPLICATION = {
    "name": "Rentals Ltd",
    "country": "AT",
    "description": "Holiday flats with Nuki locks",
    "type": "SHORT_RENTAL",
    "url": "https://rentals.example.com",
    "email": "dev@rentals.example.com",
    "webhookUrl": "https://rentals.example.com/nuki",
    "webhookFeatures": ["DEVICE_STATUS", "DEVICE_LOGS"],
    "restricted": False,
}


def invalid(parameter: str, value: object) -> dict[str, Any]:
    value = "null" if value is None else value
    return {
        "detailMessage": f"The supplied value '{value}' for parameter '{parameter}' is not valid",
        "stackTrace": [],
        "suppressedExceptions": [],
    }


async def new_key(api: ApiClient, description: str = "Property manager") -> dict[str, Any]:
    reply = await api.put(KEYS, {"description": description})
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def new_token(
    api: ApiClient, key_id: int, scopes: list[str], description: str = "Front desk"
) -> dict[str, Any]:
    reply = await api.put(f"{KEYS}/{key_id}/token", {"description": description, "scopes": scopes})
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def tokens(api: ApiClient, key_id: int) -> list[dict[str, Any]]:
    reply = await api.get(f"{KEYS}/{key_id}/token")
    assert reply.status == 200, reply.body
    return list(reply.body)


async def keys(api: ApiClient) -> list[dict[str, Any]]:
    reply = await api.get(KEYS)
    assert reply.status == 200, reply.body
    return list(reply.body)


def other_account_key(sim: RunningSimulator) -> tuple[int, str]:
    """A key of another account with one token: (its id, the token's public id)."""
    from nuki_sim.simulator.domain.api import open_session
    from nuki_sim.simulator.domain.apikey_calls import ApiKeyChange, TokenChange

    world = sim.world
    other = world.add_account(email="o@example.com", name="Other")
    theirs = open_session(world, f"Bearer {world.add_token(other.account_id).token}")
    key = theirs.create_api_key(ApiKeyChange("Theirs"))
    record, _ = theirs.create_key_token(key.api_key_id, TokenChange("T", ("smartlock",)))
    return key.api_key_id, record.id


class TestKeys:
    async def test_created_key_is_listed_updated_and_deleted(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        key = await new_key(api)
        assert key["accountId"] == nuki_sim.demo.account.account_id
        assert (key["description"], key["redirectUris"]) == ("Property manager", [])
        assert key in await keys(api)
        path = f"{KEYS}/{key['apiKeyId']}"
        changes = {"description": "PMS", "redirectUris": ["https://pms.example.com/cb"]}
        assert (await api.post(path, changes)).status == 204
        (changed,) = [k for k in await keys(api) if k["apiKeyId"] == key["apiKeyId"]]
        assert (changed["description"], changed["redirectUris"]) == (
            "PMS", ["https://pms.example.com/cb"],
        )  # fmt: skip
        assert changed["creationDate"] == key["creationDate"]
        assert (await api.delete(path)).status == 204
        assert key["apiKeyId"] not in [k["apiKeyId"] for k in await keys(api)]
        assert (await api.delete(path)).status == 404

    async def test_keys_have_distinct_ids(self, api: ApiClient):
        first, second = await new_key(api, "A"), await new_key(api, "B")
        assert first["apiKeyId"] != second["apiKeyId"]
        assert [k["description"] for k in await keys(api)][-2:] == ["A", "B"]

    async def test_deleting_a_key_revokes_its_tokens_and_drops_its_advanced_key(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        key = await new_key(api)
        path = f"{KEYS}/{key['apiKeyId']}"
        made = await new_token(api, key["apiKeyId"], ["smartlock.readOnly"])
        assert (await api.put(path + "/advanced", APPLICATION)).status == 204
        assert (await api.with_token(made["accessToken"]).get("/smartlock")).status == 200
        assert (await api.delete(path)).status == 204
        reply = await api.with_token(made["accessToken"]).get("/smartlock")
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert key["apiKeyId"] not in nuki_sim.world.api_keys.advanced
        assert not nuki_sim.world.api_keys.tokens


class TestTokens:
    async def test_created_token_is_listed_without_its_secret(self, api: ApiClient):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], ["smartlock.log", "smartlock.auth"])
        assert len(made["accessToken"]) == 80
        assert made["accessToken"] != made["id"]
        assert (made["description"], made["scopes"]) == (
            "Front desk", ["smartlock.auth", "smartlock.log"],
        )  # fmt: skip
        assert await tokens(api, key["apiKeyId"]) == [
            {k: v for k, v in made.items() if k != "accessToken"}
        ]

    async def test_every_nuki_scope_can_be_given(self, api: ApiClient, nuki_sim):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], NUKI_SCOPES)
        assert made["scopes"] == sorted(NUKI_SCOPES)
        assert nuki_sim.world.tokens[made["accessToken"]].scopes == frozenset(NUKI_SCOPES)

    async def test_update_changes_only_given_fields(self, api: ApiClient):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], ["smartlock"])
        path = f"{KEYS}/{key['apiKeyId']}/token/{made['id']}"
        assert (await api.post(path, {"description": "Night desk"})).status == 204
        (listed,) = await tokens(api, key["apiKeyId"])
        assert (listed["description"], listed["scopes"]) == ("Night desk", ["smartlock"])
        assert (await api.post(path, {"scopes": ["smartlock.log"]})).status == 204
        (listed,) = await tokens(api, key["apiKeyId"])
        assert (listed["description"], listed["scopes"]) == ("Night desk", ["smartlock.log"])

    async def test_a_token_made_here_can_manage_api_keys_with_the_account_scope(
        self, api: ApiClient
    ):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], ["account"])
        assert key in await keys(api.with_token(made["accessToken"]))

    async def test_deleted_token_is_gone_from_the_list_and_404_after(self, api: ApiClient):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], ["smartlock"])
        path = f"{KEYS}/{key['apiKeyId']}/token/{made['id']}"
        assert (await api.delete(path)).status == 204
        assert await tokens(api, key["apiKeyId"]) == []
        for reply in (await api.delete(path), await api.post(path, {"description": "X"})):
            assert (reply.status, reply.detail) == (404, "API key token not found")

    async def test_a_token_is_found_only_under_its_own_key(self, api: ApiClient):
        first, second = await new_key(api, "A"), await new_key(api, "B")
        made = await new_token(api, first["apiKeyId"], ["smartlock"])
        reply = await api.delete(f"{KEYS}/{second['apiKeyId']}/token/{made['id']}")
        assert (reply.status, reply.detail) == (404, "API key token not found")
        assert len(await tokens(api, first["apiKeyId"])) == 1


class TestAdvanced:
    async def test_apply_read_update_delete(self, api: ApiClient):
        key = await new_key(api)
        path = f"{KEYS}/{key['apiKeyId']}/advanced"
        assert (await api.get(path)).status == 404
        assert (await api.put(path, APPLICATION)).status == 204
        got = (await api.get(path)).body
        assert {k: got[k] for k in APPLICATION} == APPLICATION
        assert (got["status"], got["webhookStatus"]) == ("ACTIVE", "ACTIVE")
        assert (got["webhookSentSuccessfully"], got["webhookSentErroneous"]) == (0, 0)
        assert len(got["secret"]) == 40
        change = {
            "webhookUrl": "https://rentals.example.com/v2",
            "webhookFeatures": ["DEVICE_AUTHS"],
        }
        assert (await api.post(path, change)).status == 204
        after = (await api.get(path)).body
        assert (after["webhookUrl"], after["webhookFeatures"]) == (
            "https://rentals.example.com/v2", ["DEVICE_AUTHS"],
        )  # fmt: skip
        assert (after["secret"], after["creationDate"]) == (got["secret"], got["creationDate"])
        assert (await api.delete(path)).status == 204
        assert (await api.get(path)).status == 404
        assert (await api.delete(path)).status == 404
        assert key in await keys(api)  # the key stays

    async def test_applying_again_replaces_and_keeps_the_secret(self, api: ApiClient):
        key = await new_key(api)
        path = f"{KEYS}/{key['apiKeyId']}/advanced"
        assert (await api.put(path, APPLICATION)).status == 204
        first = (await api.get(path)).body
        again = {**APPLICATION, "type": "ONLY_SECRET", "webhookUrl": "", "webhookFeatures": []}
        assert (await api.put(path, again)).status == 204
        second = (await api.get(path)).body
        assert (second["type"], second["webhookFeatures"]) == ("ONLY_SECRET", [])
        assert second["secret"] == first["secret"]

    async def test_update_without_an_advanced_key_is_404(self, api: ApiClient):
        key = await new_key(api)
        change = {"webhookUrl": "https://x.example.com", "webhookFeatures": ["DEVICE_STATUS"]}
        reply = await api.post(f"{KEYS}/{key['apiKeyId']}/advanced", change)
        assert (reply.status, reply.detail) == (404, "Advanced API key not found")

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({"type": "FREE"}, invalid("type", "FREE")),
            ({"type": None}, invalid("type", None)),
            ({"name": ""}, invalid("name", "")),
            ({"country": None}, invalid("country", None)),
            ({"email": "nope"}, invalid("email", "nope")),
            ({"url": "ftp://x.example.com"}, invalid("url", "ftp://x.example.com")),
            ({"restricted": "no"}, invalid("restricted", "no")),
            ({"restricted": None}, invalid("restricted", None)),
            ({"webhookUrl": "not a url"}, invalid("webhookUrl", "not a url")),
            ({"webhookFeatures": ["DEVICE_X"]}, invalid("webhookFeatures", "DEVICE_X")),
            ({"webhookFeatures": []}, invalid("webhookFeatures", [])),
            ({"webhookFeatures": "DEVICE_STATUS"}, invalid("webhookFeatures", "DEVICE_STATUS")),
            (
                {"webhookFeatures": ["DEVICE_LOGS", "DEVICE_LOGS"]},
                invalid("webhookFeatures", ["DEVICE_LOGS", "DEVICE_LOGS"]),
            ),
        ],
    )
    async def test_bad_application_is_400_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, changes, expected
    ):
        key = await new_key(api)
        reply = await api.put(f"{KEYS}/{key['apiKeyId']}/advanced", {**APPLICATION, **changes})
        assert (reply.status, reply.body) == (400, expected)
        assert key["apiKeyId"] not in nuki_sim.world.api_keys.advanced

    async def test_bad_update_is_400_and_changes_nothing(self, api: ApiClient):
        key = await new_key(api)
        path = f"{KEYS}/{key['apiKeyId']}/advanced"
        assert (await api.put(path, APPLICATION)).status == 204
        before = (await api.get(path)).body
        for body, expected in (
            ({"webhookFeatures": ["DEVICE_STATUS"]}, invalid("webhookUrl", None)),
            ({"webhookUrl": "https://x.example.com"}, invalid("webhookFeatures", None)),
        ):
            reply = await api.post(path, body)
            assert (reply.status, reply.body) == (400, expected)
        assert (await api.get(path)).body == before


class TestRefusals:
    async def test_missing_token_is_401(self, api: ApiClient):
        anonymous = api.with_token(None)
        for reply in (
            await anonymous.get(KEYS),
            await anonymous.put(KEYS, {"description": "X"}),
            await anonymous.put(f"{KEYS}/1/token", {"description": "X", "scopes": ["smartlock"]}),
            await anonymous.delete(f"{KEYS}/1/token/abc"),
            await anonymous.get(f"{KEYS}/1/advanced"),
        ):
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)

    async def test_wrong_scope_is_401_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], ["smartlock"])
        account = nuki_sim.demo.account.account_id
        wrong = api.with_token(nuki_sim.world.add_token(account, frozenset({"smartlock"})).token)
        token_path = f"{KEYS}/{key['apiKeyId']}/token/{made['id']}"
        for reply in (
            await wrong.get(KEYS),
            await wrong.put(KEYS, {"description": "X"}),
            await wrong.delete(f"{KEYS}/{key['apiKeyId']}"),
            await wrong.post(token_path, {"scopes": ["account"]}),
            await wrong.delete(token_path),
            await wrong.put(f"{KEYS}/{key['apiKeyId']}/advanced", APPLICATION),
        ):
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert await keys(api) == [key]
        assert [t["scopes"] for t in await tokens(api, key["apiKeyId"])] == [["smartlock"]]
        assert key["apiKeyId"] not in nuki_sim.world.api_keys.advanced

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({}, invalid("description", None)),
            ({"description": ""}, invalid("description", "")),
            ({"description": 5}, invalid("description", 5)),
            ({"description": "x" * 256}, invalid("description", "x" * 256)),
            (
                {"description": "A", "redirectUris": "https://a"},
                invalid("redirectUris", "https://a"),
            ),
            ({"description": "A", "redirectUris": [3]}, invalid("redirectUris", 3)),
            ({"description": "A", "redirectUris": ["no-scheme"]}, invalid("redirectUris", None)),
        ],
    )
    async def test_bad_key_is_400_and_changes_nothing(self, api: ApiClient, body, expected):
        before = await keys(api)
        reply = await api.put(KEYS, body)
        assert (reply.status, reply.body) == (400, expected)
        assert await keys(api) == before

    async def test_bad_key_update_is_400_and_changes_nothing(self, api: ApiClient):
        key = await new_key(api)
        path = f"{KEYS}/{key['apiKeyId']}"
        for body in ({"description": " "}, {"redirectUris": [None]}, ["x"]):
            assert (await api.post(path, body)).status == 400
        assert await keys(api) == [key]

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"scopes": ["smartlock"]}, invalid("description", None)),
            ({"description": "X"}, invalid("scopes", None)),
            ({"description": "X", "scopes": []}, invalid("scopes", [])),
            (
                {"description": "X", "scopes": ["smartlock.admin"]},
                invalid("scopes", "smartlock.admin"),
            ),
            ({"description": "X", "scopes": "smartlock"}, invalid("scopes", "smartlock")),
            ({"description": "X", "scopes": [1]}, invalid("scopes", 1)),
            ({"description": ["X"], "scopes": ["smartlock"]}, invalid("description", ["X"])),
        ],
    )
    async def test_bad_token_is_400_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, body, expected
    ):
        key = await new_key(api)
        known = set(nuki_sim.world.tokens)
        reply = await api.put(f"{KEYS}/{key['apiKeyId']}/token", body)
        assert (reply.status, reply.body) == (400, expected)
        assert set(nuki_sim.world.tokens) == known
        assert await tokens(api, key["apiKeyId"]) == []

    async def test_bad_token_update_is_400_and_keeps_the_powers(self, api: ApiClient):
        key = await new_key(api)
        made = await new_token(api, key["apiKeyId"], ["smartlock.readOnly"])
        path = f"{KEYS}/{key['apiKeyId']}/token/{made['id']}"
        for body in ({"scopes": ["smartlock.action", "root"]}, {"scopes": []}, {"description": ""}):
            assert (await api.post(path, body)).status == 400
        (listed,) = await tokens(api, key["apiKeyId"])
        assert (listed["description"], listed["scopes"]) == ("Front desk", ["smartlock.readOnly"])

    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [
            ("POST", "", {"description": "X"}),
            ("DELETE", "", None),
            ("GET", "/token", None),
            ("PUT", "/token", {"description": "X", "scopes": ["smartlock"]}),
            ("GET", "/advanced", None),
            ("PUT", "/advanced", APPLICATION),
            ("DELETE", "/advanced", None),
        ],
    )
    async def test_unknown_key_is_404(self, api: ApiClient, method, suffix, body):
        reply = await api.request(method, f"{KEYS}/{UNKNOWN_KEY}{suffix}", json_body=body)
        assert (reply.status, reply.detail) == (404, "API key not found")

    async def test_key_made_by_add_token_is_not_an_api_key_here(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        """The demo token has a key id of its own (for webhook logs) but no /api/key entry."""
        reply = await api.get(f"{KEYS}/{nuki_sim.demo.token.api_key_id}/token")
        assert (reply.status, reply.detail) == (404, "API key not found")

    async def test_non_numeric_key_id_is_not_routed(self, api: ApiClient):
        assert (await api.get(f"{KEYS}/abc/token")).status in (404, 405)

    async def test_other_accounts_key_is_403_and_untouched(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        key_id, token_id = other_account_key(nuki_sim)
        base = f"{KEYS}/{key_id}"
        for reply in (
            await api.post(base, {"description": "Mine"}),
            await api.delete(base),
            await api.get(base + "/token"),
            await api.put(base + "/token", {"description": "X", "scopes": ["account"]}),
            await api.post(f"{base}/token/{token_id}", {"scopes": ["account"]}),
            await api.delete(f"{base}/token/{token_id}"),
            await api.put(base + "/advanced", APPLICATION),
            await api.get(base + "/advanced"),
        ):
            assert (reply.status, reply.detail) == (403, "Forbidden")
        book = nuki_sim.world.api_keys
        assert book.keys[key_id].description == "Theirs"
        assert book.tokens[token_id].token in nuki_sim.world.tokens
        assert nuki_sim.world.tokens[book.tokens[token_id].token].scopes == {"smartlock"}
        assert key_id not in [k["apiKeyId"] for k in await keys(api)]

    async def test_webhook_logs_of_a_new_key_are_empty(self, api: ApiClient):
        key = await new_key(api)
        reply = await api.get(f"{KEYS}/{key['apiKeyId']}/webhook/logs")
        assert (reply.status, reply.body) == (200, [])


async def test_a_token_made_through_the_api_has_exactly_its_scopes(
    api: ApiClient, keypad_lock: Lock
):
    """The end-to-end flow: an API key, then a token of it, then calls made with it."""
    key = await new_key(api)
    made = await new_token(api, key["apiKeyId"], ["smartlock.readOnly"])
    guest = api.with_token(made["accessToken"])
    listed = await guest.get("/smartlock")
    assert listed.status == 200
    assert keypad_lock.smartlock_id in [s["smartlockId"] for s in listed.body]
    action = f"/smartlock/{keypad_lock.smartlock_id}/action"
    refused = await guest.post(action, {"action": 2})
    assert (refused.status, refused.detail) == (401, NOT_AUTHORIZED)
    token_path = f"{KEYS}/{key['apiKeyId']}/token/{made['id']}"
    more = {"scopes": ["smartlock.readOnly", "smartlock.action"]}
    assert (await api.post(token_path, more)).status == 204
    assert (await guest.post(action, {"action": 2})).status == 204
    assert (await api.delete(token_path)).status == 204
    gone = await guest.get("/smartlock")
    assert (gone.status, gone.detail) == (401, NOT_AUTHORIZED)
