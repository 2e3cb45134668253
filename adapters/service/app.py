"""The service's aiohttp app for any :class:`~nuki_sim.adapters.service.routes.ServedAdapter`:
routes, JSON errors, the callback hub, and a ticker that ends actions which waited too long."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from aiohttp import web

from nuki_sim.adapters.service.callbacks import CallbackHub, CallbackPolicy, Sleep
from nuki_sim.adapters.service.errors import NO_UPSTREAM, Upstream, json_errors
from nuki_sim.adapters.service.routes import STATE, ServedAdapter, ServiceState, routes

MAX_BODY_BYTES = 256 * 1024


def create_app(
    adapter: ServedAdapter,
    *,
    upstream: Upstream = NO_UPSTREAM,
    callback_urls: Sequence[str] = (),
    callback_policy: CallbackPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
    timeout_check_every: float | None = 30.0,
    client_max_size: int = MAX_BODY_BYTES,
) -> web.Application:
    """The service's app for ``adapter`` (started or not: ``/health`` tells).

    ``upstream`` names the exceptions that mean the cloud failed (answered 502).
    ``callback_urls`` receive every event from the first one on. Every
    ``timeout_check_every`` seconds the adapter ends actions that waited too long, so their
    TIMEOUT reaches the callbacks without anyone asking.
    """
    app = web.Application(middlewares=[json_errors(upstream)], client_max_size=client_max_size)
    hub = CallbackHub(adapter, callback_policy or CallbackPolicy(), sleep)
    for url in callback_urls:
        hub.register(url, after=0)
    app[STATE] = ServiceState(adapter, hub, ready=True, timeout_check_every=timeout_check_every)
    app.add_routes(routes)
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
