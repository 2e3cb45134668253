"""JSON responses in Nuki's compact encoding."""

from __future__ import annotations

import functools
import json

from aiohttp import web

dumps = functools.partial(json.dumps, separators=(",", ":"), ensure_ascii=False)


def json_response(
    data: object, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(data, status=status, headers=headers, dumps=dumps)
