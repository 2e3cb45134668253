"""What a wire field means, written beside its type: ``Annotated[int, Doc("…", minimum=0)]``.

The wire shapes (:mod:`nuki_sim.simulator.domain.shapes`) are TypedDicts whose fields carry
one of these. The HTTP layer derives the OpenAPI schemas from them
(:mod:`nuki_sim.simulator.http.schema`), so a field is declared once, with its description.
Pure data: nothing here knows JSON Schema beyond the names of its keywords.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Nuki's wire format for instants: ISO-8601 UTC with milliseconds and a ``Z``.
NUKI_INSTANT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
OBJECT_ID = r"^[0-9a-f]{24}$"
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Doc:
    """A field's description and JSON Schema constraints (``extra``: any other keyword).

    Integers are int32 unless ``int64``; ``plain`` leaves the format out.
    """

    description: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    format: str | None = None
    int64: bool = False
    plain: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Coded:
    """A closed integer enum; the description spells out what each value means."""

    description: str
    meanings: Mapping[int, str]


@dataclass(frozen=True)
class Raw:
    """A schema written out as is, where no Python type says it (``anyOf``, ``const``…)."""

    schema: Mapping[str, Any]


def doc(description: str | None = None, **extra: Any) -> Doc:
    """``Doc`` with JSON Schema keywords given by name (``maxLength=32``, ``default=0``)."""
    known = {k: extra.pop(k) for k in list(extra) if k in _KNOWN}
    return Doc(description, extra=extra, **known)


_KNOWN = frozenset({"minimum", "maximum", "pattern", "format", "int64", "plain"})


def instant(description: str) -> Doc:
    """A date-time as Nuki sends it: UTC with milliseconds, e.g. 2026-01-05T09:00:00.000Z."""
    return Doc(description, pattern=NUKI_INSTANT, format="date-time")


def instant_in(description: str) -> Doc:
    """A date-time a client sends: any ISO-8601 instant (``Z`` or an offset)."""
    return Doc(description, format="date-time")
