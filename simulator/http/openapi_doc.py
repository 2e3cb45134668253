"""Turning areas of operations into an OpenAPI 3.1 document: paths, responses, components.

Nothing here is written per operation: each path item, parameter list, request body and
response comes from an :class:`~nuki_sim.simulator.http.operations.Operation`, and every
schema from a typed shape through :class:`~nuki_sim.simulator.http.schema.Components`.
Responses are written inline (never ``$ref``'d), so a test that looks a status up finds its
body schema at once; only schemas, parameters and headers are referenced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from nuki_sim.simulator.http.errors import HINT_HEADER
from nuki_sim.simulator.http.journal import CONTROL_PREFIX
from nuki_sim.simulator.http.operations import Area, Body, Operation
from nuki_sim.simulator.http.schema import Components, Schema, ref

FAULT_HEADER = "X-Nuki-Sim-Fault"
SERVER_ERROR = "500: an unexpected error of the simulator."
SERVER_ERROR_OR_FAULT = (
    "500: an unexpected error of the simulator; or any status a `/_sim/faults` rule injects "
    "(with `X-Nuki-Sim-Fault`, and `Retry-After` for 429). An injected fault's body is a "
    "DetailError unless the rule gives its own."
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def json_content(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _header_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def error(status: int | str, description: str, *, fault: bool = False) -> dict[str, Any]:
    """An error response in Nuki's body shape for ``status``, with the optional hint header."""
    shape = {"422": "RestletError", "423": "BareError"}.get(str(status), "DetailError")
    headers = {HINT_HEADER: _header_ref(HINT_HEADER)}
    if fault:
        headers |= {
            FAULT_HEADER: _header_ref(FAULT_HEADER),
            "Retry-After": _header_ref("Retry-After"),
        }
    return {"description": description, "headers": headers, "content": json_content(ref(shape))}


def _schema(hint: Any, components: Components, *, closed: bool = False) -> Schema:
    """A body schema: a type hint, or a schema written out (a ``$ref``, an ``allOf``…).

    Open (Nuki ignores unknown keys in requests and may add fields to responses), except the
    control plane's own responses; the strict view closes them all (see ``Components``).
    """
    return dict(hint) if isinstance(hint, Mapping) else components.of(hint, closed=closed)


def _request_body(body: Body, components: Components) -> dict[str, Any]:
    return {
        "required": body.required,
        "description": body.description,
        "content": json_content(_schema(body.schema, components, closed=False)),
    }


def operation(op: Operation, area: Area, components: Components) -> dict[str, Any]:
    """One operation: every status it can answer, plus a ``default`` for 500 (and faults)."""
    doc: dict[str, Any] = {
        "operationId": op.id,
        "summary": op.summary,
        "description": op.description,
        "tags": [op.tag],
        "security": area.security(op),
    }
    if op.query:
        doc["parameters"] = [dict(p) for p in op.query]
    if op.body is not None:
        doc["requestBody"] = _request_body(op.body, components)
    responses: dict[str, Any] = {}
    if op.reply is None:
        responses["204"] = {"description": op.reply_text}
    else:
        own = op.path.startswith(CONTROL_PREFIX)  # the simulator's own shapes may stay closed
        content = json_content(_schema(op.reply, components, closed=own))
        responses[str(op.status)] = {"description": op.reply_text, "content": content}
    for status in sorted(op.errors):
        responses[str(status)] = error(status, op.errors[status])
    responses["default"] = error(
        "default", SERVER_ERROR_OR_FAULT if area.faults else SERVER_ERROR, fault=area.faults
    )
    doc["responses"] = responses
    return doc


def paths(areas: Sequence[Area], components: Components) -> dict[str, Any]:
    """``paths``: each template once, its path ids as references, then its verbs."""
    out: dict[str, Any] = {}
    for area in areas:
        for op in area.operations:
            item = out.get(op.path)
            if item is None:
                item = out[op.path] = {}
                ids = _PLACEHOLDER.findall(op.path)
                if ids:
                    item["parameters"] = [
                        {"$ref": f"#/components/parameters/{name}"} for name in ids
                    ]
            item[op.method.lower()] = operation(op, area, components)
    return out


def headers() -> dict[str, Any]:
    """``components/headers``."""
    return {
        HINT_HEADER: {
            "description": "The simulator's hint on what went wrong and what to do next. Not "
            "sent by the real Nuki Web API.",
            "required": False,
            "schema": {"type": "string"},
        },
        FAULT_HEADER: {
            "description": "The id of the `/_sim/faults` rule that produced this response.",
            "required": False,
            "schema": {"type": "string", "pattern": r"^\d+$"},
        },
        "Retry-After": {
            "description": "Seconds to wait, on a 429 injected by a fault rule.",
            "required": False,
            "schema": {"type": "string", "pattern": r"^\d+$"},
        },
    }
