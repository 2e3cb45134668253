"""Reading a request body as JSON, with Nuki-shaped refusals for anything else.

The Nuki API takes bodies up to ``SimConfig.max_body_bytes``; the control plane takes up to
:data:`CONTROL_MAX_BYTES`, since a snapshot of a large world is large. The aiohttp limit is
set to the larger of the two and each route applies its own.

Every string of a body (keys included, at any depth) must be Unicode text: a lone surrogate
escape such as ``"\\ud800"`` is refused here, once, for every route (see
:func:`nuki_sim.simulator.domain.inputs.check_text`).
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from nuki_sim.simulator.domain.errors import BadParameter, PayloadTooLarge, RequestTimeout
from nuki_sim.simulator.domain.inputs import check_text
from nuki_sim.simulator.http.keys import BODY_TIMEOUT, WORLD
from nuki_sim.simulator.http.limits import HEADER_TIMEOUT_SECONDS

CONTROL_MAX_BYTES = 256 * 1024 * 1024


def body_timeout(request: web.Request) -> float:
    """Seconds a client has to send its whole body (the server's header timeout)."""
    return request.app.get(BODY_TIMEOUT, HEADER_TIMEOUT_SECONDS)


def too_slow() -> RequestTimeout:
    return RequestTimeout(
        "The request body did not arrive in time", hint="send the whole body at once"
    )


async def read_json(
    request: web.Request, *, required: bool = True, limit: int | None = None
) -> object:
    """The decoded JSON body; ``None`` when it is empty and not required."""
    cap = limit if limit is not None else request.app[WORLD].config.max_body_bytes
    declared = request.content_length
    if declared is not None and declared > cap:
        raise _too_large(cap)
    # A compressed body is inflated while read: count what it inflates to, as it streams.
    plain = declared is not None and "Content-Encoding" not in request.headers
    try:
        if plain and request.content.is_eof():
            raw = await request.read()  # all of it has arrived (a small body has): no wait
        else:
            async with asyncio.timeout(body_timeout(request)):
                raw = await request.read() if plain else await _read_streamed(request, cap)
    except web.HTTPRequestEntityTooLarge as exc:
        raise _too_large(cap) from exc
    except TimeoutError:
        raise too_slow() from None
    if len(raw) > cap:
        raise _too_large(cap)
    if not raw.strip():
        if required:
            raise BadParameter("The request body is missing", hint="send a JSON body")
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadParameter(f"The request body is not valid JSON: {exc}") from None
    if not raw.isascii() or b"\\u" in raw or b"\x00" in raw:
        check_text(value)  # else it is plain UTF-8 with no escape: it holds no lone surrogate
    return value


async def _read_streamed(request: web.Request, cap: int) -> bytes:
    """A body without Content-Length (chunked), refused as soon as it passes ``cap``: never
    buffered up to aiohttp's own limit (256 MiB, for the control plane's snapshots)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > cap:
            raise _too_large(cap)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(cap: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        "The request body is too large", hint=f"bodies are limited to {cap} bytes"
    )
