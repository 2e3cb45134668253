"""Who may call what, over real HTTP: tokens, scopes, ownership, unknown ids and wrong verbs.

Fact sheet §2: every request carries ``Authorization: Bearer <token>``; a missing, unknown or
under-scoped token is 401 "Your access token is not authorized"; a lock of another account is
403; an unknown lock is 404. Nuki's verbs are inverted (PUT creates, POST updates), so a
wrong verb must be refused with 405, never silently accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient, Reply

UNKNOWN_LOCK_ID = 1
NOT_AUTHORIZED = {
    "detailMessage": "Your access token is not authorized",
    "stackTrace": [],
    "suppressedExceptions": [],
}
READ_LOCKS = frozenset({"smartlock", "smartlock.readOnly"})
GUEST = {"name": "Guest", "type": 13, "code": 345678}


def detail(message: str) -> dict[str, Any]:
    return {"detailMessage": message, "stackTrace": [], "suppressedExceptions": []}


@dataclass(frozen=True)
class Route:
    """One API call: verb, path template (``{lock}``, ``{auth}``), body and needed scopes."""

    method: str
    path: str
    scopes: frozenset[str]
    body: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ROUTES = [
    Route("GET", "/account", frozenset({"account"})),
    Route("GET", "/smartlock", READ_LOCKS),
    Route("GET", "/smartlock/{lock}", READ_LOCKS),
    Route("POST", "/smartlock/{lock}", frozenset({"smartlock"}), {"name": "Porch"}),
    Route("DELETE", "/smartlock/{lock}", frozenset({"smartlock"})),
    Route("POST", "/smartlock/{lock}/action", frozenset({"smartlock.action"}), {"action": 1}),
    Route("POST", "/smartlock/{lock}/action/lock", frozenset({"smartlock.action"})),
    Route("POST", "/smartlock/{lock}/action/unlock", frozenset({"smartlock.action"})),
    Route("POST", "/smartlock/{lock}/sync", frozenset({"smartlock.action"})),
    Route("GET", "/smartlock/{lock}/auth", frozenset({"smartlock.auth"})),
    Route("PUT", "/smartlock/{lock}/auth", frozenset({"smartlock.auth"}), GUEST),
    Route("GET", "/smartlock/{lock}/auth/{auth}", frozenset({"smartlock.auth"})),
    Route("POST", "/smartlock/{lock}/auth/{auth}", frozenset({"smartlock.auth"}), {"name": "New"}),
    Route("DELETE", "/smartlock/{lock}/auth/{auth}", frozenset({"smartlock.auth"})),
    Route("GET", "/smartlock/auth", frozenset({"smartlock.auth"})),
    Route("GET", "/smartlock/auth/paged", frozenset({"smartlock.auth"})),
    Route("PUT", "/smartlock/auth", frozenset({"smartlock.auth"}), {**GUEST, "smartlockIds": ["{lock}"]}),
    Route("POST", "/smartlock/auth", frozenset({"smartlock.auth"}), [{"id": "{auth}", "name": "New"}]),
    Route("DELETE", "/smartlock/auth", frozenset({"smartlock.auth"}), ["{auth}"]),
    Route("GET", "/smartlock/{lock}/log", frozenset({"smartlock.log"})),
    Route("GET", "/smartlock/log", frozenset({"smartlock.log"})),
]  # fmt: skip
LOCK_ROUTES = [r for r in ROUTES if "{lock}" in r.path]


def fill(value: Any, lock_id: int, auth_id: str) -> Any:
    """``value`` with ``{lock}`` and ``{auth}`` replaced (lock ids in bodies become numbers)."""
    if value == "{lock}":
        return lock_id
    if isinstance(value, str):
        return value.replace("{lock}", str(lock_id)).replace("{auth}", auth_id)
    if isinstance(value, list):
        return [fill(v, lock_id, auth_id) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, lock_id, auth_id) for k, v in value.items()}
    return value


async def call(api: ApiClient, route: Route, lock_id: int, auth_id: str) -> Reply:
    return await api.request(
        route.method,
        fill(route.path, lock_id, auth_id),
        json_body=fill(route.body, lock_id, auth_id),
    )


def first_keypad_code(lock: Lock) -> str:
    return next(a.id for a in lock.cloud.auths.values() if a.code is not None)


def token(sim: RunningSimulator, scopes: frozenset[str]) -> str:
    return sim.world.add_token(sim.demo.account.account_id, scopes).token


def assert_untouched(sim: RunningSimulator, lock: Lock, name: str) -> None:
    """Nothing queued, the lock still there under its name, nothing pending on any auth."""
    assert sim.world.locks.get(lock.smartlock_id) is lock
    assert (lock.name, list(lock.cloud.queue), lock.cloud.operations) == (name, [], {})


class TestAuthentication:
    @pytest.mark.parametrize(
        "header",
        [
            pytest.param(None, id="no-header"),
            pytest.param("Bearer 0123456789abcdef", id="unknown-token"),
            pytest.param("Bearer", id="scheme-only"),
            pytest.param("Bearer ", id="empty-token"),
            pytest.param("Basic dXNlcjpwYXNz", id="basic-auth"),
            pytest.param("{token}", id="token-without-scheme"),
            pytest.param("Token {token}", id="wrong-scheme"),
        ],
    )
    @pytest.mark.parametrize("route", ROUTES, ids=str)
    async def test_no_valid_token_is_a_401(self, api, nuki_sim, keypad_lock, route, header):
        """Every route refuses a request without a valid bearer token and changes nothing."""
        headers = {} if header is None else {"Authorization": header.format(token=nuki_sim.token)}
        anonymous = api.with_token(None)
        reply = await anonymous.request(
            route.method,
            fill(route.path, keypad_lock.smartlock_id, first_keypad_code(keypad_lock)),
            json_body=fill(route.body, keypad_lock.smartlock_id, first_keypad_code(keypad_lock)),
            headers=headers,
        )
        assert (reply.status, reply.body) == (401, NOT_AUTHORIZED)
        assert_untouched(nuki_sim, keypad_lock, keypad_lock.name)

    async def test_the_scheme_is_case_insensitive(self, api: ApiClient, nuki_sim):
        """``bearer`` works like ``Bearer`` (RFC 7235: auth schemes are case-insensitive)."""
        reply = await api.get("/smartlock", headers={"Authorization": f"bearer {nuki_sim.token}"})
        assert reply.status == 200


class TestScopes:
    @pytest.mark.parametrize("route", ROUTES, ids=str)
    async def test_a_token_without_the_scope_is_a_401(self, api, nuki_sim, keypad_lock, route):
        """A token holding every scope but the ones a route needs is refused; nothing changes."""
        name = keypad_lock.name
        lacking = api.with_token(token(nuki_sim, SCOPES - route.scopes))
        reply = await call(lacking, route, keypad_lock.smartlock_id, first_keypad_code(keypad_lock))
        assert (reply.status, reply.body) == (401, NOT_AUTHORIZED)
        assert_untouched(nuki_sim, keypad_lock, name)

    @pytest.mark.parametrize(
        ("route", "scope"),
        [pytest.param(r, s, id=f"{r}-{s}") for r in ROUTES for s in sorted(r.scopes)],
    )
    async def test_the_needed_scope_alone_is_enough(self, api, nuki_sim, keypad_lock, route, scope):
        """A token holding only one of the scopes a route accepts is served."""
        only = api.with_token(token(nuki_sim, frozenset({scope})))
        reply = await call(only, route, keypad_lock.smartlock_id, first_keypad_code(keypad_lock))
        assert reply.status in (200, 204), reply.body

    async def test_read_only_can_read_locks_but_not_change_them(self, api, nuki_sim, keypad_lock):
        """``smartlock.readOnly`` lists and shows locks; renaming or deleting one is 401."""
        reader = api.with_token(token(nuki_sim, frozenset({"smartlock.readOnly"})))
        assert (await reader.get("/smartlock")).status == 200
        assert (await reader.get(f"/smartlock/{keypad_lock.smartlock_id}")).status == 200
        for reply in (
            await reader.post(f"/smartlock/{keypad_lock.smartlock_id}", {"name": "Porch"}),
            await reader.delete(f"/smartlock/{keypad_lock.smartlock_id}"),
            await reader.post(f"/smartlock/{keypad_lock.smartlock_id}/action/unlock"),
        ):
            assert (reply.status, reply.body) == (401, NOT_AUTHORIZED)
        assert_untouched(nuki_sim, keypad_lock, keypad_lock.name)


@pytest.fixture
async def their_lock(api: ApiClient, nuki_sim: RunningSimulator) -> tuple[Lock, str]:
    """Another account's lock with one keypad code of theirs, created over HTTP."""
    world = nuki_sim.world
    other = world.add_account(email="neighbour@example.com", name="Neighbour")
    lock = world.add_lock(other.account_id, name="Their Door")
    theirs = api.with_token(world.add_token(other.account_id).token)
    assert (await theirs.put(f"/smartlock/{lock.smartlock_id}/auth", GUEST)).status == 204
    assert (await theirs.post(f"/smartlock/{lock.smartlock_id}/sync")).status == 204
    return lock, first_keypad_code(lock)


class TestOwnership:
    @pytest.mark.parametrize("route", LOCK_ROUTES, ids=str)
    async def test_another_accounts_lock_is_a_403(self, api, nuki_sim, their_lock, route):
        """Every per-lock route refuses a lock of another account with 403 and changes nothing."""
        lock, auth_id = their_lock
        name = lock.name
        reply = await call(api, route, lock.smartlock_id, auth_id)
        assert (reply.status, reply.body) == (403, detail("Forbidden"))
        assert_untouched(nuki_sim, lock, name)

    @pytest.mark.parametrize("method", ["POST", "DELETE"])
    async def test_bulk_writes_cannot_reach_another_accounts_auth(
        self, api, nuki_sim, their_lock, method
    ):
        """An authorization of another account is unknown to the bulk routes (404)."""
        lock, auth_id = their_lock
        body = [{"id": auth_id, "name": "Mine now"}] if method == "POST" else [auth_id]
        reply = await api.request(method, "/smartlock/auth", json_body=body)
        assert (reply.status, reply.body) == (404, detail("Smartlock authorization not found"))
        assert_untouched(nuki_sim, lock, lock.name)

    async def test_another_accounts_auths_and_logs_are_not_listed(self, api, their_lock):
        """The account-wide listings show nothing of another account."""
        lock, auth_id = their_lock
        assert auth_id not in [a["id"] for a in (await api.get("/smartlock/auth")).body]
        logs = (await api.get("/smartlock/log")).body
        assert lock.smartlock_id not in [e["smartlockId"] for e in logs]


class TestUnknownIds:
    @pytest.mark.parametrize("route", LOCK_ROUTES, ids=str)
    async def test_an_unknown_lock_is_a_404(self, api, nuki_sim, keypad_lock, route):
        """Every per-lock route answers 404 "Smartlock not found" for an id no lock has."""
        reply = await call(api, route, UNKNOWN_LOCK_ID, first_keypad_code(keypad_lock))
        assert (reply.status, reply.body) == (404, detail("Smartlock not found"))
        assert_untouched(nuki_sim, keypad_lock, keypad_lock.name)

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/smartlock/front-door"),
            ("GET", "/smartlock/-5"),
            ("POST", "/smartlock/1.5/action/unlock"),
            ("GET", "/smartlock/0x4f/auth"),
        ],
    )
    async def test_a_path_that_matches_no_route_is_a_404(self, api, method, path):
        """A non-numeric lock id matches no route: 404 with Nuki's body shape."""
        reply = await api.request(method, path)
        assert (reply.status, reply.body) == (404, detail("Not found"))


class TestWrongVerbs:
    @pytest.mark.parametrize(
        ("method", "path", "allowed"),
        [
            ("PUT", "/smartlock/{lock}", {"GET", "POST", "DELETE"}),
            ("POST", "/smartlock/{lock}/auth", {"GET", "PUT"}),
            ("PUT", "/smartlock/{lock}/auth/{auth}", {"GET", "POST", "DELETE"}),
            ("PUT", "/smartlock/{lock}/action", {"POST"}),
            ("GET", "/smartlock/{lock}/action/unlock", {"POST"}),
            ("GET", "/smartlock/{lock}/sync", {"POST"}),
            ("POST", "/smartlock", {"GET"}),
            ("PUT", "/smartlock", {"GET"}),
            ("PATCH", "/smartlock/auth", {"GET", "PUT", "POST", "DELETE"}),
            ("DELETE", "/smartlock/{lock}/log", {"GET"}),
        ],
    )
    async def test_a_wrong_verb_is_a_405_with_allow(
        self, api, nuki_sim, keypad_lock, method, path, allowed
    ):
        """A verb the path does not take is 405, says which verbs it takes, and changes nothing."""
        target = fill(path, keypad_lock.smartlock_id, first_keypad_code(keypad_lock))
        # validate=False: an undocumented verb has, by definition, no operation in /openapi.json
        reply = await api.request(method, target, json_body={"name": "Porch"}, validate=False)
        assert (reply.status, reply.body) == (405, detail(f"Method {method} is not allowed here"))
        assert set(reply.headers["Allow"].split(", ")) - {"HEAD"} == allowed
        assert_untouched(nuki_sim, keypad_lock, keypad_lock.name)
