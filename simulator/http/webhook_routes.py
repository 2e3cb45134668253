"""Nuki's decentral webhook routes and the webhook delivery log."""

from __future__ import annotations

from aiohttp import web

from nuki_sim.simulator.domain import inputs, wire
from nuki_sim.simulator.http import respond
from nuki_sim.simulator.http.body import read_json
from nuki_sim.simulator.http.keys import WORLD
from nuki_sim.simulator.http.nuki_routes import session

routes = web.RouteTableDef()


def note_own_port(request: web.Request) -> None:
    """Teach the world the port this request came in on, so no webhook is sent back to it.

    ``start_simulator`` records its port at bind time; this also covers an app served some
    other way (aiohttp's test server, an embedding application).
    """
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2 and isinstance(sockname[1], int):
        request.app[WORLD].own_ports.add(sockname[1])


@routes.put("/api/decentralWebhook")
async def subscribe(request: web.Request) -> web.Response:
    api = session(request)
    api.require("webhook.decentral")
    note_own_port(request)
    sub = api.subscribe(await read_json(request))
    return respond.json_response(wire.decentral_webhook(sub))


@routes.get("/api/decentralWebhook")
async def subscriptions(request: web.Request) -> web.Response:
    subs = session(request).subscriptions()
    return respond.json_response([wire.decentral_webhook(s) for s in subs])


@routes.delete("/api/decentralWebhook/{webhookId:\\d+}")
async def unsubscribe(request: web.Request) -> web.Response:
    api = session(request)
    api.unsubscribe(inputs.path_int(request.match_info["webhookId"], "id"))
    return web.Response(status=204)


@routes.get("/api/key/{apiKeyId:\\d+}/webhook/logs")
async def webhook_logs(request: web.Request) -> web.Response:
    api = session(request)
    key = inputs.path_int(request.match_info["apiKeyId"], "apiKeyId")
    return respond.json_response(
        [wire.webhook_log(a) for a in api.webhook_logs(key, request.query)]
    )


@routes.post("/api/key/{apiKeyId:\\d+}/advanced/reactivate")
async def reactivate(request: web.Request) -> web.Response:
    api = session(request)
    api.reactivate(inputs.path_int(request.match_info["apiKeyId"], "apiKeyId"))
    return web.Response(status=204)
