"""Notification configurations over real HTTP (Swagger 4.18.0 tag ``Notification``): create,
read, list (with ``referenceId``), replace and delete, per account; every bad body is a 400
that stores nothing; another account's configuration is 403 and an unknown one 404.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

NOTES = "/notification"
UNKNOWN = "0123456789abcdef01234567"
NOT_AUTHORIZED = "Your access token is not authorized"
EVENTS = ["lock", "unlock", "unlatch", "lockngo", "open", "ring", "doorsensor", "warnings"]


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return {
        "detailMessage": f"The supplied value '{value}' for parameter '{parameter}' is not valid",
        "stackTrace": [],
        "suppressedExceptions": [],
    }


def phone(lock: Lock, **extra: Any) -> dict[str, Any]:
    """An Android push configuration for one lock's lock and unlock events."""
    settings = [{"smartlockId": lock.smartlock_id, "triggerEvents": ["lock", "unlock"]}]
    return {"pushId": "fcm-token-1", "os": 0, "settings": settings, **extra}


async def create(api: ApiClient, body: dict[str, Any]) -> dict[str, Any]:
    reply = await api.put(NOTES, body)
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def listed(api: ApiClient, **params: str) -> list[dict[str, Any]]:
    reply = await api.get(NOTES, params=params)
    assert reply.status == 200, reply.body
    return list(reply.body)


class TestCreate:
    async def test_created_configuration_is_answered_whole(self, api: ApiClient, bare_lock: Lock):
        note = await create(api, phone(bare_lock, language="de", referenceId="crm-7"))
        assert re.fullmatch(r"[0-9a-f]{24}", note["notificationId"])
        assert {k: v for k, v in note.items() if k != "notificationId"} == {
            "referenceId": "crm-7",
            "pushId": "fcm-token-1",
            "os": 0,
            "language": "de",
            "status": 0,
            "settings": [
                {
                    "smartlockId": bare_lock.smartlock_id,
                    "triggerEvents": ["lock", "unlock"],
                    "authIds": [],
                }
            ],
        }

    async def test_web_hook_without_secret_gets_one_and_keeps_a_given_one(self, api: ApiClient):
        hook = {"pushId": "https://example.com/hook", "os": 2, "settings": []}
        drawn = await create(api, hook)
        assert re.fullmatch(r"[0-9a-f]{40}", drawn["secret"])
        given = await create(api, {**hook, "secret": "AB" * 20})
        assert given["secret"] == "ab" * 20
        assert (drawn["language"], "secret" in await create(api, {**hook, "os": 1})) == (
            "en", False,
        )  # fmt: skip

    async def test_setting_without_lock_covers_every_lock_and_names_auths(
        self, api: ApiClient, keypad_lock: Lock
    ):
        auth_id = next(iter(keypad_lock.cloud.auths))
        body = {"pushId": "apns-1", "os": 1, "settings": [
            {"triggerEvents": [*EVENTS, "lock"], "authIds": [auth_id, auth_id]}]}  # fmt: skip
        note = await create(api, body)
        assert note["settings"] == [{"triggerEvents": EVENTS, "authIds": [auth_id]}]

    async def test_read_only_fields_sent_are_ignored(self, api: ApiClient, bare_lock: Lock):
        note = await create(
            api, phone(bare_lock, notificationId=UNKNOWN, status=2, lastActiveDate="x")
        )
        assert (note["notificationId"] != UNKNOWN, note["status"], "lastActiveDate" in note) == (
            True, 0, False,
        )  # fmt: skip


class TestReadListUpdateDelete:
    async def test_list_filters_by_reference_id(self, api: ApiClient, bare_lock: Lock):
        first = await create(api, phone(bare_lock, referenceId="a"))
        second = await create(api, phone(bare_lock, referenceId="b"))
        assert await listed(api) == [first, second]
        assert await listed(api, referenceId="b") == [second]
        assert await listed(api, referenceId="c") == []

    async def test_update_replaces_settings_and_keeps_omitted_optionals(
        self, api: ApiClient, bare_lock: Lock
    ):
        note = await create(api, phone(bare_lock, language="fr", referenceId="r"))
        path = f"{NOTES}/{note['notificationId']}"
        body = {"pushId": "fcm-token-2", "os": 0, "settings": [{"triggerEvents": ["ring"]}]}
        reply = await api.post(path, body)
        assert reply.status == 200, reply.body
        expected = {**note, "pushId": "fcm-token-2",
                    "settings": [{"triggerEvents": ["ring"], "authIds": []}]}  # fmt: skip
        assert reply.body == expected
        assert (await api.get(path)).body == expected

    async def test_delete_removes_it(self, api: ApiClient, bare_lock: Lock):
        note = await create(api, phone(bare_lock))
        path = f"{NOTES}/{note['notificationId']}"
        reply = await api.delete(path)
        assert (reply.status, reply.body) == (204, None)
        assert (await api.get(path)).status == 404
        assert note not in await listed(api)


class TestRefusals:
    async def test_missing_token_is_401(self, api: ApiClient, bare_lock: Lock):
        anonymous = api.with_token(None)
        for reply in (await anonymous.get(NOTES), await anonymous.put(NOTES, phone(bare_lock))):
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)

    @pytest.mark.parametrize("scope", ["notification", "smartlock.log"])
    async def test_either_scope_allows(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock, scope: str
    ):
        token = nuki_sim.world.add_token(nuki_sim.demo.account.account_id, frozenset({scope}))
        assert (await api.with_token(token.token).put(NOTES, phone(bare_lock))).status == 200

    async def test_wrong_scope_is_401_and_stores_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        account = nuki_sim.demo.account.account_id
        token = nuki_sim.world.add_token(account, frozenset({"smartlock", "account"})).token
        reply = await api.with_token(token).put(NOTES, phone(bare_lock))
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert (await api.with_token(token).get(NOTES)).status == 401
        assert await listed(api) == []

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ({"os": 3}, invalid("os", 3)),
            ({"os": None}, invalid("os", "null")),
            ({"os": "0"}, invalid("os", "0")),
            ({"pushId": None}, invalid("pushId", "null")),
            ({"pushId": " "}, invalid("pushId", " ")),
            ({"os": 2, "pushId": "not a url"}, invalid("pushId", "not a url")),
            ({"settings": None}, invalid("settings", "null")),
            ({"settings": {}}, invalid("settings", "…")),
            ({"settings": [{"smartlockId": 1}]}, invalid("triggerEvents", "null")),
            ({"settings": [{"triggerEvents": ["knock"]}]}, invalid("triggerEvents", "knock")),
            ({"settings": [{"triggerEvents": [1]}]}, invalid("triggerEvents", "…")),
            ({"settings": [{"triggerEvents": [], "smartlockId": 42}]}, invalid("smartlockId", 42)),
            ({"settings": [{"triggerEvents": [], "authIds": [UNKNOWN]}]},
             invalid("authIds", UNKNOWN)),
            ({"settings": [{"triggerEvents": []}, {"triggerEvents": ["ring"]}]},
             invalid("settings", "null")),
            ({"language": "xx"}, invalid("language", "xx")),
            ({"secret": "abc"}, invalid("secret", "abc")),
            ({"referenceId": 5}, invalid("referenceId", 5)),
        ],
    )  # fmt: skip
    async def test_bad_body_is_400_and_stores_nothing(
        self, api: ApiClient, bare_lock: Lock, change: dict[str, Any], expected: dict[str, Any]
    ):
        reply = await api.put(NOTES, {**phone(bare_lock), **change})
        assert (reply.status, reply.body) == (400, expected)
        assert await listed(api) == []

    async def test_missing_or_non_object_body_is_400(self, api: ApiClient):
        for reply in (await api.put(NOTES), await api.put(NOTES, ["x"])):
            assert reply.status == 400
        assert await listed(api) == []

    async def test_bad_update_is_400_and_changes_nothing(self, api: ApiClient, bare_lock: Lock):
        note = await create(api, phone(bare_lock))
        path = f"{NOTES}/{note['notificationId']}"
        for body in ({"os": 0, "settings": []}, {**phone(bare_lock), "language": "xx"}):
            assert (await api.post(path, body)).status == 400
        assert (await api.get(path)).body == note

    @pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
    async def test_unknown_id_is_404(self, api: ApiClient, bare_lock: Lock, method: str):
        body = phone(bare_lock) if method == "POST" else None
        reply = await api.request(method, f"{NOTES}/{UNKNOWN}", json_body=body)
        assert (reply.status, reply.detail) == (404, "Notification not found")

    async def test_unknown_id_is_404_before_the_body_is_read(self, api: ApiClient):
        reply = await api.post(f"{NOTES}/{UNKNOWN}", {"os": "android"})
        assert (reply.status, reply.detail) == (404, "Notification not found")

    async def test_other_accounts_configuration_is_403(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        world = nuki_sim.world
        other = world.add_account(email="o@example.com", name="Other")
        theirs_lock = world.add_lock(other.account_id, name="Theirs")
        theirs = api.with_token(world.add_token(other.account_id).token)
        note = await create(theirs, phone(theirs_lock))
        path = f"{NOTES}/{note['notificationId']}"
        for reply in (
            await api.get(path),
            await api.post(path, phone(bare_lock)),
            await api.delete(path),
        ):
            assert (reply.status, reply.detail) == (403, "Forbidden")
        assert (await theirs.get(path)).body == note
        assert await listed(api) == []

    async def test_other_accounts_lock_in_a_setting_is_403(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        other = nuki_sim.world.add_account(email="o@example.com", name="Other")
        theirs_lock = nuki_sim.world.add_lock(other.account_id, name="Theirs")
        reply = await api.put(NOTES, phone(theirs_lock))
        assert (reply.status, reply.detail) == (403, "Forbidden")
        assert await listed(api) == []


async def test_notification_flow(api: ApiClient, bare_lock: Lock, keypad_lock: Lock):
    """The end-to-end flow: create, read, update, list, delete."""
    note = await create(api, phone(bare_lock, referenceId="flow"))
    path = f"{NOTES}/{note['notificationId']}"
    assert (await api.get(path)).body == note
    hook = {
        "pushId": "https://example.com/nuki",
        "os": 2,
        "settings": [
            {"smartlockId": keypad_lock.smartlock_id, "triggerEvents": ["ring", "doorsensor"]}
        ],
    }
    changed = (await api.post(path, hook)).body  # fmt: skip
    assert (changed["os"], changed["referenceId"], len(changed["secret"])) == (2, "flow", 40)
    assert await listed(api, referenceId="flow") == [changed]
    assert (await api.delete(path)).status == 204
    assert await listed(api) == []


async def test_deleting_a_lock_drops_its_settings_and_the_world_still_snapshots(
    api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
):
    note = await create(api, phone(bare_lock))
    assert (await api.delete(f"/smartlock/{bare_lock.smartlock_id}")).status == 204
    assert (await api.get(f"{NOTES}/{note['notificationId']}")).body["settings"] == []
    snapshot.check(snapshot.snapshot(nuki_sim.world))  # no setting names a missing lock
