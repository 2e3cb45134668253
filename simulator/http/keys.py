"""Typed application keys shared by the HTTP modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.world import World

if TYPE_CHECKING:
    from nuki_sim.simulator.http.dispatcher import Dispatcher
    from nuki_sim.simulator.http.faults import Faults
    from nuki_sim.simulator.http.journal import Journal

WORLD = web.AppKey("world", World)
CONTROL = web.AppKey("control", SimControl)
JOURNAL: web.AppKey[Journal] = web.AppKey("journal")
FAULTS: web.AppKey[Faults] = web.AppKey("faults")
DISPATCHER: web.AppKey[Dispatcher] = web.AppKey("dispatcher")
CONTROL_TOKEN: web.AppKey[str | None] = web.AppKey("control_token")
BODY_TIMEOUT: web.AppKey[float] = web.AppKey("body_timeout")  # seconds to send a whole body

BodyCache = dict[int, tuple[tuple[object, ...], bytes]]
SMARTLOCK_BODIES: web.AppKey[BodyCache] = web.AppKey("smartlock_bodies")
