"""The OpenAPI 3.1 document of every route the simulator serves (filled in below)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulator.http import respond


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Nuki Web API (simulated)", "version": "0.1.0"},
        "paths": {},
    }


async def handler(request: web.Request) -> web.Response:
    return respond.json_response(document())
