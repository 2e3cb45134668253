"""Error mapping: every refusal of the service as ``{"error": {"code", "message"}}``.

The trait API's own failures (a bad body, an unknown device or action) map to 400 and 404;
the errors of the cloud behind the adapter map to 502. Which exceptions are the cloud's is
given by whoever builds the app (:class:`Upstream`), so this module knows no Nuki.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Middleware

from nuki_sim.adapters.traits import TraitErrorCode, UnknownAction, UnknownDevice

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HTTP_CODES = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge"}


class BadRequest(Exception):
    """A request the service cannot read: 400 with ``code`` (a trait ``ParseError`` unless told)."""

    def __init__(self, message: str, code: str = TraitErrorCode.PARSE.value) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Upstream:
    """The exceptions that mean the cloud behind the adapter refused or did not answer (502)."""

    errors: tuple[type[Exception], ...] = ()
    code: str = "UpstreamError"


NO_UPSTREAM = Upstream()


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def json_errors(upstream: Upstream = NO_UPSTREAM) -> Middleware:
    """The middleware that answers every refusal as JSON — aiohttp's own ones included."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except BadRequest as exc:
            return error(400, exc.code, str(exc))
        except UnknownDevice as exc:
            return error(404, "NotFound", f"no device {exc.args[0]}")
        except UnknownAction as exc:
            return error(404, "NotFound", f"no action {exc.args[0]}")
        except upstream.errors as exc:
            return error(502, upstream.code, str(exc))
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return error(exc.status, HTTP_CODES.get(exc.status, "HTTPError"), exc.reason)
        except Exception:
            log.exception("adapter service: %s %s failed", request.method, request.path)
            return error(500, "InternalError", "internal error (the adapter's log has the details)")

    return middleware
