"""The aiohttp application: Nuki's routes, the error middleware and the clock's heartbeat."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from simulator.domain.clock import SystemClock
from simulator.domain.world import World
from simulator.http import nuki_routes, openapi
from simulator.http.errors import nuki_errors
from simulator.http.keys import WORLD

HEARTBEAT_SECONDS = 1.0


def create_app(world: World) -> web.Application:
    """Build the simulator's application around ``world``."""
    app = web.Application(middlewares=[nuki_errors], client_max_size=world.config.max_body_bytes)
    app[WORLD] = world
    app.add_routes(nuki_routes.routes)
    app.router.add_get("/openapi.json", openapi.handler)
    app.cleanup_ctx.append(_heartbeat)
    return app


async def _heartbeat(app: web.Application) -> AsyncIterator[None]:
    """With the system clock, run due work even when no request arrives.

    This is the only real wait in the simulator: it paces how often the scheduler looks at
    the wall clock, it never stands in for a simulated delay. A virtual clock needs no
    heartbeat: it only moves when told, and moving it runs what fell due.
    """
    world = app[WORLD]
    task = None
    if isinstance(world.clock, SystemClock):
        task = asyncio.create_task(_beat(world))
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _beat(world: World) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        world.catch_up()
