"""What-if patches for the benchmark servers: measure a proposed fix before anyone applies it.

Each experiment monkeypatches the simulator *inside the benchmark's own server process only*
(``python benchmarks/servers.py sim --experiment NAME``); nothing under ``simulator/`` is
edited. ``python benchmarks/throughput.py --experiments`` measures every one of them against
the unpatched simulator and the bare handler, so the docs can say what each fix is worth.

The patches keep the wire format byte for byte. A fix that lands in the simulator leaves this
file (its copy of the domain code would only drift): so far the cached ``clock.isoformat``
(``ea1002c``), the encoded ``GET /smartlock/{id}`` body (``4290548``) and the journal that
formats its instants when read (``669e13f``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any


def wire_auth_cache() -> None:
    """``wire.smartlock_auth`` builds an Auth's dict once per (immutable) Auth value and copies
    it per request, adding only ``operationId``/``error``."""
    from nuki_sim.simulator.domain import wire

    original = wire.smartlock_auth

    def smartlock_auth(auth: Any, *, operation_id: str | None = None, error: str | None = None):
        base = auth.__dict__.get("_wire")
        if base is None:
            base = original(auth)
            object.__setattr__(auth, "_wire", base)  # frozen dataclass: bypass, value is immutable
        if operation_id is None and error is None:
            return base
        body = dict(base)
        if operation_id is not None:
            body["operationId"] = operation_id
        if error is not None:
            body["error"] = error
        return body

    wire.smartlock_auth = smartlock_auth  # type: ignore[assignment]


def wire_lock_consts() -> None:
    """``wire.smartlock`` shares the constant ``advancedConfig`` dict and the constant part of
    ``config`` (built once), and builds ``state`` once per (immutable) ``LockStatus`` value."""
    from nuki_sim.simulator.domain import wire

    original = wire.smartlock
    state = wire.state
    states: dict[int, tuple[object, dict[str, Any]]] = {}

    def cached_state(status: Any) -> dict[str, Any]:
        hit = states.get(id(status))
        if hit is not None and hit[0] is status:
            return hit[1]
        body = state(status)
        states[id(status)] = (status, body)
        return body

    template: dict[str, Any] = {}

    def smartlock(lock: Any) -> dict[str, Any]:
        if not template:
            full = original(lock)
            template["advanced"] = full["advancedConfig"]
            template["config"] = dict(full["config"])  # key order kept: values overwritten
        config = dict(template["config"])
        config["name"] = lock.name
        config["latitude"] = lock.latitude
        config["longitude"] = lock.longitude
        config["keypadPaired"] = lock.device.keypad_paired
        config["timezoneId"] = wire.timezone_id(lock.device.timezone)
        config["deviceType"] = lock.type
        config["productVariant"] = lock.product_variant
        return {
            "smartlockId": lock.smartlock_id,
            "accountId": lock.account_id,
            "type": lock.type,
            "authId": lock.auth_id,
            "name": lock.name,
            "favorite": lock.favorite,
            "config": config,
            "advancedConfig": template["advanced"],
            "state": cached_state(lock.cloud.status),
            "firmwareVersion": lock.firmware_version,
            "hardwareVersion": lock.hardware_version,
            "serverState": wire.server_state(lock),
            "adminPinState": 0,
            "virtualDevice": False,
            "creationDate": wire.isoformat(lock.creation_date),
            "updateDate": wire.isoformat(lock.update_date),
        }

    wire.smartlock = smartlock  # type: ignore[assignment]


def one_middleware() -> None:
    """The four middlewares (journal, errors, control guard, faults) as one: aiohttp pays a
    wrapper and a coroutine per middleware per request."""
    import time

    from aiohttp import web

    from nuki_sim.simulator.domain.errors import SimError
    from nuki_sim.simulator.http import app as app_module
    from nuki_sim.simulator.http import control_ops, errors, faults, journal
    from nuki_sim.simulator.http.faults import FAULTS
    from nuki_sim.simulator.http.journal import JOURNAL
    from nuki_sim.simulator.http.keys import CONTROL_TOKEN, WORLD

    @web.middleware
    async def combined(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        started = time.perf_counter()
        app = request.app
        body = b""
        if (
            request.can_read_body
            and request.content_length
            and request.content_length <= journal.BODY_PREVIEW
        ):
            body = await request.read()
        path = request.path
        control = path.startswith(journal.CONTROL_PREFIX)
        try:
            if control and app[CONTROL_TOKEN]:
                response = await control_ops.guard(request, handler)
            elif not control and app[FAULTS].rules:
                response = await faults.inject(request, handler)
            else:
                response = await handler(request)
        except SimError as error:
            response = errors.error_response(error)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = errors._from_http(exc)
        app[JOURNAL].add(
            at=app[WORLD].clock.now(),
            method=request.method,
            path=path,
            query=request.query_string,
            status=response.status,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            body=body.decode("utf-8", "replace") if body else "",
        )
        return response

    original = app_module.create_app

    def create_app(*args: Any, **kwargs: Any) -> web.Application:
        application = original(*args, **kwargs)
        merged = {journal.record, errors.nuki_errors, control_ops.guard, faults.inject}
        kept = [m for m in application._middlewares if m not in merged]  # e.g. the dashboard's
        application._middlewares = application._middlewares.__class__([*kept, combined])  # type: ignore[attr-defined]
        return application

    app_module.create_app = create_app  # type: ignore[assignment]
    from nuki_sim.simulator.http import server

    server.create_app = create_app  # type: ignore[attr-defined]


def _replace_route(method: str, path: str, handler: Callable[..., Any]) -> None:
    from aiohttp import web

    from nuki_sim.simulator.http import nuki_routes

    items = nuki_routes.routes._items  # type: ignore[attr-defined]
    for index, route in enumerate(items):
        if isinstance(route, web.RouteDef) and route.method == method and route.path == path:
            items[index] = web.RouteDef(method, path, handler, route.kwargs)
            return
    raise LookupError(f"no route {method} {path}")


def auth_json_cache() -> None:
    """``GET /smartlock/{id}/auth`` joins per-authorization JSON fragments encoded once per
    (immutable) ``Auth`` value; only entries with a pending operation or an error are
    encoded per request."""
    from aiohttp import web

    from nuki_sim.simulator.domain import wire
    from nuki_sim.simulator.http import nuki_routes, respond

    async def list_lock_auths(request: web.Request) -> web.Response:
        items = nuki_routes.session(request).auths(nuki_routes.lock_id(request), request.query)
        parts = []
        for item in items:
            auth = item.auth
            if item.operation_id is None and item.error is None:
                fragment = auth.__dict__.get("_json")
                if fragment is None:
                    fragment = respond.dumps(wire.smartlock_auth(auth))
                    object.__setattr__(auth, "_json", fragment)
            else:
                fragment = respond.dumps(
                    wire.smartlock_auth(auth, operation_id=item.operation_id, error=item.error)
                )
            parts.append(fragment)
        body = ("[" + ",".join(parts) + "]").encode()
        return web.Response(body=body, content_type="application/json", charset="utf-8")

    _replace_route("GET", nuki_routes.LOCK + "/auth", list_lock_auths)


def put_path() -> None:
    """``PUT /smartlock/{id}/auth`` without repeated work: the simulated "now" read once per
    create (``World.new_id`` reads the clock again for each of its two ids), the schedule
    checks skipped when the body has none of the five schedule fields, and the JSON body
    decoded as UTF-8 text before ``json.loads`` (which otherwise sniffs the encoding of
    bytes)."""
    import json

    from aiohttp import web

    from nuki_sim.simulator.domain import api, ids, inputs
    from nuki_sim.simulator.domain.errors import BadParameter
    from nuki_sim.simulator.domain.model import ALWAYS, Auth, CreateAuth
    from nuki_sim.simulator.http import body as body_module
    from nuki_sim.simulator.http import nuki_routes

    keys = frozenset(
        (
            "allowedFromDate",
            "allowedUntilDate",
            "allowedWeekDays",
            "allowedFromTime",
            "allowedUntilTime",
        )
    )
    full_schedule = inputs.schedule

    def schedule(body: Any) -> Any:
        return full_schedule(body) if not keys.isdisjoint(body) else ALWAYS

    inputs.schedule = schedule  # type: ignore[assignment]

    def _queue_create(self: Any, lock: Any, request: Any) -> None:
        world = self.world
        now = world.now()
        auth = Auth(
            id=ids.object_id(world.rng, now),
            smartlock_id=lock.smartlock_id,
            auth_id=0,
            type=request.type,
            name=request.name,
            enabled=True,
            remote_allowed=request.remote_allowed,
            creation_date=now,
            update_date=now,
            code=request.code,
            schedule=request.schedule,
            account_user_id=request.account_user_id,
            smart_actions_enabled=request.smart_actions_enabled,
        )
        world.enqueue(lock, CreateAuth(ids.object_id(world.rng, now), now, auth))

    api.LockSession._queue_create = _queue_create  # type: ignore[method-assign]

    full_read = body_module.read_json

    async def read_json(
        request: web.Request, *, required: bool = True, limit: int | None = None
    ) -> object:
        raw = await request.read() if limit is None and request.content_length else None
        if (
            raw is None
            or len(raw) > request.app[body_module.WORLD].config.max_body_bytes
            or not raw.strip()
        ):
            return await full_read(request, required=required, limit=limit)
        try:
            return json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise BadParameter(f"The request body is not valid JSON: {exc}") from None

    body_module.read_json = read_json  # type: ignore[assignment]
    nuki_routes.read_json = read_json  # type: ignore[attr-defined]


def route_order() -> None:
    """The ``/smartlock/{id}/auth`` routes registered first: aiohttp resolves the dynamic
    resources under ``/smartlock`` one regex at a time in registration order, and today
    ``.../auth`` comes after the lock, action and sync resources (6 failed matches first)."""
    from aiohttp import web

    from nuki_sim.simulator.http import nuki_routes

    items = nuki_routes.routes._items  # type: ignore[attr-defined]
    first = [
        r for r in items if isinstance(r, web.RouteDef) and r.path == nuki_routes.LOCK + "/auth"
    ]
    items[:] = first + [r for r in items if r not in first]


def delivery_index() -> None:
    """A queued create reaching the device (``World._run_push`` → ``deliver`` →
    ``device.apply_auth``) without O(n) scans: the device's code → auth id index is kept
    instead of rebuilt from every authorization on each create, and ``deliver(until=...)``
    knows from a set whether the operation is still queued instead of scanning the queue.

    (What-if approximation: the index here is rebuilt only when the device's slot counter or
    size changed, which is exact for the creates this benchmark sends; the real fix updates it
    in ``apply_auth``, ``seed_auth`` and snapshot restore.)"""
    from nuki_sim.simulator.domain import device as dev
    from nuki_sim.simulator.domain import world as world_module

    full = dev.keypad_codes
    indexes: dict[int, tuple[object, int, int, dict[int, str]]] = {}

    def keypad_codes(device: Any) -> dict[int, str]:
        hit = indexes.get(id(device))
        key = (device.auths, device.next_slot, len(device.auths))
        if hit is not None and hit[0] is key[0] and hit[1:3] == key[1:]:
            return hit[3]
        codes = full(device)
        indexes[id(device)] = (*key, codes)
        return codes

    dev.keypad_codes = keypad_codes  # type: ignore[assignment]

    World = world_module.World
    original_enqueue = World.enqueue
    queued: dict[int, set[str]] = {}

    def enqueue(self: Any, lock: Any, command: Any) -> None:
        queued.setdefault(lock.smartlock_id, set()).add(command.operation_id)
        original_enqueue(self, lock, command)

    def deliver(self: Any, lock: Any, *, until: str | None = None) -> list[Any]:
        ids = queued.setdefault(lock.smartlock_id, set())
        outcomes: list[Any] = []
        if until is not None and until not in ids:
            return outcomes
        queue = lock.cloud.queue
        while queue and lock.device.online:
            command = queue.popleft()
            ids.discard(command.operation_id)
            outcomes.append(self._apply(lock, command))
            if command.operation_id == until:
                break
        return outcomes

    World.enqueue = enqueue  # type: ignore[method-assign]
    World.deliver = deliver  # type: ignore[method-assign]


def gc_freeze() -> None:
    """Marker: the server calls ``gc.freeze()`` once the world is built, so the collector's
    full passes stop walking the (long-lived) world on every collection of the old generation."""


EXPERIMENTS: dict[str, Callable[[], None]] = {
    "wire-auth-cache": wire_auth_cache,
    "wire-lock-consts": wire_lock_consts,
    "one-middleware": one_middleware,
    "gc-freeze": gc_freeze,
    "auth-json-cache": auth_json_cache,
    "put-path": put_path,
    "route-order": route_order,
    "delivery-index": delivery_index,
}


ALL = "one-middleware+auth-json-cache+put-path+route-order+delivery-index"
# What run_all prices: each proposed fix alone, then all of them together.
VARIANTS = [
    "one-middleware",
    "auth-json-cache",
    "put-path",
    "route-order",
    "delivery-index",
    ALL,
]


def apply(names: list[str]) -> None:
    for name in names:
        for part in name.split("+"):
            EXPERIMENTS[part]()


def after_build(names: list[str]) -> None:
    if any("gc-freeze" in name.split("+") for name in names):
        gc.collect()
        gc.freeze()


# Where each what-if would go in the simulator, and what it changes (for docs/benchmarks.md).
WHERE: dict[str, str] = {
    "one-middleware": (
        "`simulator/http/app.py` `create_app`: merge `record`, `nuki_errors`, `control_ops.guard` "
        "and `faults.inject` into one middleware (and fold in `dashboard.routes.serve`'s prefix test). "
        "aiohttp pays a `functools.partial` call and a coroutine per middleware per request, plus its "
        "own `_fix_request_current_app`; `guard` and `inject` only need a prefix test and an "
        "`if rules:` on the hot path."
    ),
    "auth-json-cache": (
        "`simulator/http/nuki_routes.py` `list_lock_auths`/`auths_json` (with `wire.smartlock_auth`): "
        "encode each `Auth` (a frozen value) once and join the fragments; only entries with an "
        "`operationId` or `error` are encoded per request."
    ),
    "put-path": (
        "`simulator/domain/api.py` `LockSession._queue_create`: read `world.now()` once and pass it "
        "to the ids (`World.new_id` reads the clock again for each id: 3 clock reads and "
        "`truncate_ms` per create); `simulator/domain/inputs.py` `schedule`: return `ALWAYS` when the "
        "body has none of the five schedule keys; `simulator/http/body.py` `read_json`: "
        "`json.loads(raw.decode('utf-8'))` (on bytes, `json.loads` first sniffs the encoding)."
    ),
    "route-order": (
        "`simulator/http/nuki_routes.py`: declare the `LOCK + '/auth'` routes before the lock, "
        "action and sync routes. aiohttp indexes dynamic resources by their static prefix "
        "(`/smartlock`) and tries them one regex at a time in registration order; "
        "`/smartlock/{id}/auth` is tried 6th today."
    ),
    "delivery-index": (
        "`simulator/domain/device.py` `keypad_codes` (called by `apply_auth` for every create "
        "that reaches the device) rebuilds a dict of every authorization on the lock: keep a "
        "code → auth id index on `Device`, updated in `apply_auth`/`World.seed_auth`/restore. "
        "`simulator/domain/world.py` `World.deliver(until=...)` scans the whole queue "
        "(`all(c.operation_id != until ...)`) for every push whose command an earlier push "
        "already delivered: keep the queued operation ids in a set on `CloudCopy`. Both are "
        "O(codes or queue per lock) per PUT, paid 3 s later by the heartbeat."
    ),
    "gc-freeze": (
        "`simulator/http/server.py` `start_simulator`: `gc.collect(); gc.freeze()` once the world "
        "is built (full collections stop walking the long-lived world)."
    ),
}
