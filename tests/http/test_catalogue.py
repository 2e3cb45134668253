"""The opener intercom catalogue, companies and services, over real HTTP.

Nuki's Swagger secures them differently: the opener catalogue needs no token, ``/company``
any valid token, the service routes the ``account`` scope. Linking a service is the only
state: what link and unlink change must show in the reads, survive a snapshot, and a refused
call must change nothing. Every reply is checked against ``/openapi.json`` by the client.
"""

from __future__ import annotations

import pytest

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

NOT_AUTHORIZED = "Your access token is not authorized"
SERVICE_ROUTES = [
    ("GET", "/service"),
    ("GET", "/service/airbnb"),
    ("POST", "/service/airbnb/link"),
    ("POST", "/service/airbnb/unlink"),
    ("POST", "/service/airbnb/sync"),
]


def token(sim: RunningSimulator, scopes: frozenset[str]) -> str:
    return sim.world.add_token(sim.demo.account.account_id, scopes).token


def links(sim: RunningSimulator) -> dict[int, set[str]]:
    return sim.world.service_links


class TestOpenerCatalogue:
    async def test_brands_and_models_need_no_token(self, api: ApiClient):
        anonymous = api.with_token(None)
        brands = await anonymous.get("/opener/brand")
        assert brands.status == 200
        assert len(brands.body) >= 3
        first = brands.body[0]
        one = await anonymous.get(f"/opener/brand/{first['brandId']}")
        assert (one.status, one.body) == (200, first)
        models = await anonymous.get("/opener/intercom", params={"brandId": str(first["brandId"])})
        assert models.status == 200
        assert models.body
        assert {m["brandId"] for m in models.body} == {first["brandId"]}
        model = models.body[0]
        again = await anonymous.get(f"/opener/intercom/{model['intercomId']}")
        assert (again.status, again.body) == (200, model)

    async def test_incompatible_models_only_when_verified_is_ignored(self, api: ApiClient):
        everything = await api.get(
            "/opener/intercom", params={"brandId": "3", "ignoreVerified": "true"}
        )
        default = await api.get("/opener/intercom", params={"brandId": "3"})
        assert 3 in {m["verified"] for m in everything.body}
        assert 3 not in {m["verified"] for m in default.body}
        assert len(default.body) < len(everything.body)

    @pytest.mark.parametrize(
        "params",
        [
            pytest.param({}, id="no-brand"),
            pytest.param({"brandId": "x"}, id="brand-not-a-number"),
            pytest.param({"brandId": "99999999999"}, id="brand-beyond-int32"),
            pytest.param({"brandId": "1", "ignoreVerified": "yes"}, id="flag-not-boolean"),
        ],
    )
    async def test_bad_intercom_queries_are_400(self, api: ApiClient, params):
        reply = await api.get("/opener/intercom", params=params)
        assert reply.status == 400
        assert "is not valid" in (reply.detail or "")

    async def test_recently_changed_needs_no_brand(self, api: ApiClient):
        reply = await api.get("/opener/intercom", params={"recentlyChanged": "true"})
        assert reply.status == 200
        assert isinstance(reply.body, list)

    @pytest.mark.parametrize("path", ["/opener/brand/{}", "/opener/intercom/{}"])
    async def test_bad_and_unknown_ids(self, api: ApiClient, path):
        assert (await api.get(path.format("abc"))).status == 400
        assert (await api.get(path.format("-1"))).status == 400
        assert (await api.get(path.format("4000000000"))).status == 400
        unknown = await api.get(path.format("999999"))
        assert unknown.status == 404
        assert unknown.detail


class TestCompany:
    async def test_any_valid_token_lists_companies(self, api, nuki_sim):
        reply = await api.with_token(token(nuki_sim, frozenset({"smartlock.log"}))).get("/company")
        assert reply.status == 200
        assert reply.body
        assert "name" in reply.body[0]

    async def test_without_a_token_it_is_a_401(self, api: ApiClient):
        for who in (None, "0123456789abcdef"):
            reply = await api.with_token(who).get("/company")
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)


class TestServices:
    async def test_link_shows_in_reads_and_unlink_undoes_it(self, api, nuki_sim):
        before = await api.get("/service/airbnb")
        assert (before.status, before.body["enabled"]) == (200, False)
        linked = await api.post("/service/airbnb/link")
        assert linked.status == 200
        assert isinstance(linked.body, str)
        after = await api.get("/service", params={"serviceIds": "airbnb,guesty"})
        assert {s["serviceId"]: s["enabled"] for s in after.body} == {
            "airbnb": True,
            "guesty": False,
        }
        assert (await api.post("/service/airbnb/sync")).status == 204
        assert (await api.post("/service/airbnb/unlink")).status == 204
        assert (await api.get("/service/airbnb")).body["enabled"] is False
        assert links(nuki_sim) == {}

    async def test_links_belong_to_one_account(self, api, nuki_sim):
        other = nuki_sim.world.add_account(email="o@example.com", name="Other")
        other_token = nuki_sim.world.add_token(other.account_id).token
        assert (await api.with_token(other_token).post("/service/guesty/link")).status == 200
        assert (await api.get("/service/guesty")).body["enabled"] is False

    async def test_sync_of_an_unlinked_service_is_400_and_changes_nothing(self, api, nuki_sim):
        reply = await api.post("/service/smoobu/sync")
        assert reply.status == 400
        assert reply.detail
        assert links(nuki_sim) == {}

    @pytest.mark.parametrize(("method", "path"), SERVICE_ROUTES)
    async def test_missing_token_and_wrong_scope_are_401(self, api, nuki_sim, method, path):
        narrow = token(nuki_sim, SCOPES - {"account"})
        for who in (None, narrow):
            reply = await api.with_token(who).request(method, path)
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert links(nuki_sim) == {}

    @pytest.mark.parametrize("suffix", ["", "/link", "/unlink", "/sync"])
    async def test_bad_and_unknown_service_ids(self, api, nuki_sim, suffix):
        method = "GET" if not suffix else "POST"
        bad = await api.request(method, f"/service/Air%20BnB{suffix}")
        assert bad.status == 400
        assert bad.detail
        unknown = await api.request(method, f"/service/nosuchservice{suffix}")
        assert unknown.status == 404
        assert unknown.detail
        assert links(nuki_sim) == {}


def test_a_snapshot_round_trips_service_links():
    world = World(VirtualClock(snapshot._SCRATCH_START))
    account = world.add_account(email="a@example.com", name="A")
    world.service_links[account.account_id] = {"airbnb", "smoobu"}
    restored = World(VirtualClock(snapshot._SCRATCH_START))
    snapshot.restore(restored, snapshot.snapshot(world))
    assert restored.service_links == {account.account_id: {"airbnb", "smoobu"}}


def test_an_older_snapshot_without_service_links_still_loads():
    world = World(VirtualClock(snapshot._SCRATCH_START))
    world.add_account(email="a@example.com", name="A")
    data = snapshot.snapshot(world)
    pairs = data["state"]["$dict"]
    data["state"]["$dict"] = [p for p in pairs if p[0] != "service_links"]
    restored = World(VirtualClock(snapshot._SCRATCH_START))
    snapshot.restore(restored, data)
    assert restored.service_links == {}


def test_a_snapshot_with_links_of_no_account_is_refused():
    world = World(VirtualClock(snapshot._SCRATCH_START))
    world.service_links[999] = {"airbnb"}
    with pytest.raises(snapshot.Damaged, match=r"service_links\[999\] is no account"):
        snapshot.check(snapshot.snapshot(world))


async def test_link_and_unlink_again_change_nothing_more(api, nuki_sim):
    account_id = nuki_sim.demo.account.account_id
    for _ in range(2):
        assert (await api.post("/service/smoobu/link")).status == 200
    assert links(nuki_sim) == {account_id: {"smoobu"}}
    for _ in range(2):
        assert (await api.post("/service/smoobu/unlink")).status == 204
    assert links(nuki_sim) == {}
