"""The aiohttp application: Nuki's routes, the control plane, middlewares, the heartbeat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from nuki_sim.simulator.domain.clock import SystemClock
from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http import dashboard, openapi
from nuki_sim.simulator.http.body import CONTROL_MAX_BYTES
from nuki_sim.simulator.http.dispatcher import dispatcher_ctx
from nuki_sim.simulator.http.faults import FAULTS, Faults
from nuki_sim.simulator.http.front import FRONT, Front, front
from nuki_sim.simulator.http.journal import JOURNAL, Journal
from nuki_sim.simulator.http.keys import (
    AUTH_LISTINGS,
    CONTROL,
    CONTROL_TOKEN,
    OPENAPI,
    SMARTLOCK_BODIES,
    WORLD,
)
from nuki_sim.simulator.http.operations import add_routes

HEARTBEAT_SECONDS = 1.0
log = logging.getLogger("nuki_sim")


def create_app(
    world: World,
    *,
    control: SimControl | None = None,
    control_plane: bool = True,
    control_token: str | None = None,
) -> web.Application:
    """Build the simulator's application around ``world``.

    ``control_plane=False`` leaves ``/_sim`` out entirely; ``control_token`` guards it.
    """
    app = web.Application(
        middlewares=[front],
        client_max_size=max(world.config.max_body_bytes, CONTROL_MAX_BYTES),
    )
    app[WORLD] = world
    app[CONTROL] = control or SimControl(world)
    app[JOURNAL] = Journal()
    app[FAULTS] = Faults(world.seed)
    app[CONTROL_TOKEN] = control_token
    app[FRONT] = Front(world, app[JOURNAL], app[FAULTS], control_token)
    app[SMARTLOCK_BODIES] = {}
    app[AUTH_LISTINGS] = {}
    app[OPENAPI] = openapi.encoded(control_plane)
    add_routes(app, openapi.areas(control_plane))
    if control_plane:
        dashboard.mount(app)
    app.cleanup_ctx.append(dispatcher_ctx)
    app.cleanup_ctx.append(_heartbeat)
    return app


async def _heartbeat(app: web.Application) -> AsyncIterator[None]:
    """With the system clock, run due work even when no request arrives.

    This is the only periodic real wait in the simulator: it paces how often the scheduler
    looks at the wall clock and never stands in for a simulated delay. A virtual clock needs
    no heartbeat: it only moves when told, and moving it runs what fell due.
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
    """Catch up every second. A failing catch-up is logged once (not every second) and the
    beat goes on: a dead heartbeat would silently stop syncs and webhook retries."""
    failing = False
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        try:
            world.catch_up()
        except Exception:
            if not failing:
                log.exception("the heartbeat's catch-up failed; it keeps trying every second")
            failing = True
        else:
            if failing:
                log.warning("the heartbeat's catch-up works again")
            failing = False
