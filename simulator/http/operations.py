"""One declaration per operation: the record every route, scope check and OpenAPI entry reads.

An :class:`Operation` says everything about one call: its verb and path, its id and words for
the document, the scopes that allow it (alternatives), its body and query, what it answers
and which errors it documents, and the domain call. An :class:`Area` groups the operations
that share how a caller is identified (a Nuki token, or the control plane's own guard) and
how path ids are read. :func:`add_routes` turns areas into aiohttp routes with one generic
handler; :mod:`nuki_sim.simulator.http.openapi` turns the same areas into the document.

The generic handler does, in this order: identify the caller, read the path ids, check the
scope (before any body is read), read the body, call, encode. Everything per-operation is
worked out when the routes are built, never per request.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from nuki_sim.simulator.http import respond
from nuki_sim.simulator.http.body import read_json

NO_CONTENT = 204
Effect = Literal["stateful", "accepted", "static"]
"""What an operation does to the world, for the coverage table of docs/api.md: ``stateful``
(reads or changes simulated state a client can observe), ``accepted`` (validated and answered
with the documented status, no lasting effect: an e-mail Nuki would send), ``static`` (serves
fixed sample data)."""
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Call:
    """What a domain call gets from the request: parsed path ids, the query, the body."""

    __slots__ = ("body", "ids", "request")

    def __init__(self, request: web.Request, ids: dict[str, Any], body: object) -> None:
        self.request = request
        self.ids = ids
        self.body = body

    @property
    def query(self) -> Mapping[str, str]:
        """The query string, parsed only by the calls that read it (not on every request)."""
        return self.request.query


@dataclass(frozen=True)
class Body:
    """A request body: its schema (a type hint or a schema dict) and how it is read."""

    schema: Any
    description: str
    required: bool = True
    limit: int | None = None  # bytes; None: the world's max_body_bytes


@dataclass(frozen=True)
class PathParam:
    """A path id: the route pattern it must match and the parser that turns it into a value."""

    pattern: str
    parse: Callable[[str], Any]


Render = Callable[[web.Request, Any], web.StreamResponse]


@dataclass(frozen=True)
class Operation:
    """One operation of the API, declared once."""

    method: str
    path: str  # the OpenAPI template, e.g. /smartlock/{smartlockId}/auth
    id: str
    tag: str
    summary: str
    description: str
    call: Callable[[Any, Call], Any]  # (caller, call) -> result, or an awaitable of it
    scopes: tuple[str, ...] = ()  # alternatives; () = no scope check
    reply: Any = None  # type hint of the body answered with ``status``; None: 204, no body
    reply_text: str = "Accepted and queued; the body is empty."
    status: int = 200
    body: Body | None = None
    query: Sequence[Mapping[str, Any]] = ()  # documented query parameters
    errors: Mapping[int, str] = field(default_factory=dict)
    render: Render | None = None  # a custom encoder (the hottest reads)
    effect: Effect = "stateful"


@dataclass(frozen=True)
class Area:
    """Operations that share a tag set, a way to identify the caller and the path ids."""

    operations: Sequence[Operation]
    params: Mapping[str, PathParam]
    caller: Callable[[web.Request], Any]  # raises when the caller may not call at all
    allow: Callable[[Any, tuple[str, ...]], None]  # the scope check
    security: Callable[[Operation], list[dict[str, list[str]]]]
    faults: bool = True  # whether fault rules can reach these routes (the document says so)
    catch_up: bool = False  # run what fell due before the call (Nuki Web's routes)
    # Paths routed before the others: aiohttp tries the paths under one static prefix (such
    # as /smartlock) one at a time, in the order they were added; a polling client's first.
    first: Sequence[str] = ()


def route_path(op: Operation, params: Mapping[str, PathParam]) -> str:
    """The aiohttp path: each id with its pattern, so ``/smartlock/auth`` never matches an id."""
    return _PLACEHOLDER.sub(lambda m: f"{{{m[1]}:{params[m[1]].pattern}}}", op.path)


def handler_for(
    op: Operation, area: Area
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The generic handler for ``op``, with everything it needs worked out now."""
    ids = [(name, area.params[name].parse) for name in _PLACEHOLDER.findall(op.path)]
    caller, allow, scopes, call, body = area.caller, area.allow, op.scopes, op.call, op.body
    is_async = inspect.iscoroutinefunction(call)
    render = op.render or _renderer(op)

    async def handle(request: web.Request) -> web.StreamResponse:
        who = caller(request)
        match = request.match_info
        values = {name: parse(match[name]) for name, parse in ids}
        if scopes:
            allow(who, scopes)
        raw = None
        if body is not None:
            raw = await read_json(request, required=body.required, limit=body.limit)
        result = call(who, Call(request, values, raw))
        if is_async:
            result = await result
        return render(request, result)

    handle.catches_up = area.catch_up  # type: ignore[attr-defined]
    handle.__name__ = op.id
    return handle


def _renderer(op: Operation) -> Render:
    if op.reply is None:
        return lambda request, result: web.Response(status=NO_CONTENT)
    status = op.status
    return lambda request, result: respond.json_response(result, status=status)


def add_routes(app: web.Application, areas: Sequence[Area]) -> None:
    """Route every operation; a path's verbs are added together so a wrong verb is a 405."""
    by_path: dict[str, list[tuple[Operation, Area]]] = {}
    for area in areas:
        first = [op for path in area.first for op in area.operations if op.path == path]
        for op in [*first, *(op for op in area.operations if op.path not in area.first)]:
            by_path.setdefault(route_path(op, area.params), []).append((op, area))
    for path, ops in by_path.items():
        for op, area in ops:
            handle = handler_for(op, area)
            if op.method == "GET":
                app.router.add_get(path, handle)
            else:
                app.router.add_route(op.method, path, handle)
