"""Every refusal as Nuki's error body (the front middleware answers with these).

Domain errors carry their status and body shape; aiohttp's own refusals (no such route, wrong
verb, body too large) are mapped onto the same shapes, so a client never sees aiohttp's
plain-text pages. The hint, when there is one, travels in ``X-Nuki-Sim-Hint`` so the body
stays byte-for-byte what Nuki sends.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.errors import BodyShape, SimError
from nuki_sim.simulator.http import respond

HINT_HEADER = "X-Nuki-Sim-Hint"
# A hint may quote what the client sent; a control character (CR, LF, NUL…) in a header makes
# aiohttp drop the connection instead of answering, so each one is replaced.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
log = logging.getLogger("nuki_sim")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_body(error: SimError) -> dict[str, Any]:
    if error.shape is BodyShape.RESTLET:
        return dict(messages.RESTLET_422)
    if error.shape is BodyShape.BARE:
        return {"stackTrace": [], "suppressedExceptions": []}
    return {"detailMessage": error.message, "stackTrace": [], "suppressedExceptions": []}


def error_response(error: SimError, headers: dict[str, str] | None = None) -> web.Response:
    all_headers = dict(headers or {})
    hint = error.hint or (error.message if error.shape is not BodyShape.DETAIL else None)
    if hint:
        ascii_hint = hint.encode("ascii", "replace").decode("ascii")
        all_headers[HINT_HEADER] = _CONTROL.sub("?", ascii_hint)
    return respond.json_response(error_body(error), status=error.status, headers=all_headers)


def from_http(exc: web.HTTPException) -> web.Response:
    error = SimError(exc.reason or "Error")
    error.status = exc.status
    headers = {}
    if isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = sorted(exc.allowed_methods)
        headers["Allow"] = ", ".join(allowed)
        error.message = f"Method {exc.method} is not allowed here"
        error.hint = f"Nuki's verbs: PUT creates, POST updates, DELETE deletes; allowed: {', '.join(allowed)}"
    elif isinstance(exc, web.HTTPRequestEntityTooLarge):
        error.message = "The request body is too large"
        error.hint = exc.text or None
    elif exc.status == 404:
        error.message = "Not found"
        error.hint = "no such path in the Nuki Web API; see /openapi.json"
    return error_response(error, headers)
