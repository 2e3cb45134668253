"""Typed application keys shared by the route modules."""

from __future__ import annotations

from aiohttp import web

from simulator.domain.world import World

WORLD = web.AppKey("world", World)
