"""Check real responses against the simulator's own ``/openapi.json``.

Every test that talks to the simulator through :class:`tests.client.ApiClient` runs each
response through :func:`check`: the route must be documented, the status must be one the
document lists for it, and a JSON body must validate against the documented schema, in its
strict view (every object closed, every field the simulator always sends required), so an
undocumented or missing field fails. The served document differs only in being looser (open
objects, Nuki's smaller required sets), so what passes here passes there.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jsonschema

from nuki_sim.simulator.http.openapi import document


@cache
def _compiled() -> tuple[dict[str, Any], list[tuple[re.Pattern[str], str]]]:
    doc = document(strict=True)
    templates = [
        (re.compile("^" + re.sub(r"\{[^/]+\}", r"[^/]+", template) + "$"), template)
        for template in doc["paths"]
    ]
    templates.sort(key=lambda item: item[1].count("{"))  # plain paths first, as routed
    return doc, templates


def template_for(path: str) -> str:
    _, templates = _compiled()
    for pattern, template in templates:
        if pattern.match(path):
            return template
    raise AssertionError(f"{path} is not documented in /openapi.json")


def check(method: str, path: str, status: int, body: Any) -> None:
    """Assert that a response conforms to the OpenAPI document."""
    doc, _ = _compiled()
    template = template_for(path)
    operation = doc["paths"][template].get(method.lower())
    assert operation is not None, f"{method} {template} is not documented in /openapi.json"
    responses = operation["responses"]
    spec = responses.get(str(status)) or responses.get("default")
    assert spec is not None, f"{method} {template} answered {status}, which is not documented"
    content = spec.get("content")
    if not content:
        assert body in (None, b"", ""), (
            f"{method} {template} {status}: no body documented, got {body!r}"
        )
        return
    schema = _inline(content["application/json"]["schema"], doc)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, (
        f"{method} {template} {status}: {errors[0].message} at {list(errors[0].path)}"
    )


def _inline(node: Any, doc: dict[str, Any], depth: int = 0) -> Any:
    """Replace local ``$ref``s (``#/components/...``) by what they point at."""
    assert depth < 50, "OpenAPI $ref chain too deep (a cycle?)"
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = doc
            for part in ref[2:].split("/"):
                target = target[part]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return _inline({**target, **rest}, doc, depth + 1)
        return {k: _inline(v, doc, depth) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, doc, depth) for v in node]
    return node
