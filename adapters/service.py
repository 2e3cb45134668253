"""The trait adapter as a service: JSON over HTTP, so tools in any language can use it.

Routes (every body is JSON; every error is ``{"error": {"code", "message"}}`` except the
webhook receiver's 401, which is :mod:`nuki_sim.adapters.nuki.receiver`'s own):

* ``GET /health`` – 200 once the adapter has loaded its locks and subscribed, 503 before;
* ``GET /devices`` (a list), ``GET /devices/{deviceId}`` – as :func:`~nuki_sim.adapters.codec.device_json`;
* ``POST /reset`` – forget all adapter state and start afresh (the conformance kit calls it
  before each scenario, after resetting its simulator);
* ``POST /refresh`` – read every lock and its codes from Nuki again; answers the device list
  (502 when Nuki Web refuses or does not answer);
* ``POST /devices/{deviceId}/actions`` ``{trait, action, parameters}`` – 202 with the PENDING
  action, or 200 with an action that already ended (REJECTED, FAILED);
* ``GET /actions/{actionId}`` – the action as it is now;
* ``GET /events?after=&limit=`` – a list of the events after seq ``after``, in order, each
  with its ``seq`` (1 for the first event the adapter ever emitted);
* ``POST /callbacks {url[, after]}``, ``GET /callbacks``, ``DELETE /callbacks[?url=]`` – push
  every event, in order, to a URL, from a background task with bounded retries;
* ``POST /nuki/webhook`` – Nuki's signed webhooks (see :mod:`nuki_sim.adapters.nuki.receiver`).

:func:`start_adapter_service` wires a Nuki Web client, the adapter and this app together on
a real socket, and subscribes to Nuki's webhooks at ``<public URL>/nuki/webhook``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from nuki_sim.adapters.clock import Clock
from nuki_sim.adapters.codec import action_json, device_json, event_json, instant_json
from nuki_sim.adapters.nuki.adapter import NukiTraitAdapter, UnknownAction, UnknownDevice
from nuki_sim.adapters.nuki.client import NukiError, NukiUnavailable, NukiWebClient, RetryPolicy
from nuki_sim.adapters.nuki.receiver import MAX_WEBHOOK_BYTES, WEBHOOK_PATH, add_receiver
from nuki_sim.adapters.traits import ActionName, ActionStatus, Event, TraitErrorCode, TraitName
from nuki_sim.simulator.domain.webhooks import url_allowed

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class CallbackPolicy:
    """How hard a callback URL is tried: each event gets ``attempts`` POSTs at most."""

    attempts: int = 5
    base: float = 0.5  # seconds before the first retry; doubles each time
    ceiling: float = 10.0
    timeout: float = 5.0  # seconds one POST may take


@dataclass
class Callback:
    """One registered URL and how far it got: ``cursor`` is the last seq it was sent."""

    url: str
    cursor: int
    delivered: int = 0
    failed: int = 0  # events given up on after every attempt
    last_error: str | None = None
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    def json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "cursor": self.cursor,
            "delivered": self.delivered,
            "failed": self.failed,
            "lastError": self.last_error,
        }


class CallbackHub:
    """Pushes the adapter's events to callback URLs: one task per URL, events in order.

    The adapter's listener only sets a flag, so an action call never waits for a delivery.
    An event that fails ``policy.attempts`` times is counted in ``failed`` and skipped, so a
    dead receiver delays only its own deliveries and never grows a backlog of retries.
    """

    def __init__(
        self, adapter: NukiTraitAdapter, policy: CallbackPolicy, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.adapter = adapter
        self.policy = policy
        self.sleep = sleep
        self.callbacks: dict[str, Callback] = {}
        self.session: aiohttp.ClientSession | None = None
        self.changed = asyncio.Condition()

    @property
    def last_seq(self) -> int:
        return len(self.adapter.log)

    def register(self, url: str, after: int | None = None) -> tuple[Callback, bool]:
        """Add ``url`` (events after seq ``after``; default: only new ones). True if new."""
        if url in self.callbacks:
            return self.callbacks[url], False
        callback = Callback(url, self.last_seq if after is None else min(after, self.last_seq))
        self.callbacks[url] = callback
        self._spawn(callback)
        return callback, True

    def remove(self, url: str | None = None) -> int:
        """Stop pushing to ``url`` (every URL when None); how many were removed."""
        urls = list(self.callbacks) if url is None else [url] if url in self.callbacks else []
        for gone in urls:
            task = self.callbacks.pop(gone).task
            if task is not None:
                task.cancel()
        return len(urls)

    def wake(self, event: Event | None = None) -> None:
        """The adapter's listener: nudge every task (it reads the event from the log)."""
        del event
        for callback in self.callbacks.values():
            callback.wakeup.set()

    def quiet(self) -> bool:
        return all(c.cursor >= self.last_seq for c in self.callbacks.values())

    async def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every callback was sent every event; False if that took over ``timeout``."""
        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(self.quiet), timeout)
            except TimeoutError:
                return False
        return True

    async def start(self) -> None:
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.policy.timeout),
            headers={"User-Agent": "nuki-sim adapter callbacks"},
        )
        self.adapter.listeners.append(self.wake)
        for callback in self.callbacks.values():
            self._spawn(callback)

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.adapter.listeners.remove(self.wake)
        tasks = [c.task for c in self.callbacks.values() if c.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.session is not None:
            await self.session.close()
            self.session = None

    def _spawn(self, callback: Callback) -> None:
        if self.session is not None and callback.task is None:
            callback.task = asyncio.get_running_loop().create_task(self._run(callback))

    async def _run(self, callback: Callback) -> None:
        while True:
            if callback.cursor >= self.last_seq:
                callback.wakeup.clear()
                await callback.wakeup.wait()
                continue
            seq = callback.cursor + 1
            try:
                body = event_json(seq, self.adapter.log[seq - 1])
            except Exception as exc:  # a value without a JSON form: skip it, keep going
                log.exception("callback %s: cannot encode event %s", callback.url, seq)
                callback.failed += 1
                callback.last_error = f"seq {seq}: {type(exc).__name__}: {exc}"
            else:
                await self._deliver(callback, body)
            callback.cursor = seq
            async with self.changed:
                self.changed.notify_all()

    async def _deliver(self, callback: Callback, body: dict[str, Any]) -> None:
        assert self.session is not None
        data = json.dumps(body)
        headers = {"Content-Type": "application/json"}
        for attempt in range(1, self.policy.attempts + 1):
            try:
                async with self.session.post(callback.url, data=data, headers=headers) as reply:
                    await reply.read()
                    if 200 <= reply.status < 300:
                        callback.delivered += 1
                        return
                    callback.last_error = f"seq {body['seq']}: HTTP {reply.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                callback.last_error = f"seq {body['seq']}: {type(exc).__name__}: {exc}"
            if attempt < self.policy.attempts:
                delay = min(self.policy.ceiling, self.policy.base * 2.0 ** (attempt - 1))
                await self.sleep(delay)
        callback.failed += 1
        log.warning("callback %s: gave up on event %s", callback.url, body["seq"])


@dataclass
class ServiceState:
    """What the routes share (kept in one mutable object: aiohttp freezes the app's keys)."""

    adapter: NukiTraitAdapter
    hub: CallbackHub
    ready: bool = False
    refused: dict[str, dict[str, Any]] = field(default_factory=dict)  # unknown trait/action
    timeout_check_every: float | None = 30.0
    ticker: asyncio.Task[None] | None = None


STATE = web.AppKey("adapter_service", ServiceState)


class BadRequest(Exception):
    def __init__(self, message: str, code: str = TraitErrorCode.PARSE.value) -> None:
        super().__init__(message)
        self.code = code


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every refusal as ``{"error": {code, message}}`` — aiohttp's own ones included."""
    try:
        return await handler(request)
    except BadRequest as exc:
        return error(400, exc.code, str(exc))
    except UnknownDevice as exc:
        return error(404, "NotFound", f"no device {exc.args[0]}")
    except UnknownAction as exc:
        return error(404, "NotFound", f"no action {exc.args[0]}")
    except (NukiError, NukiUnavailable) as exc:
        return error(502, "NukiWebError", str(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge"}
        return error(exc.status, code.get(exc.status, "HTTPError"), exc.reason)
    except Exception:
        log.exception("adapter service: %s %s failed", request.method, request.path)
        return error(500, "InternalError", "internal error (the adapter's log has the details)")


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


# --- routes ------------------------------------------------------------------------------------

routes = web.RouteTableDef()


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
    if not isinstance(url, str) or not _http_url(url) or not url_allowed(url):
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


def _http_url(text: str) -> bool:
    try:
        url = URL(text)
    except ValueError:
        return False
    return url.absolute and url.scheme in ("http", "https") and bool(url.host)


# --- the app -----------------------------------------------------------------------------------


def create_service_app(
    adapter: NukiTraitAdapter,
    *,
    callback_urls: Sequence[str] = (),
    callback_policy: CallbackPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
    timeout_check_every: float | None = 30.0,
) -> web.Application:
    """The service's aiohttp app for ``adapter`` (started or not: ``/health`` tells).

    ``callback_urls`` receive every event from the first one on. Every
    ``timeout_check_every`` seconds the adapter ends actions that waited too long, so their
    TIMEOUT reaches the callbacks without anyone asking.
    """
    app = web.Application(middlewares=[json_errors], client_max_size=MAX_WEBHOOK_BYTES)
    hub = CallbackHub(adapter, callback_policy or CallbackPolicy(), sleep)
    for url in callback_urls:
        hub.register(url, after=0)
    app[STATE] = ServiceState(adapter, hub, ready=True, timeout_check_every=timeout_check_every)
    app.add_routes(routes)
    add_receiver(app, adapter)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


async def _start(app: web.Application) -> None:
    s = app[STATE]
    await s.hub.start()
    if s.timeout_check_every:
        s.ticker = asyncio.get_running_loop().create_task(_tick(s, s.timeout_check_every))


async def _stop(app: web.Application) -> None:
    s = app[STATE]
    if s.ticker is not None:
        s.ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await s.ticker
    await s.hub.stop()


async def _tick(s: ServiceState, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        s.adapter.check_timeouts()


@dataclass
class AdapterService:
    """A running service: its base URL, the adapter behind it, and how to stop it."""

    url: str
    webhook_url: str
    adapter: NukiTraitAdapter
    app: web.Application
    runner: web.AppRunner
    session: aiohttp.ClientSession

    @property
    def callbacks(self) -> CallbackHub:
        return self.app[STATE].hub

    async def close(self, unsubscribe_timeout: float = 5.0) -> None:
        """Unsubscribe from Nuki's webhooks (giving up after ``unsubscribe_timeout`` seconds
        when Nuki does not answer), stop serving, close the HTTP session."""
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.adapter.close(), unsubscribe_timeout)
        finally:
            await self.runner.cleanup()
            await self.session.close()

    async def __aenter__(self) -> AdapterService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def start_adapter_service(
    nuki_url: str,
    token: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    public_url: str | None = None,
    seed: int = 0,
    clock: Clock | None = None,
    action_timeout: timedelta = timedelta(hours=48),
    retry: RetryPolicy | None = None,
    callback_urls: Sequence[str] = (),
    callback_policy: CallbackPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AdapterService:
    """Serve the adapter for Nuki Web at ``nuki_url`` on ``host:port`` (0 picks a free port).

    Nuki's webhooks are subscribed at ``<public_url>/nuki/webhook``; without ``public_url``
    at the service's own URL, which only works when Nuki can reach ``host`` (a simulator on
    the same machine can; the real Nuki Web needs a public URL).
    """
    session = aiohttp.ClientSession()
    runner: web.AppRunner | None = None
    try:
        client = NukiWebClient(session, nuki_url, token, retry=retry)
        adapter = NukiTraitAdapter(client, clock=clock, action_timeout=action_timeout, seed=seed)
        app = create_service_app(
            adapter, callback_urls=callback_urls, callback_policy=callback_policy, sleep=sleep
        )
        app[STATE].ready = False  # /health says 503 until the locks are loaded
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = int(runner.addresses[0][1])
        url = f"http://{f'[{host}]' if ':' in host else host}:{bound}"
        webhook_url = (public_url or url).rstrip("/") + WEBHOOK_PATH
        await adapter.start(webhook_url)
        app[STATE].ready = True
    except BaseException:
        if runner is not None:
            await runner.cleanup()
        await session.close()
        raise
    return AdapterService(url, webhook_url, adapter, app, runner, session)
