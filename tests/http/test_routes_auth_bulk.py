"""Authorizations across locks over real HTTP: the account-wide listing, paging, bulk writes.

Fact sheet §3.2: ``GET /smartlock/auth`` (+ ``/paged``) lists every lock's authorizations;
``PUT``/``POST``/``DELETE /smartlock/auth`` create, update and delete in bulk. A bulk write is
all or nothing: one bad item refuses the request and nothing is queued on any lock.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

APP, KEYPAD_CODE = 0, 13
NEW_CODE = 345678
OTHER_NEW_CODE = 456789
GUEST = {"name": "Guest", "type": KEYPAD_CODE, "code": NEW_CODE}
UNKNOWN_LOCK_ID = 1
UNKNOWN_AUTH_ID = "0123456789abcdef01234567"
SAME_AS_FIRST = "<the first item's id>"  # placeholders filled in by the test
LISTED_ON_GARAGE = "<a code the garage lists>"
DEMO_KEYPAD_CODES = 2 + 4  # seed 0: the front door and the garage have keypads
WEB_API = "Nuki Web"  # each lock lists the Web API's own authorization, as Nuki does
DEMO_AUTH_COUNT = 3 * 3 + DEMO_KEYPAD_CODES  # plus two phones and the Web API on each lock
LOCKED_BODY = {"stackTrace": [], "suppressedExceptions": []}
DUPLICATE_CODE = (
    "Parameter conflicts: a keypad code with this code already exists on this smartlock"
)
AUTH_NOT_FOUND = "Smartlock authorization not found"
NOT_AN_UPDATE_ARRAY = "The request body must be a non-empty JSON array of updates"
NOT_AN_ID_ARRAY = "The request body must be a non-empty JSON array of authorization ids"


def detail(message: str) -> dict[str, Any]:
    return {"detailMessage": message, "stackTrace": [], "suppressedExceptions": []}


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return detail(f"The supplied value '{value}' for parameter '{parameter}' is not valid")


async def listed(api: ApiClient, lock: Lock) -> list[dict[str, Any]]:
    reply = await api.get(f"/smartlock/{lock.smartlock_id}/auth")
    assert reply.status == 200
    return list(reply.body)


async def everywhere(api: ApiClient, **params: str) -> list[dict[str, Any]]:
    reply = await api.get("/smartlock/auth", params=params)
    assert reply.status == 200, reply.body
    return list(reply.body)


async def sync_all(api: ApiClient, locks: list[Lock]) -> None:
    for lock in locks:
        assert (await api.post(f"/smartlock/{lock.smartlock_id}/sync")).status == 204


async def keypad_codes(api: ApiClient, lock: Lock) -> list[dict[str, Any]]:
    return [a for a in await listed(api, lock) if a["type"] == KEYPAD_CODE]


async def assert_nothing_changed(
    api: ApiClient, locks: list[Lock], before: dict[int, list[dict[str, Any]]]
) -> None:
    """No lock has anything queued, and after a sync every listing is what it was."""
    assert [list(lock.cloud.queue) for lock in locks] == [[] for _ in locks]
    await sync_all(api, locks)
    assert {lock.smartlock_id: await listed(api, lock) for lock in locks} == before


@pytest.fixture
def locks(nuki_sim: RunningSimulator) -> list[Lock]:
    return list(nuki_sim.demo.locks)


@pytest.fixture
async def before(api: ApiClient, locks: list[Lock]) -> dict[int, list[dict[str, Any]]]:
    return {lock.smartlock_id: await listed(api, lock) for lock in locks}


class TestAccountWideListing:
    async def test_lists_every_locks_authorizations(self, api: ApiClient, locks: list[Lock]):
        """GET /smartlock/auth is the per-lock listings put together."""
        expected = [a for lock in locks for a in await listed(api, lock)]
        assert len(expected) == DEMO_AUTH_COUNT
        assert await everywhere(api) == expected

    async def test_filters(self, api: ApiClient, nuki_sim: RunningSimulator):
        """``types`` keeps those types; ``accountUserId`` one user; a negative one, no user."""
        first_user = min(nuki_sim.world.account_users)
        assert {a["type"] for a in await everywhere(api, types="13")} == {KEYPAD_CODE}
        theirs = await everywhere(api, accountUserId=str(first_user))
        assert len(theirs) == len(nuki_sim.demo.locks)
        assert {a["accountUserId"] for a in theirs} == {first_user}
        nobodys = await everywhere(api, accountUserId="-1")
        web_api = [a for a in await everywhere(api, types="0") if a["name"] == WEB_API]
        assert nobodys == [a for a in await everywhere(api) if a in web_api or a["type"] == 13]

    async def test_each_lock_lists_the_web_apis_own_authorization(
        self, api: ApiClient, locks: list[Lock]
    ):
        """Nuki lists the Web API's own authorization with the others: an app authorization in
        the lock's first slot (the ``authId`` of the Smartlock), enabled, without a user."""
        for lock in locks:
            (own,) = [a for a in await listed(api, lock) if a["id"] == lock.api_auth_id]
            smartlock = (await api.get(f"/smartlock/{lock.smartlock_id}")).body
            assert (own["name"], own["type"], own["authId"]) == (WEB_API, 0, smartlock["authId"])
            assert (own["enabled"], own["remoteAllowed"], "accountUserId" in own) == (
                True, True, False,
            )  # fmt: skip
            one = await api.get(f"/smartlock/{lock.smartlock_id}/auth/{lock.api_auth_id}")
            assert one.body == own

    @pytest.mark.parametrize(
        ("params", "results", "pagination"),
        [
            ({}, DEMO_AUTH_COUNT, (DEMO_AUTH_COUNT, 1, 0, None, None, 100)),
            ({"page": "0", "size": "5"}, 5, (DEMO_AUTH_COUNT, 3, 0, "1", None, 5)),
            ({"page": "1", "size": "5"}, 5, (DEMO_AUTH_COUNT, 3, 1, "2", "0", 5)),
            ({"page": "2", "size": "5"}, 5, (DEMO_AUTH_COUNT, 3, 2, None, "1", 5)),
            ({"page": "3", "size": "5"}, 0, (DEMO_AUTH_COUNT, 3, 3, None, "2", 5)),
            ({"page": "0", "size": "12"}, 12, (DEMO_AUTH_COUNT, 2, 0, "1", None, 12)),
            ({"types": "13", "size": "2"}, 2, (DEMO_KEYPAD_CODES, 3, 0, "1", None, 2)),
        ],
    )
    async def test_paged_listing(self, api: ApiClient, params, results, pagination):
        """``/paged`` returns one page of results and where it sits among all pages; the
        neighbouring pages are strings (Nuki's Swagger), absent at either end."""
        reply = await api.get("/smartlock/auth/paged", params=params)
        assert reply.status == 200
        assert len(reply.body["results"]) == results
        keys = ("totalItems", "totalPages", "currentPage", "nextPage", "prevPage", "pageSize")
        assert tuple(reply.body["pagination"].get(k) for k in keys) == pagination

    async def test_pages_put_together_are_the_whole_listing(self, api: ApiClient):
        """Walking ``nextPage`` from page 0 visits every authorization once, in order."""
        seen: list[dict[str, Any]] = []
        page: str | None = "0"
        while page is not None:
            reply = await api.get("/smartlock/auth/paged", params={"page": page, "size": "4"})
            seen += reply.body["results"]
            page = reply.body["pagination"].get("nextPage")
        assert seen == await everywhere(api)

    @pytest.mark.parametrize(("key", "value"), [("page", "-1"), ("size", "0"), ("size", "x")])
    async def test_bad_paging_is_a_400(self, api: ApiClient, key: str, value: str):
        """A negative page or a size below 1 is refused naming the parameter."""
        reply = await api.get("/smartlock/auth/paged", params={key: value})
        assert (reply.status, reply.body) == (400, invalid(key, value))


class TestBulkCreate:
    async def test_creates_the_code_on_every_lock(self, api: ApiClient, locks: list[Lock]):
        """One PUT queues the code on each listed lock; each lists it after its sync."""
        front, _, garage = locks
        body = {**GUEST, "smartlockIds": [front.smartlock_id, garage.smartlock_id]}
        reply = await api.put("/smartlock/auth", body)
        assert (reply.status, reply.body) == (204, None)
        assert [len(lock.cloud.queue) for lock in locks] == [1, 0, 1]
        await sync_all(api, locks)
        made = [a for a in await everywhere(api) if a["name"] == "Guest"]
        assert sorted(a["smartlockId"] for a in made) == sorted(body["smartlockIds"])
        assert {a["code"] for a in made} == {NEW_CODE}
        assert len({a["id"] for a in made}) == 2

    @pytest.mark.parametrize(
        ("targets", "code", "status", "expected"),
        [
            pytest.param([0, 1], NEW_CODE, 400, invalid("type", 13), id="one-lock-has-no-keypad"),
            pytest.param(
                [0, 2], LISTED_ON_GARAGE, 409, detail(DUPLICATE_CODE), id="one-lock-lists-it"
            ),
            pytest.param(
                [0, None], NEW_CODE, 404, detail("Smartlock not found"), id="unknown-lock"
            ),
            pytest.param([], NEW_CODE, 400, invalid("smartlockIds", []), id="no-locks"),
            pytest.param([0, "2"], NEW_CODE, 400, invalid("smartlockIds", "2"), id="id-as-string"),
        ],
    )
    async def test_one_bad_lock_refuses_all(
        self, api: ApiClient, locks: list[Lock], before, targets, code, status, expected
    ):
        """If any lock refuses the code, no lock gets it."""
        if code == LISTED_ON_GARAGE:
            code = (await keypad_codes(api, locks[2]))[0]["code"]
        ids = [
            UNKNOWN_LOCK_ID if t is None else t if isinstance(t, str) else locks[t].smartlock_id
            for t in targets
        ]
        reply = await api.put("/smartlock/auth", {**GUEST, "code": code, "smartlockIds": ids})
        assert (reply.status, reply.body) == (status, expected)
        await assert_nothing_changed(api, locks, before)


class TestBulkUpdate:
    async def test_updates_across_locks(self, api: ApiClient, locks: list[Lock]):
        """One POST updates authorizations on several locks; each shows after its sync."""
        front, _, garage = locks
        a, b = (await keypad_codes(api, front))[0], (await keypad_codes(api, garage))[0]
        body = [{"id": a["id"], "name": "Front guest"}, {"id": b["id"], "name": "Garage guest"}]
        reply = await api.post("/smartlock/auth", body)
        assert (reply.status, reply.body) == (204, None)
        await sync_all(api, locks)
        names = {x["id"]: x["name"] for x in await everywhere(api)}
        assert (names[a["id"]], names[b["id"]]) == ("Front guest", "Garage guest")

    @pytest.mark.parametrize(
        ("second", "status", "expected"),
        [
            pytest.param({"code": 123}, 400, invalid("code", 123), id="bad-code"),
            pytest.param({"id": UNKNOWN_AUTH_ID}, 404, detail(AUTH_NOT_FOUND), id="unknown-id"),
            pytest.param({"id": None}, 400, invalid("id", "null"), id="no-id"),
            pytest.param({"id": SAME_AS_FIRST}, 423, LOCKED_BODY, id="same-auth-twice"),
            pytest.param({"code": OTHER_NEW_CODE}, 409, detail(DUPLICATE_CODE), id="codes-collide"),
        ],
    )
    async def test_one_bad_item_refuses_all(
        self, api: ApiClient, locks: list[Lock], before, second, status, expected
    ):
        """If any item is refused, no item is queued."""
        first, other = (await keypad_codes(api, locks[2]))[:2]
        item = {"id": other["id"], "name": "Second", **second}
        if item["id"] == SAME_AS_FIRST:
            item["id"] = first["id"]
        body = [{"id": first["id"], "name": "First", "code": OTHER_NEW_CODE}, item]
        reply = await api.post("/smartlock/auth", body)
        assert (reply.status, reply.body) == (status, expected)
        await assert_nothing_changed(api, locks, before)

    @pytest.mark.parametrize("body", [{"id": UNKNOWN_AUTH_ID, "name": "x"}, [], ["x"]])
    async def test_not_an_array_of_updates_is_a_400(self, api: ApiClient, locks, before, body):
        """The body must be a non-empty JSON array of objects."""
        reply = await api.post("/smartlock/auth", body)
        expected = (
            "The request array items must be a JSON object"
            if body == ["x"]
            else NOT_AN_UPDATE_ARRAY
        )
        assert (reply.status, reply.body) == (400, detail(expected))
        await assert_nothing_changed(api, locks, before)

    async def test_an_auth_with_a_queued_change_refuses_the_batch(
        self, api: ApiClient, locks: list[Lock]
    ):
        """423 if one item's authorization still has a change queued; the other is not queued."""
        front, _, garage = locks
        busy, idle = (await keypad_codes(api, front))[0], (await keypad_codes(api, garage))[0]
        assert (
            await api.delete(f"/smartlock/{front.smartlock_id}/auth/{busy['id']}")
        ).status == 204
        body = [{"id": idle["id"], "name": "Idle"}, {"id": busy["id"], "name": "Busy"}]
        reply = await api.post("/smartlock/auth", body)
        assert (reply.status, reply.body) == (423, LOCKED_BODY)
        assert (len(front.cloud.queue), len(garage.cloud.queue)) == (1, 0)


class TestBulkDelete:
    async def test_deletes_across_locks(self, api: ApiClient, locks: list[Lock]):
        """One DELETE with an array of ids removes them all; each lock unlists after its sync."""
        front, _, garage = locks
        doomed = [
            (await keypad_codes(api, front))[0]["id"],
            (await keypad_codes(api, garage))[0]["id"],
        ]
        reply = await api.delete("/smartlock/auth", doomed)
        assert (reply.status, reply.body) == (204, None)
        assert {a["id"] for a in await everywhere(api)} >= set(doomed)
        await sync_all(api, locks)
        assert not {a["id"] for a in await everywhere(api)} & set(doomed)

    @pytest.mark.parametrize(
        ("extra", "status", "expected"),
        [
            pytest.param(UNKNOWN_AUTH_ID, 404, detail(AUTH_NOT_FOUND), id="unknown-id"),
            pytest.param(7, 400, invalid("id", 7), id="not-a-string"),
        ],
    )
    async def test_one_bad_id_refuses_all(
        self, api: ApiClient, locks: list[Lock], before, extra, status, expected
    ):
        """If any id is refused, nothing is deleted."""
        real = (await keypad_codes(api, locks[0]))[0]["id"]
        reply = await api.delete("/smartlock/auth", [real, extra])
        assert (reply.status, reply.body) == (status, expected)
        await assert_nothing_changed(api, locks, before)

    @pytest.mark.parametrize("body", [[], {"ids": []}, "x"])
    async def test_not_an_array_of_ids_is_a_400(self, api: ApiClient, locks, before, body):
        """The body must be a non-empty JSON array of authorization id strings."""
        reply = await api.delete("/smartlock/auth", body)
        assert (reply.status, reply.body) == (400, detail(NOT_AN_ID_ARRAY))
        await assert_nothing_changed(api, locks, before)

    async def test_an_auth_with_a_queued_change_refuses_the_batch(
        self, api: ApiClient, locks: list[Lock]
    ):
        """423 if one id has a change queued; the other authorization is not queued."""
        front, _, garage = locks
        busy, idle = (await keypad_codes(api, front))[0], (await keypad_codes(api, garage))[0]
        await api.post(f"/smartlock/{front.smartlock_id}/auth/{busy['id']}", {"name": "Busy"})
        reply = await api.delete("/smartlock/auth", [idle["id"], busy["id"]])
        assert (reply.status, reply.body) == (423, LOCKED_BODY)
        assert (len(front.cloud.queue), len(garage.cloud.queue)) == (1, 0)
