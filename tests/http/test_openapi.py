"""``/openapi.json``: valid OpenAPI 3.1, in step with the router, served as built, true to replies.

Every reply fetched through :class:`tests.client.ApiClient` is validated against the document
(route, status and body), so the tests below mostly provoke replies of each kind and shape.
"""

from __future__ import annotations

import re
from typing import Any, NotRequired, TypedDict

import jsonschema
import pytest
from aiohttp import ClientSession, web
from openapi_spec_validator import validate

from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.app import create_app
from nuki_sim.simulator.http.openapi import document
from nuki_sim.simulator.http.schema import Components
from nuki_sim.simulator.http.server import DEFAULT_START, RunningSimulator
from tests import openapi_check
from tests.client import ApiClient

VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
HINT = "X-Nuki-Sim-Hint"
UNKNOWN_LOCK = "/smartlock/1"


def normalise(template: str) -> str:
    """``/smartlock/{smartlockId:\\d+}`` → ``/smartlock/{smartlockId}``."""
    return re.sub(r"\{(\w+)(?::[^{}]*)?\}", r"{\1}", template)


def routed(**options: Any) -> set[tuple[str, str]]:
    app = create_app(World(VirtualClock(DEFAULT_START)), **options)
    found = set()
    for route in app.router.routes():
        if route.method == "HEAD":  # aiohttp adds HEAD to every GET
            continue
        assert route.resource is not None
        found.add((route.method, normalise(route.resource.canonical)))
    return found


def documented() -> set[tuple[str, str]]:
    return {
        (verb.upper(), path)
        for path, item in document()["paths"].items()
        for verb in item
        if verb in VERBS
    }


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (verb, path, op)
        for path, item in document()["paths"].items()
        for verb, op in item.items()
        if verb in VERBS
    ]


def body_errors(schema_name: str, body: Any, *, strict: bool = True) -> list[str]:
    """Why ``body`` is not a ``schema_name``: in the tests' strict view, or as served."""
    doc = document(strict=strict)
    schema = openapi_check._inline(doc["components"]["schemas"][schema_name], doc)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(body)]


# --- the document itself ------------------------------------------------------------------------


def test_the_document_is_valid_openapi_3_1() -> None:
    doc = document()
    assert doc["openapi"] == "3.1.0"
    validate(doc)


def test_every_route_is_documented_and_every_operation_is_routed() -> None:
    assert routed() == documented()


def test_without_the_control_plane_only_nuki_routes_remain() -> None:
    nuki = {(verb, path) for verb, path in documented() if not path.startswith("/_sim")}
    assert routed(control_plane=False) == nuki


def test_every_operation_is_described_completely() -> None:
    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(set(ids))
    for verb, path, op in operations():
        where = f"{verb.upper()} {path}"
        assert all(op[key] for key in ("summary", "description", "tags")), where
        assert "default" in op["responses"], where
        if path.startswith("/_sim") or path == "/openapi.json":
            continue
        if op["security"] == []:  # Nuki's opener catalogue needs no token: it never says 401
            assert "401" not in op["responses"], where
            continue
        assert "401" in op["responses"], where
        if "{smartlockId}" in path:
            assert {"400", "403", "404"} <= set(op["responses"]), where
        if "requestBody" in op:
            assert {"400", "413"} <= set(op["responses"]), where
        if "204" in op["responses"] and "/auth" in path:
            assert "next sync" in op["description"], where


@pytest.mark.parametrize(
    ("path", "verb", "statuses"),
    [
        ("/smartlock/{smartlockId}/auth", "put", {"409", "422"}),
        ("/smartlock/{smartlockId}/auth/{authId}", "post", {"409", "422", "423"}),
        ("/smartlock/{smartlockId}/auth/{authId}", "delete", {"423"}),
        ("/smartlock/{smartlockId}/action", "post", {"423"}),
        ("/smartlock/auth", "post", {"409", "422", "423"}),
    ],
)
def test_nuki_specific_refusals_are_documented(path: str, verb: str, statuses: set[str]) -> None:
    assert statuses <= set(document()["paths"][path][verb]["responses"])


def test_only_the_document_itself_needs_no_token() -> None:
    doc = document()
    assert doc["security"] == [{"bearerAuth": []}]
    assert doc["paths"]["/openapi.json"]["get"]["security"] == []


def test_response_schemas_catch_undocumented_and_missing_fields() -> None:
    auth = {
        "id": "65a1b2c3d4e5f60718293a4b",
        "smartlockId": 18298712180,
        "authId": 3,
        "type": 13,
        "name": "Cleaning",
        "enabled": True,
        "remoteAllowed": False,
        "lockCount": 0,
        "creationDate": "2026-01-05T09:00:00.000Z",
        "updateDate": "2026-01-05T09:00:00.000Z",
        "code": 345678,
        "allowedWeekDays": 127,
        "allowedFromTime": 0,
        "allowedUntilTime": 0,
    }
    assert body_errors("SmartlockAuth", auth) == []
    assert body_errors("SmartlockAuth", {**auth, "surprise": 1})
    assert body_errors("SmartlockAuth", {k: v for k, v in auth.items() if k != "lockCount"})
    assert body_errors("SmartlockAuth", {k: v for k, v in auth.items() if k != "code"})
    assert body_errors("SmartlockAuth", {**auth, "type": 0})  # only keypad codes have a code
    assert body_errors("SmartlockAuth", {**auth, "updateDate": "2026-01-05T09:00:00Z"})
    assert body_errors("SmartlockAuth", {**auth, "type": 7})


def test_served_response_schemas_accept_what_nuki_may_send() -> None:
    """As served, a Nuki shape is open and requires only what Nuki's Swagger requires: a
    client validated against the document accepts a real payload with fields the simulator
    never sends, or without ones Nuki leaves optional."""
    real_auth = {  # Nuki's required keys only, plus fields of real payloads
        "id": "65a1b2c3d4e5f60718293a4b",
        "smartlockId": 18298712180,
        "type": 0,
        "name": "Anna",
        "enabled": True,
        "remoteAllowed": True,
        "lockCount": 4,
        "appId": 7,
        "authTypeAsString": "APP",
        "somethingNew": {"nuki": "may add fields"},
    }
    assert body_errors("SmartlockAuth", real_auth, strict=False) == []
    assert body_errors("SmartlockAuth", real_auth)  # the simulator itself sends more
    without_name = {k: v for k, v in real_auth.items() if k != "name"}
    assert body_errors("SmartlockAuth", without_name, strict=False)
    lock = {
        "smartlockId": 18298712180, "accountId": 1, "type": 4, "authId": 1, "name": "Door",
        "favorite": False, "serverState": 0, "adminPinState": 0, "lmType": 1,
    }  # fmt: skip
    assert body_errors("Smartlock", lock, strict=False) == []


def test_no_nuki_response_shape_is_closed_and_required_sets_are_nukis() -> None:
    """``additionalProperties: false`` appears only in the control plane's ``Sim…`` shapes,
    and each shape requires no more than Nuki's Swagger 4.18.0 does."""
    doc = document()
    text = str({k: v for k, v in doc["components"]["schemas"].items() if not k.startswith("Sim")})
    assert "'additionalProperties': False" not in text
    nuki = {  # Swagger 4.18.0 `required`, written down from the Swagger
        "Smartlock": {"accountId", "adminPinState", "authId", "favorite", "name", "serverState",
                      "smartlockId", "type"},
        "SmartlockState": {"batteryCritical", "doorState", "lastAction", "mode", "nightMode",
                           "ringToOpenTimer", "state", "trigger"},
        "SmartlockConfig": {"advertisingMode", "latitude", "longitude", "name", "singleLock",
                            "timezoneId", "timezoneOffset"},
        "SmartlockAdvancedConfig": {"batteryType", "lockedPositionOffsetDegrees",
                                    "singleLockedPositionOffsetDegrees", "totalDegrees",
                                    "unlockedPositionOffsetDegrees"},
        "SmartlockAuth": {"enabled", "id", "lockCount", "name", "remoteAllowed", "smartlockId",
                          "type"},
        "SmartlockLog": {"action", "autoUnlock", "date", "deviceType", "id", "name",
                         "smartlockId", "state", "trigger"},
        "MyAccount": {"accountId", "creationDate", "email", "name", "type", "updateDate"},
        "AccountUser": {"accountId", "accountUserId", "creationDate", "email", "name",
                        "updateDate"},
        "DecentralWebhook": {"webhookFeatures", "webhookUrl"},
        "WebhookLog": {"accountId", "apiKeyId", "created", "id", "updated"},
        "PagedAuths": set(),
    }  # fmt: skip
    schemas = doc["components"]["schemas"]
    for name, required in nuki.items():
        assert set(schemas[name].get("required", [])) <= required, name


# --- served over HTTP -------------------------------------------------------------------------


async def test_the_served_document_is_the_built_one(
    nuki_sim: RunningSimulator, http: ClientSession
) -> None:
    async with http.get(nuki_sim.url + "/openapi.json") as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        served = await response.json()
    assert served == document()


async def test_the_document_needs_no_token(api: ApiClient) -> None:
    reply = await api.with_token(None).get("/openapi.json")
    assert reply.status == 200
    assert reply.body["info"]["title"] == "Nuki Web API (nuki-sim)"


# --- real replies, each validated against the document by ApiClient -----------------------------


async def test_locks_and_account(api: ApiClient, nuki_sim: RunningSimulator) -> None:
    locks = await api.get("/smartlock")
    assert locks.status == 200
    assert len(locks.body) == len(nuki_sim.demo.locks)
    for lock in nuki_sim.demo.locks:
        reply = await api.get(f"/smartlock/{lock.smartlock_id}")
        assert reply.status == 200
    account = await api.get("/account")
    assert (account.status, account.body["accountId"]) == (200, nuki_sim.demo.account.account_id)
    # Nuki's Account.Config is {alexaPin, gactionsHomePin, otpEnabledDate}; the simulated account
    # has no voice assistant PINs, so it sends no config rather than an invented one
    assert "config" not in account.body
    assert set(
        document()["components"]["schemas"]["MyAccount"]["properties"]["config"]["properties"]
    ) == {"alexaPin", "gactionsHomePin", "otpEnabledDate"}


async def test_authorization_listings(api: ApiClient, keypad_lock: Lock) -> None:
    auths = await api.get(f"/smartlock/{keypad_lock.smartlock_id}/auth")
    assert auths.status == 200
    assert {a["type"] for a in auths.body} == {0, 13}
    assert not any("smartActionsEnabled" in a for a in auths.body)  # a create-body field only
    one = await api.get(f"/smartlock/{keypad_lock.smartlock_id}/auth/{auths.body[0]['id']}")
    assert one.body == auths.body[0]
    everything = await api.get("/smartlock/auth", params={"types": "0,13"})
    assert everything.status == 200
    assert len(everything.body) > len(auths.body)


async def test_paged_authorizations(api: ApiClient) -> None:
    first = await api.get("/smartlock/auth/paged", params={"size": "3"})
    pages = first.body["pagination"]["totalPages"]
    assert pages >= 3
    assert (first.body["pagination"].get("prevPage"), first.body["pagination"]["nextPage"]) == (
        None,
        "1",
    )
    middle = await api.get("/smartlock/auth/paged", params={"size": "3", "page": "1"})
    assert (middle.body["pagination"]["prevPage"], middle.body["pagination"]["nextPage"]) == (
        "0",
        "2",
    )
    last = await api.get("/smartlock/auth/paged", params={"size": "3", "page": str(pages - 1)})
    assert "nextPage" not in last.body["pagination"]


async def test_activity_logs(api: ApiClient, keypad_lock: Lock) -> None:
    lock = f"/smartlock/{keypad_lock.smartlock_id}"
    assert (await api.post(lock + "/action/unlock")).status == 204
    await api.post("/_sim/clock/advance", {"seconds": 30})
    await api.post(f"/_sim/smartlocks/{keypad_lock.smartlock_id}/keypad", {"code": "999999"})
    entries = await api.get(lock + "/log")
    assert [(e["trigger"], e["state"]) for e in entries.body] == [(255, 224), (4, 0)]
    older = await api.get(lock + "/log", params={"id": entries.body[0]["id"], "limit": "50"})
    assert older.body == entries.body[1:]
    assert (await api.get("/smartlock/log")).status == 200
    # the action made through the Web API names the Web API's own authorization, which is listed
    listed = {a["id"]: a["name"] for a in (await api.get(lock + "/auth")).body}
    assert listed[entries.body[1]["authId"]] == "Nuki Web"


async def test_a_pending_change_shows_its_operation_and_locks_the_authorization(
    api: ApiClient, keypad_lock: Lock
) -> None:
    lock = f"/smartlock/{keypad_lock.smartlock_id}"
    code = next(a for a in (await api.get(lock + "/auth")).body if a["type"] == 13)
    path = f"{lock}/auth/{code['id']}"
    assert (await api.post(path, {"name": "Renamed"})).status == 204
    pending = await api.get(path)
    assert "operationId" in pending.body
    locked = await api.post(path, {"name": "Again"})
    assert (locked.status, locked.body) == (423, {"stackTrace": [], "suppressedExceptions": []})
    assert locked.headers[HINT]


async def test_a_failure_only_the_lock_sees_is_listed_with_its_error(
    api: ApiClient, keypad_lock: Lock
) -> None:
    lock = f"/smartlock/{keypad_lock.smartlock_id}"
    for name in ("First", "Second"):  # the cloud cannot see the first yet: both are accepted
        reply = await api.put(lock + "/auth", {"name": name, "type": 13, "code": 987654})
        assert reply.status == 204
    await api.post("/_sim/clock/advance", {"seconds": 30})
    assert (await api.post(lock + "/sync")).status == 204
    failed = [a for a in (await api.get(lock + "/auth")).body if "error" in a]
    assert [(a["name"], a["authId"]) for a in failed] == [("Second", 0)]


async def test_refusals_have_nukis_bodies(
    api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
) -> None:
    lock = f"/smartlock/{keypad_lock.smartlock_id}"
    unauthorized = await api.with_token(None).get("/smartlock")
    assert (unauthorized.status, unauthorized.detail) == (
        401,
        "Your access token is not authorized",
    )
    bad = await api.get(lock + "/log", params={"limit": "many"})
    assert (bad.status, bad.detail) == (
        400,
        "The supplied value 'many' for parameter 'limit' is not valid",
    )
    missing = await api.get(UNKNOWN_LOCK)
    assert (missing.status, missing.detail) == (404, "Smartlock not found")
    long_name = await api.put(lock + "/auth", {"name": "N" * 21, "type": 13, "code": 456789})
    assert (long_name.status, long_name.body["code"]) == (422, 422)
    taken = next(a["code"] for a in (await api.get(lock + "/auth")).body if a["type"] == 13)
    duplicate = await api.put(lock + "/auth", {"name": "Dup", "type": 13, "code": taken})
    assert duplicate.status == 409
    other = await api.post("/_sim/accounts", {"name": "Someone Else"})
    theirs = await api.post("/_sim/smartlocks", {"accountId": other.body["accountId"]})
    forbidden = await api.get(f"/smartlock/{theirs.body['smartlockId']}")
    assert (forbidden.status, forbidden.detail) == (403, "Forbidden")
    for reply in (unauthorized, missing, long_name, forbidden):
        assert reply.headers[HINT]


async def test_a_wrong_verb_is_a_405_naming_the_documented_verbs(
    api: ApiClient, keypad_lock: Lock
) -> None:
    # A 405 answers a verb the document does not list, so it cannot be looked up there:
    # check its body against DetailError and its Allow header against the document instead.
    path = f"/smartlock/{keypad_lock.smartlock_id}/action"
    reply = await api.put(path, {"action": 1}, validate=False)
    assert reply.status == 405
    assert body_errors("DetailError", reply.body) == []
    allowed = {m.strip() for m in reply.headers["Allow"].split(",")} - {"HEAD"}
    documented_verbs = {
        verb.upper()
        for verb in document()["paths"][openapi_check.template_for(path)]
        if verb in VERBS
    }
    assert allowed == documented_verbs == {"POST"}


# --- the control plane ---------------------------------------------------------------------------


async def test_control_plane_replies_match_the_document(api: ApiClient, bare_lock: Lock) -> None:
    lock = f"/_sim/smartlocks/{bare_lock.smartlock_id}"
    await api.get("/_sim/clock")
    await api.post(lock + "/connectivity", {"online": False})
    assert (await api.post(f"/smartlock/{bare_lock.smartlock_id}/action/lock")).status == 204
    device = await api.get(lock + "/device")
    assert [c["command"] for c in device.body["queue"]] == ["LockAction"]
    back = await api.post(lock + "/connectivity", {"online": True})
    assert [d["command"] for d in back.body["delivered"]] == ["LockAction"]
    await api.post(lock + "/battery", {"charge": 12.5})
    await api.post(lock + "/jam", {"jammed": True})
    await api.post(lock + "/sync")
    account = await api.post("/_sim/accounts")
    token = await api.post(
        f"/_sim/accounts/{account.body['accountId']}/tokens", {"scopes": ["account"]}
    )
    assert token.body["scopes"] == ["account"]
    snapshot = await api.get("/_sim/snapshot")
    assert (await api.post("/_sim/restore", snapshot.body)).status == 200
    await api.post("/_sim/clock/set", {"now": "2026-01-06T09:00:00Z"})
    assert (await api.get("/_sim/requests", params={"limit": "5"})).status == 200
    assert (await api.delete("/_sim/requests")).status == 204
    assert (await api.post("/_sim/reset")).status == 200


async def test_an_injected_fault_is_covered_by_the_default_response(api: ApiClient) -> None:
    fault = await api.post("/_sim/faults", {"path": "/account", "status": 503, "count": 1})
    assert fault.status == 201
    assert len((await api.get("/_sim/faults")).body) == 1
    injected = await api.get("/account")
    assert (injected.status, injected.headers["X-Nuki-Sim-Fault"]) == (503, str(fault.body["id"]))
    assert (await api.get("/account")).status == 200
    assert (await api.delete("/_sim/faults")).status == 204


async def test_webhook_routes_match_the_document(
    api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, aiohttp_server: Any
) -> None:
    received: list[Any] = []
    signatures: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        signatures.append(request.headers["X-Nuki-Signature-SHA256"])
        return web.Response()

    receiver = web.Application()
    receiver.router.add_post("/hook", hook)
    server = await aiohttp_server(receiver)
    features = ["DEVICE_MASTERDATA"]
    good = await api.put(
        "/api/decentralWebhook",
        {"webhookUrl": f"http://127.0.0.1:{server.port}/hook", "webhookFeatures": features},
    )
    refused = await api.put(
        "/api/decentralWebhook",
        {"webhookUrl": "http://127.0.0.1:1/nobody", "webhookFeatures": features},
    )
    assert (good.status, refused.status) == (200, 200)
    assert (
        await api.post(f"/smartlock/{keypad_lock.smartlock_id}", {"name": "Renamed"})
    ).status == 204
    assert (await api.post("/_sim/webhooks/flush", {"timeoutSeconds": 10})).body["drained"]
    assert [event["name"] for event in received] == ["Renamed"]
    listed = await api.get("/api/decentralWebhook")
    assert {w["id"] for w in listed.body} == {good.body["id"], refused.body["id"]}
    key = nuki_sim.demo.token.api_key_id
    logs = await api.get(f"/api/key/{key}/webhook/logs")
    assert sorted(log["succeeded"] for log in logs.body) == [False, True]
    (sent,) = [log for log in logs.body if log["succeeded"]]
    # Nuki's WebhookLog: ``response`` is the message sent, its body the payload, its path the URL
    assert sent["response"]["body"] == received[0]
    assert sent["response"]["path"] == f"http://127.0.0.1:{server.port}/hook"
    assert sent["response"]["headers"]["X-Nuki-Signature-SHA256"] == signatures[0]
    assert {"webhookId", "request", "error"}.isdisjoint(sent)
    assert (await api.get("/_sim/webhooks")).status == 200
    assert (await api.get("/_sim/webhooks/deliveries", params={"limit": "5"})).status == 200
    assert (await api.post(f"/_sim/webhooks/{refused.body['id']}/reactivate")).status == 200
    assert (await api.post(f"/api/key/{key}/advanced/reactivate")).status == 204
    assert (await api.delete(f"/api/decentralWebhook/{refused.body['id']}")).status == 204
    bad = await api.put(
        "/api/decentralWebhook", {"webhookUrl": "http://example.com/x", "webhookFeatures": features}
    )
    assert bad.status == 400


def test_a_nuki_required_field_the_simulator_may_omit_is_refused_when_building() -> None:
    """The served ``required`` must be what the simulator always sends: a shape that lists a
    ``NotRequired`` key among Nuki's required ones cannot be written (the document would
    promise a field the simulator leaves out)."""
    components = Components(required={_Probe: ("always", "sometimes")})
    components.add(_Probe)
    with pytest.raises(TypeError, match="sometimes"):
        components.written()
    served = Components(required={_Probe: ()})
    served.add(_Probe)
    strict = Components(strict=True, required={_Probe: ()})
    strict.add(_Probe)
    assert served.written()["_Probe"].get("required", []) == []
    assert "additionalProperties" not in served.written()["_Probe"]
    assert strict.written()["_Probe"]["required"] == ["always"]
    assert strict.written()["_Probe"]["additionalProperties"] is False


class _Probe(TypedDict):
    always: int
    sometimes: NotRequired[int]
