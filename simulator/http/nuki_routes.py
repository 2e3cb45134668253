"""Nuki Web's REST routes: HTTP in, one domain call, JSON (or 204) out.

Verbs are Nuki's: PUT creates, POST updates, DELETE deletes. Path ids are declared as digits
so that ``/smartlock/auth`` and ``/smartlock/log`` never match ``/smartlock/{smartlockId}``
and a wrong verb is a 405, never a silent fall-through.
"""

from __future__ import annotations

from aiohttp import web

from nuki_sim.simulator.domain import inputs, wire
from nuki_sim.simulator.domain.api import CloudAuth, Session, open_session
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http import respond
from nuki_sim.simulator.http.body import read_json
from nuki_sim.simulator.http.keys import SMARTLOCK_BODIES, WORLD, BodyCache

routes = web.RouteTableDef()
LOCK = "/smartlock/{smartlockId:\\d+}"
AUTH_ID = "{authId:[^/]+}"


def session(request: web.Request) -> Session:
    world: World = request.app[WORLD]
    return open_session(world, request.headers.get("Authorization"))


def lock_id(request: web.Request) -> int:
    return inputs.smartlock_id(request.match_info["smartlockId"])


def no_content() -> web.Response:
    return web.Response(status=204)


def auths_json(items: list[CloudAuth]) -> list[dict[str, object]]:
    return [wire.smartlock_auth(i.auth, operation_id=i.operation_id, error=i.error) for i in items]


# --- account and locks ------------------------------------------------------------------


@routes.get("/account")
async def get_account(request: web.Request) -> web.Response:
    return respond.json_response(wire.account(session(request).account()))


@routes.get("/smartlock")
async def list_smartlocks(request: web.Request) -> web.Response:
    locks = session(request).smartlocks(request.query)
    return respond.json_response([wire.smartlock(lk) for lk in locks])


@routes.get(LOCK)
async def get_smartlock(request: web.Request) -> web.Response:
    lock = session(request).smartlock(lock_id(request))
    body = _encoded_smartlock(request.app[SMARTLOCK_BODIES], lock)
    return web.Response(body=body, content_type="application/json", charset="utf-8")


def _encoded_smartlock(cache: BodyCache, lock: Lock) -> bytes:
    """The encoded Smartlock, reused while nothing it shows has changed: the hottest read of a
    polling client, answered without rebuilding 60 keys each time (one cache per app)."""
    key = (
        lock.account_id, lock.name, lock.favorite, lock.update_date, lock.creation_date,
        lock.device.keypad_paired, lock.device.timezone, lock.device.online, lock.cloud.status,
        lock.auth_id, lock.type, lock.product_variant, lock.firmware_version,
        lock.hardware_version, lock.latitude, lock.longitude,
    )  # fmt: skip
    cached = cache.get(lock.smartlock_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    body = respond.dumps(wire.smartlock(lock)).encode("utf-8")
    cache[lock.smartlock_id] = (key, body)
    return body


@routes.post(LOCK)
async def update_smartlock(request: web.Request) -> web.Response:
    api = session(request)
    smartlock_id = lock_id(request)
    api.require("smartlock")
    api.update_smartlock(smartlock_id, await read_json(request))
    return no_content()


@routes.delete(LOCK)
async def delete_smartlock(request: web.Request) -> web.Response:
    session(request).delete_smartlock(lock_id(request))
    return no_content()


@routes.post(LOCK + "/action")
async def action(request: web.Request) -> web.Response:
    api = session(request)
    smartlock_id = lock_id(request)
    api.require("smartlock.action")
    verb, option = inputs.action(await read_json(request))
    api.action(smartlock_id, verb, option)
    return no_content()


@routes.post(LOCK + "/action/lock")
async def action_lock(request: web.Request) -> web.Response:
    session(request).action(lock_id(request), 2)
    return no_content()


@routes.post(LOCK + "/action/unlock")
async def action_unlock(request: web.Request) -> web.Response:
    session(request).action(lock_id(request), 1)
    return no_content()


@routes.post(LOCK + "/sync")
async def sync(request: web.Request) -> web.Response:
    session(request).sync(lock_id(request))
    return no_content()


# --- authorizations of one lock -----------------------------------------------------------


@routes.get(LOCK + "/auth")
async def list_lock_auths(request: web.Request) -> web.Response:
    return respond.json_response(
        auths_json(session(request).auths(lock_id(request), request.query))
    )


@routes.put(LOCK + "/auth")
async def create_lock_auth(request: web.Request) -> web.Response:
    api = session(request)
    smartlock_id = lock_id(request)
    api.require("smartlock.auth")
    api.create_auth([smartlock_id], await read_json(request))
    return no_content()


@routes.get(LOCK + "/auth/" + AUTH_ID)
async def get_lock_auth(request: web.Request) -> web.Response:
    item = session(request).auth(lock_id(request), request.match_info["authId"])
    return respond.json_response(auths_json([item])[0])


@routes.post(LOCK + "/auth/" + AUTH_ID)
async def update_lock_auth(request: web.Request) -> web.Response:
    api = session(request)
    smartlock_id = lock_id(request)
    api.require("smartlock.auth")
    api.update_auth(smartlock_id, request.match_info["authId"], await read_json(request))
    return no_content()


@routes.delete(LOCK + "/auth/" + AUTH_ID)
async def delete_lock_auth(request: web.Request) -> web.Response:
    session(request).delete_auths([(lock_id(request), request.match_info["authId"])])
    return no_content()


# --- authorizations across locks (bulk) ---------------------------------------------------


@routes.get("/smartlock/auth")
async def list_all_auths(request: web.Request) -> web.Response:
    return respond.json_response(auths_json(session(request).all_auths(request.query)))


@routes.get("/smartlock/auth/paged")
async def list_auths_paged(request: web.Request) -> web.Response:
    page = session(request).auths_paged(request.query)
    pages = -(-page.total // page.size) if page.total else 0
    return respond.json_response(
        {
            "results": auths_json(page.results),
            "pagination": {
                "totalItems": page.total,
                "totalPages": pages,
                "currentPage": page.page,
                "nextPage": page.page + 1 if page.page + 1 < pages else None,
                "prevPage": page.page - 1 if page.page > 0 else None,
                "pageSize": page.size,
            },
        }
    )


@routes.put("/smartlock/auth")
async def bulk_create_auths(request: web.Request) -> web.Response:
    api = session(request)
    api.require("smartlock.auth")
    body = await read_json(request)
    api.create_auth(inputs.smartlock_ids(body), body)
    return no_content()


@routes.post("/smartlock/auth")
async def bulk_update_auths(request: web.Request) -> web.Response:
    api = session(request)
    api.require("smartlock.auth")
    items = inputs.bulk_updates(await read_json(request))
    api.update_auths([(None, str(item["id"]), item) for item in items])
    return no_content()


@routes.delete("/smartlock/auth")
async def bulk_delete_auths(request: web.Request) -> web.Response:
    api = session(request)
    api.require("smartlock.auth")
    ids = inputs.auth_id_list(await read_json(request))
    api.delete_auths([(None, auth_id) for auth_id in ids])
    return no_content()


# --- activity log ---------------------------------------------------------------------------


@routes.get(LOCK + "/log")
async def lock_log(request: web.Request) -> web.Response:
    entries = session(request).logs(lock_id(request), request.query)
    return respond.json_response([wire.smartlock_log(e) for e in entries])


@routes.get("/smartlock/log")
async def all_logs(request: web.Request) -> web.Response:
    entries = session(request).logs(None, request.query)
    return respond.json_response([wire.smartlock_log(e) for e in entries])
