"""The service's routes: the trait API as JSON over HTTP, for any :class:`ServedAdapter`.

Every body is JSON as :mod:`nuki_sim.adapters.codec` writes it; every refusal raises, and
:mod:`nuki_sim.adapters.service.errors` answers it. The module list of routes is in
:mod:`nuki_sim.adapters.service`.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from aiohttp import web

from nuki_sim.adapters.clock import Clock
from nuki_sim.adapters.codec import action_json, device_json, event_json, instant_json
from nuki_sim.adapters.service.callbacks import CallbackHub, EventFeed
from nuki_sim.adapters.service.errors import BadRequest
from nuki_sim.adapters.service.urls import callback_url_allowed
from nuki_sim.adapters.traits import (
    ActionName,
    ActionStatus,
    TraitAdapter,
    TraitErrorCode,
    TraitName,
    UnknownAction,
)


class ServedAdapter(TraitAdapter, EventFeed, Protocol):
    """A :class:`TraitAdapter` the service can serve: the trait API, its event log, and what
    ``/health``, ``/reset``, ``/refresh`` and the timeout ticker need."""

    @property
    def clock(self) -> Clock: ...

    @property
    def rng(self) -> random.Random: ...  # action ids, shared so one seed gives one sequence

    @property
    def records(self) -> Mapping[str, object]: ...  # the devices it knows, by id

    @property
    def pending(self) -> Mapping[str, Sequence[object]]: ...  # pending actions, by device

    @property
    def webhook_id(self) -> int | None: ...  # None until subscribed to the cloud's webhooks

    async def reset(self) -> None: ...

    async def refresh(self) -> None: ...

    def check_timeouts(self) -> None: ...


@dataclass
class ServiceState:
    """What the routes share (kept in one mutable object: aiohttp freezes the app's keys)."""

    adapter: ServedAdapter
    hub: CallbackHub
    ready: bool = False
    refused: dict[str, dict[str, Any]] = field(default_factory=dict)  # unknown trait/action
    timeout_check_every: float | None = 30.0
    ticker: asyncio.Task[None] | None = None


STATE = web.AppKey("adapter_service", ServiceState)
routes = web.RouteTableDef()


def state(request: web.Request) -> ServiceState:
    return request.app[STATE]


async def read_object(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("the body is a JSON object")
    try:  # a lone surrogate escape ("\\ud800") decodes, but is not text anything can write
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("the body holds a lone surrogate escape (not Unicode text)") from None
    return body


def query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{name} is an integer, got {text!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} is from {low} to {high}, got {value}")
    return value


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    s = state(request)
    body = {
        "status": "ok" if s.ready else "starting",
        "devices": len(s.adapter.records),
        "webhookSubscribed": s.adapter.webhook_id is not None,
        "pendingActions": sum(len(p) for p in s.adapter.pending.values()),
        "lastSeq": s.hub.last_seq,
        "callbacks": len(s.hub.callbacks),
    }
    return web.json_response(body, status=200 if s.ready else 503)


@routes.get("/devices")
async def devices(request: web.Request) -> web.Response:
    found = await state(request).adapter.devices()
    return web.json_response([device_json(d) for d in found])


@routes.get("/devices/{deviceId}")
async def device(request: web.Request) -> web.Response:
    found = await state(request).adapter.device(request.match_info["deviceId"])
    return web.json_response(device_json(found))


@routes.post("/devices/{deviceId}/actions")
async def execute(request: web.Request) -> web.Response:
    s = state(request)
    device_id = request.match_info["deviceId"]
    await s.adapter.device(device_id)  # 404 before anything else
    body = await read_object(request)
    trait, action, parameters = body.get("trait"), body.get("action"), body.get("parameters", {})
    if not isinstance(trait, str) or not isinstance(action, str):
        raise BadRequest("trait and action are strings (e.g. 'Lock' and 'setLocked')")
    if not isinstance(parameters, dict):
        raise BadRequest("parameters is a JSON object")
    if not (_known(TraitName, trait) and _known(ActionName, action)):
        answer = refuse_unknown(s, device_id, trait, action, parameters)
    else:
        done = await s.adapter.execute(device_id, TraitName(trait), ActionName(action), parameters)
        answer = action_json(done)
    return web.json_response(answer, status=202 if answer["status"] == "PENDING" else 200)


def refuse_unknown(
    s: ServiceState, device_id: str, trait: str, action: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    """An action naming a trait or action the adapter has never heard of: REJECTED at once.

    It never reaches the adapter (its model only holds known names), so it leaves no event;
    ``GET /actions/{id}`` still answers it.
    """
    known_trait = _known(TraitName, trait)
    code = (
        TraitErrorCode.ACTION_NOT_IMPLEMENTED
        if known_trait
        else TraitErrorCode.TRAIT_NOT_IMPLEMENTED
    )
    what = f"{trait} has no action {action}" if known_trait else f"this device has no trait {trait}"
    now = instant_json(s.adapter.clock.now())
    action_id = f"act_{s.adapter.rng.getrandbits(64):016x}"
    answer = {
        "id": action_id,
        "deviceId": device_id,
        "trait": trait,
        "action": action,
        "parameters": parameters,
        "status": ActionStatus.REJECTED.value,
        "createdAt": now,
        "updatedAt": now,
        "error": {"code": code.value, "message": what, "rule": None},
        "result": {},
    }
    s.refused[action_id] = answer
    return answer


@routes.get("/actions/{actionId}")
async def get_action(request: web.Request) -> web.Response:
    s = state(request)
    action_id = request.match_info["actionId"]
    try:
        return web.json_response(action_json(await s.adapter.action(action_id)))
    except UnknownAction:
        if action_id in s.refused:
            return web.json_response(s.refused[action_id])
        raise


@routes.get("/events")
async def events(request: web.Request) -> web.Response:
    s = state(request)
    after = query_int(request, "after", 0, 0, 2**63)
    limit = query_int(request, "limit", 2**63, 1, 2**63)
    page = s.adapter.log[after : after + limit]
    return web.json_response([event_json(after + i + 1, e) for i, e in enumerate(page)])


@routes.post("/reset")
async def reset(request: web.Request) -> web.Response:
    """Forget all adapter state and start afresh from Nuki (for conformance runs)."""
    s = state(request)
    await s.adapter.reset()
    return web.json_response([device_json(d) for d in await s.adapter.devices()])


@routes.post("/refresh")
async def refresh(request: web.Request) -> web.Response:
    """Read every lock and its codes from Nuki again (after a missed webhook, say)."""
    s = state(request)
    await s.adapter.refresh()
    return web.json_response([device_json(d) for d in await s.adapter.devices()])


@routes.post("/callbacks")
async def add_callback(request: web.Request) -> web.Response:
    body = await read_object(request)
    url, after = body.get("url"), body.get("after")
    if not isinstance(url, str) or not callback_url_allowed(url):
        raise BadRequest(
            "url is an absolute https URL; plain http only to a loopback address"
            " (the simulator's webhook URL rule)"
        )
    if after is not None and (isinstance(after, bool) or not isinstance(after, int) or after < 0):
        raise BadRequest("after is a seq (0 or more): events after it are sent")
    callback, new = state(request).hub.register(url, after)
    return web.json_response(callback.json(), status=201 if new else 200)


@routes.get("/callbacks")
async def list_callbacks(request: web.Request) -> web.Response:
    return web.json_response(
        {"callbacks": [c.json() for c in state(request).hub.callbacks.values()]}
    )


@routes.delete("/callbacks")
async def delete_callbacks(request: web.Request) -> web.Response:
    state(request).hub.remove(request.query.get("url"))
    return web.Response(status=204)


def _known(names: type[StrEnum], text: str) -> bool:
    return text in {n.value for n in names}
