"""The one middleware every request passes: journal, Nuki errors, control guard, faults, catch-up.

These were six middlewares; aiohttp pays a wrapper and a coroutine for each one on every
request, so they are one, in the order they always ran (outermost first):

0. **dashboard**: ``/_dashboard`` is handed to the page's own code, when it is mounted;
1. **journal** (:mod:`~nuki_sim.simulator.http.journal`): a small body is read (a stalled one
   is answered 408 here), and the answer is recorded, whatever it is;
2. **errors** (:mod:`~nuki_sim.simulator.http.errors`): every refusal becomes Nuki's body;
3. **guard**: ``/_sim`` needs the control token, when one is set;
4. **faults** (:mod:`~nuki_sim.simulator.http.faults`): only when a rule exists;
5. **catch-up**: before an operation of an area that asks for it (Nuki Web's), the world runs
   what fell due: before the caller is even identified, so a token sees the world as of now.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
import time

from aiohttp import web

from nuki_sim.simulator.domain.errors import SimError, Unauthorized
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.body import body_timeout, too_slow
from nuki_sim.simulator.http.errors import Handler, error_response, from_http
from nuki_sim.simulator.http.faults import Faults, inject
from nuki_sim.simulator.http.journal import BODY_PREVIEW, CONTROL_PREFIX, Journal

DASHBOARD = "/_dashboard"  # the dashboard's prefix (declared here: the dashboard imports us)

log = logging.getLogger("nuki_sim")


class Front:
    """What the middleware reads on every request, behind one application key."""

    __slots__ = ("dashboard", "faults", "journal", "token", "world")

    def __init__(self, world: World, journal: Journal, faults: Faults, token: str | None) -> None:
        self.world = world
        self.journal = journal
        self.faults = faults
        self.token = token
        self.dashboard: Handler | None = None  # answers /_dashboard, once it is mounted


FRONT: web.AppKey[Front] = web.AppKey("front")


@web.middleware
async def front(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    state = request.app[FRONT]
    path = request.path
    if (
        state.dashboard is not None
        and path.startswith(DASHBOARD)
        and (len(path) == len(DASHBOARD) or path[len(DASHBOARD)] == "/")
    ):
        return await state.dashboard(request)  # a web page, not an API call: not journaled
    body = b""
    response: web.StreamResponse | None = None
    length = request.content_length
    if length and length <= BODY_PREVIEW and request.can_read_body:
        if request.content.is_eof():  # all of it has arrived: reading cannot stall
            body = await request.read()
        else:
            try:
                async with asyncio.timeout(body_timeout(request)):
                    body = await request.read()
            except TimeoutError:  # a stalled body is answered here, before any route waits
                response = error_response(too_slow())
    if response is None:
        try:
            if path.startswith(CONTROL_PREFIX):
                if state.token:
                    _guard(request, state.token)
                response = await _call(request, handler)
            elif state.faults.rules:
                response = await inject(
                    request, functools.partial(_call, handler=handler), state.faults
                )
            else:
                if getattr(handler, "catches_up", False):
                    state.world.catch_up()
                response = await handler(request)
        except SimError as error:
            response = error_response(error)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            response = from_http(exc)
        except Exception:  # a bug of ours: answer like Nuki's 500, keep the trace in the log
            log.exception("unhandled error for %s %s", request.method, path)
            internal = SimError("Internal server error")
            internal.status = 500
            response = error_response(internal)
    state.journal.add(
        state.world.clock.now(),
        request.method,
        path,
        request.query_string,
        response.status,
        round((time.perf_counter() - started) * 1000, 3),
        body.decode("utf-8", "replace") if body else "",
    )
    return response


async def _call(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The route's handler, after the catch-up its area asks for."""
    if getattr(handler, "catches_up", False):
        request.app[FRONT].world.catch_up()
    return await handler(request)


def _guard(request: web.Request, expected: str) -> None:
    """With a control token set, ``/_sim`` needs ``Authorization: Bearer <control token>``."""
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
