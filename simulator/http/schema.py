"""JSON Schema from typed shapes: the one converter from a TypedDict to its OpenAPI schema.

A field's Python type gives the JSON type (``int`` → integer, ``X | None`` → nullable,
``list[X]`` → array, a TypedDict → an object); its ``Annotated`` metadata
(:mod:`nuki_sim.simulator.domain.describe`) adds the description and constraints. A
TypedDict that is a component becomes a ``$ref``; any other is written inline.

Two views of the same shapes. The served document is Nuki's contract: objects are open (Nuki
may add fields, and ignores unknown keys in requests) and a shape's ``required`` is Nuki's
own where it is smaller than what the simulator always sends (``required=`` overrides), so a
client validated against it accepts real payloads. The *strict* view, for the simulator's
own tests, closes every object (``additionalProperties: false``) and requires every key the
simulator always sends (each non-``NotRequired`` key), so an undocumented or missing field
fails a test. Only the ``/_sim`` shapes are closed in both.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,
    Required,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from nuki_sim.simulator.domain.describe import Coded, Doc, Raw

Schema = dict[str, Any]
_JSON_TYPES = {int: "integer", float: "number", bool: "boolean", str: "string"}


def ref(name: str) -> Schema:
    """A local reference to ``components/schemas/<name>``."""
    return {"$ref": f"#/components/schemas/{name}"}


class Components:
    """The document's named schemas; a TypedDict registered here is referenced by name.

    Every shape is named before any schema is written, so a reference never depends on the
    order of registration.
    """

    def __init__(
        self, *, strict: bool = False, required: Mapping[type, Sequence[str]] | None = None
    ) -> None:
        self.schemas: dict[str, Schema] = {}
        self.strict = strict
        self._required = dict(required or {})
        self._names: dict[type, str] = {}
        self._pending: list[tuple[type, str, bool, Mapping[str, Any]]] = []

    def add(
        self,
        shape: type,
        *,
        name: str | None = None,
        closed: bool = False,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Register ``shape`` under its class name (or ``name``); see :meth:`written`."""
        key = name or shape.__name__
        self._names[shape] = key
        self._pending.append((shape, key, closed, extra or {}))

    def add_schema(self, name: str, schema: Schema) -> None:
        self.schemas[name] = schema

    def written(self) -> dict[str, Schema]:
        """Every registered schema, by name."""
        for shape, key, closed, extra in self._pending:
            self.schemas[key] = {**self.object(shape, closed=closed), **extra}
        self._pending.clear()
        return self.schemas

    def of(self, hint: Any, *, closed: bool = False) -> Schema:
        """The schema of a type hint (a ``$ref`` for a registered TypedDict)."""
        origin = get_origin(hint)
        if origin is Annotated:
            base, *meta = get_args(hint)
            return _annotate(self.of(base, closed=closed), meta)
        if origin in (NotRequired, Required):
            return self.of(get_args(hint)[0], closed=closed)
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(hint) if a is not type(None)]
            schema = self.of(members[0], closed=closed) if len(members) == 1 else {}
            if len(members) > 1:
                schema = {"type": [self.of(m)["type"] for m in members]}
            if len(members) < len(get_args(hint)):
                kind = schema.get("type", [])
                schema["type"] = [*(kind if isinstance(kind, list) else [kind]), "null"]
            return schema
        if origin is Literal:
            values = list(get_args(hint))
            if len(values) == 1:
                return {"const": values[0]}
            if all(isinstance(v, str) for v in values):
                return {"type": "string", "enum": values}
            return {"enum": values}
        if origin is list:
            return {"type": "array", "items": self.of(get_args(hint)[0], closed=closed)}
        if origin is dict:
            value = get_args(hint)[1]
            if value is Any:
                return {"type": "object"}
            return {"type": "object", "additionalProperties": self.of(value, closed=closed)}
        if hint is Any:
            return {}
        if isinstance(hint, type) and is_typeddict(hint):
            name = self._names.get(hint)
            return ref(name) if name else self.object(hint, closed=closed)
        if hint in _JSON_TYPES:
            schema = {"type": _JSON_TYPES[hint]}
            if hint is int:
                schema["format"] = "int32"
            return schema
        raise TypeError(f"no JSON Schema for {hint!r}")

    def object(self, shape: type, *, closed: bool = False) -> Schema:
        """A TypedDict written out: its properties, its required keys, its description."""
        closed = closed or self.strict
        hints = get_type_hints(shape, include_extras=True)
        total = getattr(shape, "__total__", True)
        properties = {key: self.of(hint, closed=closed) for key, hint in hints.items()}
        required = [key for key, hint in hints.items() if _required(hint, total)]
        if not self.strict and shape in self._required:
            nuki = self._required[shape]
            if not set(nuki) <= set(required):  # what Nuki requires, the simulator always sends
                raise TypeError(f"{shape.__name__}: {sorted(set(nuki) - set(required))} not sent")
            required = [key for key in required if key in nuki]
        schema: Schema = {"type": "object"}
        if shape.__doc__:
            schema["description"] = " ".join(shape.__doc__.split())
        schema["properties"] = properties
        if required or closed:
            schema["required"] = required
        if closed:
            schema["additionalProperties"] = False
        return schema


def _required(hint: Any, total: bool) -> bool:
    origin = get_origin(hint)
    if origin is NotRequired:
        return False
    if origin is Required:
        return True
    return total


def _annotate(schema: Schema, meta: list[Any]) -> Schema:
    for item in meta:
        if isinstance(item, Raw):
            schema = dict(item.schema)
        elif isinstance(item, Coded):
            listing = "; ".join(f"{value} = {text}" for value, text in item.meanings.items())
            schema = {
                "type": "integer",
                "enum": list(item.meanings),
                "description": f"{item.description}: {listing}.",
            }
        elif isinstance(item, Doc):
            schema = _apply(schema, item)
    return schema


def _apply(schema: Schema, item: Doc) -> Schema:
    out = dict(schema)
    if out.get("format") == "int32":
        if item.plain:
            out.pop("format", None)
        elif item.int64:
            out["format"] = "int64"
    for key in ("minimum", "maximum", "pattern", "format"):
        value = getattr(item, key)
        if value is not None:
            out[key] = value
    out.update(item.extra)
    if item.description is not None:
        out["description"] = item.description
    return out
