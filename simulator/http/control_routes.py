"""``/_sim``: the control plane. Each route is one :class:`SimControl` call.

Kept apart from Nuki's routes (no handler is shared), switched off with
``nuki-sim serve --control off``, or guarded by its own token with ``--control-token``.
"""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web

from nuki_sim.simulator.domain import inputs
from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.errors import BadParameter, Unauthorized
from nuki_sim.simulator.http import respond
from nuki_sim.simulator.http.body import CONTROL_MAX_BYTES, read_json
from nuki_sim.simulator.http.errors import Handler
from nuki_sim.simulator.http.faults import FAULTS
from nuki_sim.simulator.http.journal import CONTROL_PREFIX, JOURNAL
from nuki_sim.simulator.http.keys import CONTROL, CONTROL_TOKEN, DISPATCHER
from nuki_sim.simulator.http.params import smartlock_id

routes = web.RouteTableDef()
LOCK = CONTROL_PREFIX + "/smartlocks/{smartlockId:\\d+}"


def control(request: web.Request) -> SimControl:
    return request.app[CONTROL]


def lock_id(request: web.Request) -> int:
    return smartlock_id(request.match_info["smartlockId"])


def ok(data: Any, status: int = 200) -> web.Response:
    return respond.json_response(data, status=status)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With a control token set, ``/_sim`` needs ``Authorization: Bearer <control token>``."""
    expected = request.app[CONTROL_TOKEN]
    if expected and request.path.startswith(CONTROL_PREFIX):
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            # aiohttp keeps undecodable header bytes as surrogates: encode them back, not 500
            given.strip().encode("utf-8", "surrogateescape"),
            expected.encode("utf-8", "surrogateescape"),
        ):
            raise Unauthorized(
                "The control plane needs its own token",
                hint="send Authorization: Bearer <the --control-token value>",
            )
    return await handler(request)


@routes.post(CONTROL_PREFIX + "/reset")
async def reset(request: web.Request) -> web.Response:
    request.app[JOURNAL].clear()
    request.app[FAULTS].clear()
    return ok(control(request).reset())


@routes.get(CONTROL_PREFIX + "/snapshot")
async def snapshot(request: web.Request) -> web.Response:
    return ok(control(request).snapshot())


@routes.post(CONTROL_PREFIX + "/restore")
async def restore(request: web.Request) -> web.Response:
    return ok(control(request).restore(await read_json(request, limit=CONTROL_MAX_BYTES)))


@routes.post(CONTROL_PREFIX + "/accounts")
async def create_account(request: web.Request) -> web.Response:
    return ok(control(request).create_account(await read_json(request, required=False)), 201)


@routes.post(CONTROL_PREFIX + "/accounts/{accountId:\\d+}/tokens")
async def create_token(request: web.Request) -> web.Response:
    account_id = int(request.match_info["accountId"])
    body = await read_json(request, required=False)
    return ok(control(request).create_token(account_id, body), 201)


@routes.post(CONTROL_PREFIX + "/smartlocks")
async def create_smartlock(request: web.Request) -> web.Response:
    return ok(control(request).create_smartlock(await read_json(request)), 201)


@routes.get(CONTROL_PREFIX + "/clock")
async def clock(request: web.Request) -> web.Response:
    return ok(control(request).clock())


@routes.post(CONTROL_PREFIX + "/clock/advance")
async def advance(request: web.Request) -> web.Response:
    return ok(control(request).advance(await read_json(request)))


@routes.post(CONTROL_PREFIX + "/clock/set")
async def set_clock(request: web.Request) -> web.Response:
    return ok(control(request).set_clock(await read_json(request)))


@routes.post(LOCK + "/connectivity")
async def connectivity(request: web.Request) -> web.Response:
    return ok(control(request).connectivity(lock_id(request), await read_json(request)))


@routes.post(LOCK + "/battery")
async def battery(request: web.Request) -> web.Response:
    return ok(control(request).battery(lock_id(request), await read_json(request)))


@routes.post(LOCK + "/jam")
async def jam(request: web.Request) -> web.Response:
    return ok(control(request).jam(lock_id(request), await read_json(request)))


@routes.post(LOCK + "/keypad")
async def keypad(request: web.Request) -> web.Response:
    return ok(control(request).keypad(lock_id(request), await read_json(request)))


@routes.post(LOCK + "/sync")
async def sync(request: web.Request) -> web.Response:
    return ok(control(request).sync(lock_id(request)))


@routes.get(LOCK + "/device")
async def device(request: web.Request) -> web.Response:
    return ok(control(request).device(lock_id(request)))


@routes.get(CONTROL_PREFIX + "/requests")
async def requests(request: web.Request) -> web.Response:
    return ok([e.json() for e in request.app[JOURNAL].select(request.query)])


@routes.delete(CONTROL_PREFIX + "/requests")
async def clear_requests(request: web.Request) -> web.Response:
    request.app[JOURNAL].clear()
    return web.Response(status=204)


@routes.get(CONTROL_PREFIX + "/faults")
async def list_faults(request: web.Request) -> web.Response:
    return ok([f.json() for f in request.app[FAULTS].rules])


@routes.post(CONTROL_PREFIX + "/faults")
async def add_fault(request: web.Request) -> web.Response:
    return ok(request.app[FAULTS].add(await read_json(request)).json(), 201)


@routes.delete(CONTROL_PREFIX + "/faults")
async def clear_faults(request: web.Request) -> web.Response:
    request.app[FAULTS].clear()
    return web.Response(status=204)


@routes.get(CONTROL_PREFIX + "/webhooks")
async def webhooks(request: web.Request) -> web.Response:
    return ok(control(request).webhooks())


@routes.get(CONTROL_PREFIX + "/webhooks/deliveries")
async def deliveries(request: web.Request) -> web.Response:
    return ok(control(request).deliveries(request.query))


@routes.post(CONTROL_PREFIX + "/webhooks/{webhookId:\\d+}/reactivate")
async def reactivate_webhook(request: web.Request) -> web.Response:
    return ok(control(request).reactivate_webhook(int(request.match_info["webhookId"])))


@routes.post(CONTROL_PREFIX + "/webhooks/flush")
async def flush_webhooks(request: web.Request) -> web.Response:
    """Wait (real time, bounded) until every delivery that is due now has been attempted."""
    body = await read_json(request, required=False)
    timeout = inputs.obj(body or {}).get("timeoutSeconds", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 60:
        raise BadParameter("timeoutSeconds is a number in (0, 60]")
    drained = await request.app[DISPATCHER].drain(float(timeout))
    return ok({"drained": drained, "webhooks": control(request).webhooks()})
