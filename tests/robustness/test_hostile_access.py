"""Hostile paths and credentials over real HTTP: a clear 4xx in Nuki's shape, no change.

Path traversal in ids, missing, forged and foreign tokens, the guarded control plane without
its token, and a request line longer than the HTTP parser takes: each is refused with Nuki's
error body, and the world's snapshot before equals the one after.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.http.faults import FAULTS
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.robustness.hostile import NOT_AUTHORIZED, assert_nuki_error, raw_request, world_state

CONTROL_TOKEN = "control-secret"
KEYPAD_BODY = {"name": "Guest", "type": 13, "code": 345678}
LINE_LIMIT = 8190  # aiohttp's default max_line_size
TRAVERSALS = [
    "/smartlock/..%2F..%2Fetc/auth",
    "/smartlock/1/auth/../../account",
    "/smartlock/%2e%2e/%2e%2e/account",
    "/smartlock/{lock}/auth/..%2F..%2F..%2Faccount",
    "/smartlock/{lock}/auth/%2e%2e",
    "/smartlock/{lock}/../../_sim/snapshot",
]
# Requests a foreign token sends to the demo account's first lock, and the status it gets.
FOREIGN = [
    ("GET", "/smartlock/{lock}", None, 403),
    ("POST", "/smartlock/{lock}", {"name": "Mine now"}, 403),
    ("DELETE", "/smartlock/{lock}", None, 403),
    ("POST", "/smartlock/{lock}/action/unlock", None, 403),
    ("POST", "/smartlock/{lock}/sync", None, 403),
    ("GET", "/smartlock/{lock}/auth", None, 403),
    ("PUT", "/smartlock/{lock}/auth", KEYPAD_BODY, 403),
    ("GET", "/smartlock/{lock}/auth/{auth}", None, 403),
    ("DELETE", "/smartlock/{lock}/auth/{auth}", None, 403),
    ("DELETE", "/smartlock/auth", ["{auth}"], 404),
    ("POST", "/smartlock/auth", [{"id": "{auth}", "name": "Mine now"}], 404),
    ("PUT", "/smartlock/auth", {**KEYPAD_BODY, "smartlockIds": ["{lock}"]}, 403),
]
CONTROL_CALLS = [
    ("POST", "/_sim/reset", None),
    ("GET", "/_sim/snapshot", None),
    ("POST", "/_sim/restore", {"format": "nuki-sim/1", "state": {}}),
    ("POST", "/_sim/clock/advance", {"seconds": 3600}),
    ("POST", "/_sim/smartlocks/{lock}/connectivity", {"online": False}),
    ("POST", "/_sim/faults", {"path": "*", "status": 500}),
    ("POST", "/_sim/accounts", {"email": "mallory@example.com", "name": "Mallory"}),
]


def fill(value: Any, nuki_sim: RunningSimulator) -> Any:
    """``value`` with ``{lock}`` and ``{auth}`` replaced by the demo's first lock and code."""
    lock = nuki_sim.demo.locks[0]
    auth = next(a for a in lock.cloud.auths.values() if a.code is not None)
    if isinstance(value, str):
        value = value.replace("{lock}", str(lock.smartlock_id)).replace("{auth}", auth.id)
        return int(value) if value.isdigit() else value
    if isinstance(value, list):
        return [fill(v, nuki_sim) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, nuki_sim) for k, v in value.items()}
    return value


def path_of(template: str, nuki_sim: RunningSimulator) -> str:
    lock = nuki_sim.demo.locks[0]
    auth = next(a for a in lock.cloud.auths.values() if a.code is not None)
    return template.replace("{lock}", str(lock.smartlock_id)).replace("{auth}", auth.id)


@pytest.mark.parametrize("target", TRAVERSALS)
async def test_path_traversal_in_ids_finds_nothing(nuki_sim: RunningSimulator, target: str):
    """``..`` and ``%2F`` in an id, sent unnormalized, are a 404 that reads and changes nothing."""
    before = world_state(nuki_sim)
    reply = await raw_request(nuki_sim, "GET", path_of(target, nuki_sim), nuki_sim.token)
    assert_nuki_error(reply, 404)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("auth_id", ["a\r\nX-Injected: 1", "\x00", "\x1b[31m", "\u2028\x7f"])
@pytest.mark.parametrize("method", ["DELETE", "POST"])
async def test_control_characters_in_ids_cannot_break_the_answer(
    nuki_sim: RunningSimulator, api: ApiClient, auth_id: str, method: str
):
    """An id with CR, LF, NUL or ESC in a bulk body is a clean 404, not a dropped connection."""
    before = world_state(nuki_sim)
    body = [auth_id] if method == "DELETE" else [{"id": auth_id, "name": "Guest"}]
    reply = await api.request(method, "/smartlock/auth", json_body=body)
    assert_nuki_error(reply, 404)
    assert "X-Injected" not in reply.headers
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer forged-0123456789abcdef", "Basic {token}", "{token}",
     "Bearer {token}x", "Bearer {token} {token}"],
    ids=["missing", "empty", "scheme-only", "blank", "forged", "basic", "no-scheme", "suffixed",
         "doubled"],
)  # fmt: skip
@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/smartlock", None), ("PUT", "/smartlock/{lock}/auth", KEYPAD_BODY),
    ("DELETE", "/smartlock/{lock}", None),
])  # fmt: skip
async def test_missing_or_forged_tokens_are_refused(
    nuki_sim: RunningSimulator,
    api: ApiClient,
    authorization: str | None,
    method: str,
    path: str,
    body: Any,
):
    """Without a valid bearer token every call is Nuki's 401 and changes nothing."""
    before = world_state(nuki_sim)
    client = api.with_token(None)
    headers = {} if authorization is None else {
        "Authorization": authorization.replace("{token}", nuki_sim.token)
    }  # fmt: skip
    reply = await client.request(
        method, path_of(path, nuki_sim), json_body=fill(body, nuki_sim), headers=headers
    )
    assert_nuki_error(reply, 401)
    assert reply.body["detailMessage"] == NOT_AUTHORIZED
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize(("method", "path", "body", "status"), FOREIGN)
async def test_another_accounts_token_cannot_touch_the_lock(
    nuki_sim: RunningSimulator, api: ApiClient, method: str, path: str, body: Any, status: int
):
    """A valid token of another account gets 403 (or 404 for ids it cannot see) and changes nothing."""
    world = nuki_sim.world
    mallory = world.add_account(email="mallory@example.com", name="Mallory")
    foreign = api.with_token(world.add_token(mallory.account_id).token)
    before = world_state(nuki_sim)
    reply = await foreign.request(method, path_of(path, nuki_sim), json_body=fill(body, nuki_sim))
    assert_nuki_error(reply, status)
    assert world_state(nuki_sim) == before
    assert (await foreign.get("/smartlock")).body == []


@pytest.mark.nuki_sim(control_token=CONTROL_TOKEN)
@pytest.mark.parametrize(("method", "path", "body"), CONTROL_CALLS)
@pytest.mark.parametrize("token", [None, "api-token", "wrong"], ids=["none", "api", "wrong"])
async def test_the_guarded_control_plane_refuses_other_tokens(
    nuki_sim: RunningSimulator,
    api: ApiClient,
    method: str,
    path: str,
    body: Any,
    token: str | None,
):
    """With a control token set, /_sim answers 401 to no token, the Nuki token or a wrong one."""
    before = world_state(nuki_sim)
    given = {"api-token": nuki_sim.token, "wrong": CONTROL_TOKEN + "x"}.get(token or "", token)
    client = api.with_token(given)
    reply = await client.request(
        method, path_of(path, nuki_sim), json_body=fill(body, nuki_sim), validate=False
    )
    assert_nuki_error(reply, 401)
    assert world_state(nuki_sim) == before
    assert nuki_sim.runner.app[FAULTS].rules == []
    guarded = await api.with_token(CONTROL_TOKEN).get("/_sim/clock", validate=False)
    assert guarded.status == 200  # the right token still gets in


async def test_a_request_line_over_the_parser_limit_is_refused(nuki_sim: RunningSimulator):
    """A request line longer than the HTTP parser takes (8,190 bytes) is refused with a 4xx and
    changes nothing. The refusal comes from aiohttp's parser, before any route or middleware, so
    its body is aiohttp's plain text, not Nuki's JSON (docs/behaviour.md says so)."""
    before = world_state(nuki_sim)
    types = ",".join(["13"] * (LINE_LIMIT // 3 + 1))
    reply = await raw_request(nuki_sim, "GET", f"/smartlock/auth?types={types}", nuki_sim.token)
    assert 400 <= reply.status < 500
    assert world_state(nuki_sim) == before
