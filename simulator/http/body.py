"""Reading a request body as JSON, with Nuki-shaped refusals for anything else."""

from __future__ import annotations

import json

from aiohttp import web

from simulator.domain.errors import BadParameter, PayloadTooLarge


async def read_json(request: web.Request, *, required: bool = True) -> object:
    """The decoded JSON body; ``None`` when it is empty and not required."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise PayloadTooLarge(
            "The request body is too large",
            hint=f"bodies are limited to {request.app._client_max_size} bytes",
        ) from exc
    if not raw.strip():
        if required:
            raise BadParameter("The request body is missing", hint="send a JSON body")
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadParameter(f"The request body is not valid JSON: {exc}") from None
