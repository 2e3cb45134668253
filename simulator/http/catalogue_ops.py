"""Nuki Web's opener intercom catalogue, companies and services: one entry each.

Two areas, as Nuki's Swagger secures them: the opener catalogue needs no token at all;
``GET /company`` takes any valid token and the service routes need the ``account`` scope.
The data is the sample in :mod:`nuki_sim.simulator.domain.catalogue`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from nuki_sim.simulator.domain import catalogue as cat
from nuki_sim.simulator.domain.api import Session
from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.shapes_catalogue import (
    Company,
    OpenerIntercomBrand,
    OpenerIntercomModel,
    Service,
)
from nuki_sim.simulator.http import nuki_ops
from nuki_sim.simulator.http.keys import WORLD
from nuki_sim.simulator.http.nuki_ops import E401
from nuki_sim.simulator.http.operations import Area, Call, Operation, PathParam
from nuki_sim.simulator.http.params import integer, query

OPENER_TAG = "Opener"
ACCOUNT_TAG = "Account"
SERVICE_TAG = "Services"
ACCOUNT = ("account",)
ANY_ID = "[^/]+"  # read whole, so a malformed id is a 400 rather than an unrouted 404
SERVICE_ERRORS = {
    400: "serviceId is not a valid service id.",
    401: E401,
    404: "No such service: `Service not found`.",
}


def brand_json(item: cat.Brand) -> OpenerIntercomBrand:
    return {"brandId": item.brand_id, "brand": item.name}


def intercom_json(item: cat.Intercom) -> OpenerIntercomModel:
    gnd_bus, bus_audio, audio_out, bell_plus, bell_minus, open_door, gnd_analogue = item.wiring
    return {
        "intercomId": item.intercom_id,
        "brandId": item.brand_id,
        "type": item.type,
        "model": item.model,
        "verified": item.verified,
        "conGndBus": gnd_bus,
        "conBusAudio": bus_audio,
        "conAudioout": audio_out,
        "conDoorbellPlus": bell_plus,
        "conDoorbellMinus": bell_minus,
        "conOpendoor": open_door,
        "conGndAnalogue": gnd_analogue,
        "busModeSwitch": item.bus_mode_switch,
        "busModeSwitchShortCircuitDuration": item.short_circuit_ms,
        "creationDate": isoformat(item.created),
        "updateDate": isoformat(item.updated),
    }


def service_json(item: cat.Service, linked: set[str]) -> Service:
    on = item.service_id in linked
    return {
        "serviceId": item.service_id,
        "name": item.name,
        "enabled": on,
        "started": on,
        "stopped": not on,
    }


def list_intercoms(request: web.Request, call: Call) -> list[OpenerIntercomModel]:
    q = call.query
    brand_text = q.get("brandId")
    brand_id = None if brand_text is None else cat.parse_int32(brand_text, "brandId")
    found = cat.intercoms(
        brand_id,
        ignore_verified=cat.parse_flag(q.get("ignoreVerified"), "ignoreVerified"),
        recently_changed=cat.parse_flag(q.get("recentlyChanged"), "recentlyChanged"),
        now=request.app[WORLD].now(),
    )
    return [intercom_json(i) for i in found]


def list_services(api: Session, call: Call) -> list[Service]:
    linked = cat.linked(api.world.service_links, api.token.account_id)
    return [service_json(s, linked) for s in cat.services(call.query.get("serviceIds"))]


def get_service(api: Session, call: Call) -> Service:
    sid = call.ids["serviceId"]
    return service_json(cat.service(sid), cat.linked(api.world.service_links, api.token.account_id))


def _flag(name: str, description: str) -> dict[str, Any]:
    return query(name, {"type": "boolean"}, description)


OPENER_OPERATIONS = [
    Operation(
        "GET", "/opener/brand", "listOpenerBrands", OPENER_TAG, "List intercom brands",
        "The intercom brands of the catalogue. Needs no token. The simulator serves a small "
        "sample catalogue.",
        lambda _, c: [brand_json(b) for b in cat.BRANDS],
        reply=list[OpenerIntercomBrand], reply_text="The brands.", effect="static",
    ),
    Operation(
        "GET", "/opener/brand/{brandId}", "getOpenerBrand", OPENER_TAG, "Get an intercom brand",
        "One intercom brand. Needs no token.",
        lambda _, c: brand_json(cat.brand(c.ids["brandId"])),
        reply=OpenerIntercomBrand, reply_text="The brand.", effect="static",
        errors={400: "brandId is not a valid int32.", 404: "No such brand: `Brand not found`."},
    ),
    Operation(
        "GET", "/opener/intercom", "listOpenerIntercoms", OPENER_TAG, "List intercom models",
        "Intercom models of a brand. Needs no token. `brandId` is required unless "
        "`recentlyChanged` is true (models updated in the last 90 simulated days); models not "
        "compatible (verified 3) are left out unless `ignoreVerified` is true.",
        list_intercoms,
        reply=list[OpenerIntercomModel], reply_text="The models.", effect="static",
        query=[
            query("brandId", integer("A brand ID.", minimum=0),
                  "Only models of this brand; required unless recentlyChanged is true."),
            _flag("ignoreVerified", "If true, return models whatever their verified value."),
            _flag("recentlyChanged", "If true, return the models updated recently."),
        ],
        errors={400: "brandId is missing or not a valid int32, or a flag is not true/false."},
    ),
    Operation(
        "GET", "/opener/intercom/{intercomId}", "getOpenerIntercom", OPENER_TAG,
        "Get an intercom model", "One intercom model. Needs no token.",
        lambda _, c: intercom_json(cat.intercom(c.ids["intercomId"])),
        reply=OpenerIntercomModel, reply_text="The model.", effect="static",
        errors={
            400: "intercomId is not a valid int32.", 404: "No such model: `Intercom not found`.",
        },
    ),
]  # fmt: skip

ACCOUNT_OPERATIONS = [
    Operation(
        "GET", "/company", "listCompanies", ACCOUNT_TAG, "List companies",
        "The companies of the account; any valid token, no scope needed. The simulator "
        "answers a fixed sample.",
        lambda api, c: [{"name": n, "email": e} for n, e in cat.COMPANIES],
        reply=list[Company], reply_text="The companies.", errors={401: E401}, effect="static",
    ),
    Operation(
        "GET", "/service", "listServices", SERVICE_TAG, "List services",
        "The services an account can link (a fixed sample), each with whether the account "
        "has linked it (`enabled`).",
        list_services, scopes=ACCOUNT, reply=list[Service], reply_text="The services.",
        query=[query("serviceIds", {"type": "string"},
                     "Only these services, comma-separated (e.g. airbnb,guesty,smoobu).")],
        errors={401: E401},
    ),
    Operation(
        "GET", "/service/{serviceId}", "getService", SERVICE_TAG, "Get a service",
        "One service, with whether the account has linked it.",
        get_service, scopes=ACCOUNT, reply=Service, reply_text="The service.",
        errors=SERVICE_ERRORS,
    ),
    Operation(
        "POST", "/service/{serviceId}/link", "linkService", SERVICE_TAG, "Link a service",
        "Link the service to the account (linking again changes nothing); answers a connect "
        "URL the simulator makes up.",
        lambda api, c: cat.link(api.world.service_links, api.token.account_id, c.ids["serviceId"]),
        scopes=ACCOUNT, reply=str, reply_text="Ok: the service's connect URL.",
        errors=SERVICE_ERRORS,
    ),
    Operation(
        "POST", "/service/{serviceId}/unlink", "unlinkService", SERVICE_TAG, "Unlink a service",
        "Unlink the service from the account (204, no body; unlinking again changes nothing).",
        lambda api, c: cat.unlink(
            api.world.service_links, api.token.account_id, c.ids["serviceId"]
        ),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.", errors=SERVICE_ERRORS,
    ),
    Operation(
        "POST", "/service/{serviceId}/sync", "syncService", SERVICE_TAG, "Sync a service",
        "Sync a linked service (204, no body); a service that is not linked is a 400.",
        lambda api, c: cat.sync(api.world.service_links, api.token.account_id, c.ids["serviceId"]),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.",
        errors={**SERVICE_ERRORS, 400: SERVICE_ERRORS[400] + " Or the service is not linked."},
        effect="accepted",
    ),
]  # fmt: skip

OPENER = Area(
    operations=OPENER_OPERATIONS,
    params={
        "brandId": PathParam(ANY_ID, lambda text: cat.parse_int32(text, "brandId")),
        "intercomId": PathParam(ANY_ID, lambda text: cat.parse_int32(text, "intercomId")),
    },
    caller=lambda request: request,
    allow=lambda caller, scopes: None,
    security=lambda op: [],
)
ACCOUNT_AREA = Area(
    operations=ACCOUNT_OPERATIONS,
    params={"serviceId": PathParam(ANY_ID, cat.service_id)},
    caller=nuki_ops.session,
    allow=nuki_ops.allow,
    security=lambda op: [{"bearerAuth": list(op.scopes)}],
    catch_up=True,
)
