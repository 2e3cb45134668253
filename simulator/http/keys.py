"""Typed application keys shared by the HTTP modules.

This module imports none of its siblings, so every HTTP module can import it without a
cycle: a key whose value is one module's own class is declared in that module
(``journal.JOURNAL``, ``faults.FAULTS``), and the webhook dispatcher is known here only by
the little the other modules ask of it.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from aiohttp import web

from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.model import Auth, CloudCopy
from nuki_sim.simulator.domain.world import World


class Drains(Protocol):
    """What callers outside the dispatcher use: wait for due deliveries, watch for changes."""

    changed: asyncio.Condition

    async def drain(self, timeout: float = 10.0) -> bool: ...


WORLD = web.AppKey("world", World)
CONTROL = web.AppKey("control", SimControl)
DISPATCHER: web.AppKey[Drains] = web.AppKey("dispatcher")
CONTROL_TOKEN: web.AppKey[str | None] = web.AppKey("control_token")
BODY_TIMEOUT: web.AppKey[float] = web.AppKey("body_timeout")  # seconds to send a whole body
OPENAPI: web.AppKey[bytes] = web.AppKey("openapi")  # the encoded document this app serves

BodyCache = dict[int, tuple[tuple[object, ...], bytes]]
SMARTLOCK_BODIES: web.AppKey[BodyCache] = web.AppKey("smartlock_bodies")
ListingCache = dict[int, tuple[CloudCopy, int, dict[str, Auth], bytes]]
AUTH_LISTINGS: web.AppKey[ListingCache] = web.AppKey("auth_listings")  # per smartlock id
