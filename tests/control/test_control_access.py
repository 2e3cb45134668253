"""Who may use ``/_sim``: switched off it does not exist; with a control token it needs that token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http import control_ops
from nuki_sim.simulator.http.app import create_app
from nuki_sim.simulator.http.server import start_simulator
from tests.client import ApiClient
from tests.control.support import CONTROL_PREFIX, ControlClient, is_detail_error

CONTROL_TOKEN = "s3cret"
WRONG_TOKEN = "s3cret-not"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANY_ID = "1"
ONE_DAY = 86_400
PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def control_routes_of(lock_id: int, account_id: int) -> list[tuple[str, str]]:
    """Every control-plane route as (method, concrete path below ``/_sim``)."""
    values = {"smartlockId": str(lock_id), "accountId": str(account_id)}
    routes = []
    for op in control_ops.OPERATIONS:
        path = PARAM.sub(lambda m: values.get(m.group(1), ANY_ID), op.path)
        routes.append((op.method, path.removeprefix(CONTROL_PREFIX)))
    assert len(routes) > 10  # the table really was read
    return routes


async def assert_nuki_routes_work(api: ApiClient, lock_id: int) -> None:
    assert (await api.get("/account")).status == 200
    assert (await api.get("/smartlock")).status == 200
    assert (await api.post(f"/smartlock/{lock_id}/sync")).status == 204


class TestControlPlaneOff:
    async def test_create_app_without_control_plane(self, http: aiohttp.ClientSession):
        """create_app(control_plane=False): every /_sim route is 404 while Nuki's routes work."""
        world = World(VirtualClock(T0), seed=1)
        demo = build_demo(world)
        server = TestServer(create_app(world, control_plane=False))
        await server.start_server()
        try:
            url = str(server.make_url("")).rstrip("/")
            control = ControlClient(http, url, None)
            lock_id = demo.locks[0].smartlock_id
            for method, path in control_routes_of(lock_id, demo.account.account_id):
                reply = await control.request(method, path, json_body={})
                assert is_detail_error(reply, 404), (method, path, reply.status)
            await assert_nuki_routes_work(ApiClient(http, url, demo.token.token), lock_id)
        finally:
            await server.close()

    async def test_start_simulator_without_control_plane(self, http: aiohttp.ClientSession):
        """start_simulator(control_plane=False): every /_sim route is 404 while Nuki's routes work."""
        sim = await start_simulator(control_plane=False)
        try:
            control = ControlClient(http, sim.url, None)
            lock_id = sim.demo.locks[0].smartlock_id
            for method, path in control_routes_of(lock_id, sim.demo.account.account_id):
                reply = await control.request(method, path, json_body={})
                assert is_detail_error(reply, 404), (method, path, reply.status)
            await assert_nuki_routes_work(ApiClient(http, sim.url, sim.token), lock_id)
        finally:
            await sim.close()


@pytest_asyncio.fixture
async def guarded(http: aiohttp.ClientSession) -> AsyncIterator[tuple[ControlClient, ApiClient]]:
    """A simulator whose control plane needs CONTROL_TOKEN: (its /_sim client without a token,
    a Nuki client with the demo's API token)."""
    sim = await start_simulator(control_token=CONTROL_TOKEN)
    try:
        yield ControlClient(http, sim.url, None), ApiClient(http, sim.url, sim.token)
    finally:
        await sim.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class TestControlToken:
    @pytest.mark.parametrize(
        "headers",
        [
            {},
            bearer(WRONG_TOKEN),
            bearer(""),
            {"Authorization": "Basic czNjcmV0"},
            {"Authorization": CONTROL_TOKEN},
        ],
        ids=["no header", "wrong token", "empty token", "basic auth", "no scheme"],
    )
    async def test_without_the_control_token_every_route_is_401(
        self, guarded: tuple[ControlClient, ApiClient], headers: dict[str, str]
    ):
        """No or a wrong control token → 401 detail body on every /_sim route, and nothing changes."""
        control, api = guarded
        before = (await control.get("/snapshot", headers=bearer(CONTROL_TOKEN))).body
        lock_id = (await api.get("/smartlock")).body[0]["smartlockId"]
        account_id = (await api.get("/account")).body["accountId"]
        for method, path in control_routes_of(lock_id, account_id):
            reply = await control.request(method, path, json_body={}, headers=headers)
            assert is_detail_error(reply, 401), (method, path, reply.status)
        await control.request("POST", "/clock/advance", json_body={"seconds": ONE_DAY})
        after = (await control.get("/snapshot", headers=bearer(CONTROL_TOKEN))).body
        assert after == before

    async def test_the_control_token_opens_the_control_plane(
        self, guarded: tuple[ControlClient, ApiClient]
    ):
        """Authorization: Bearer <control token> → /_sim works (the clock moves)."""
        control, _ = guarded
        reply = await control.post(
            "/clock/advance", {"seconds": ONE_DAY}, headers=bearer(CONTROL_TOKEN)
        )
        assert reply.status == 200
        assert reply.body["ran"] > 0
        assert (await control.get("/clock", headers=bearer(CONTROL_TOKEN))).status == 200

    async def test_the_scheme_is_case_insensitive(self, guarded: tuple[ControlClient, ApiClient]):
        """``bearer <control token>`` works like ``Bearer …`` (RFC 7235), as on Nuki's routes."""
        control, api = guarded
        lower = {"Authorization": f"bearer {CONTROL_TOKEN}"}
        assert (await control.get("/clock", headers=lower)).status == 200
        assert (
            await api.get("/account", headers={"Authorization": f"bearer {api.token}"})
        ).status == 200

    async def test_api_token_does_not_open_the_control_plane(
        self, guarded: tuple[ControlClient, ApiClient]
    ):
        """The demo's Nuki API token → 401 on /_sim, while it still works on Nuki's routes."""
        control, api = guarded
        assert api.token is not None
        reply = await control.get("/clock", headers=bearer(api.token))
        assert is_detail_error(reply, 401)
        assert (await api.get("/account")).status == 200

    async def test_control_token_does_not_open_nuki_routes(
        self, guarded: tuple[ControlClient, ApiClient]
    ):
        """The control token is no Nuki API token: GET /account with it → 401."""
        _, api = guarded
        assert (await api.with_token(CONTROL_TOKEN).get("/account")).status == 401
