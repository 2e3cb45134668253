"""Lossless JSON snapshots of a world: everything, including the agenda and the RNG.

A small tagged codec: dataclasses, enums, datetimes, deques, sets and int-keyed dicts are
written as tagged objects and read back into the same types. ``restore(snapshot(w))``
gives a world that behaves exactly like ``w`` from then on (a Hypothesis property checks it),
which is what ``--state FILE``, ``/_sim/snapshot`` and ``/_sim/reset`` rely on.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from simulator.domain import codes, config, model, scheduler, sync, webhooks, world
from simulator.domain.clock import VirtualClock
from simulator.domain.errors import BadParameter

FORMAT = "nuki-sim/1"
_SCRATCH_START = datetime(2000, 1, 1, tzinfo=UTC)

_TYPES: dict[str, type] = {}
for _module in (model, world, scheduler, config, sync, webhooks):
    for _name in dir(_module):
        _value = getattr(_module, _name)
        if isinstance(_value, type) and dataclasses.is_dataclass(_value):
            _TYPES[_value.__name__] = _value
_ENUMS: dict[str, type[Enum]] = {
    name: value
    for name, value in vars(codes).items()
    if isinstance(value, type) and issubclass(value, Enum)
}


def encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$dc": type(value).__name__,
            "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, deque):
        return {"$deque": [encode(v) for v in value], "maxlen": value.maxlen}
    if isinstance(value, frozenset | set):
        return {
            "$set": sorted((encode(v) for v in value), key=repr),
            "frozen": isinstance(value, frozenset),
        }
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot snapshot {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        return _ENUMS[value["$enum"]](value["v"])
    if "$dt" in value:
        return datetime.fromisoformat(value["$dt"])
    if "$dc" in value:
        cls = _TYPES[value["$dc"]]
        return cls(**{k: decode(v) for k, v in value["f"].items()})
    if "$deque" in value:
        return deque((decode(v) for v in value["$deque"]), maxlen=value["maxlen"])
    if "$set" in value:
        items = {decode(v) for v in value["$set"]}
        return frozenset(items) if value["frozen"] else items
    if "$tuple" in value:
        return tuple(_hashable(decode(v)) for v in value["$tuple"])
    if "$dict" in value:
        return {_hashable(decode(k)): decode(v) for k, v in value["$dict"]}
    raise ValueError(f"unknown snapshot object with keys {sorted(value)}")


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def snapshot(w: world.World) -> dict[str, Any]:
    """Everything that makes up ``w``, as JSON-compatible data."""
    return {
        "format": FORMAT,
        "state": encode(w.state()),
    }


def restore(w: world.World, data: object) -> None:
    """Replace ``w``'s state with a snapshot's; refuse anything that is not one (400)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadParameter(f"not a nuki-sim snapshot (expected format {FORMAT!r})")
    try:
        state = decode(data["state"])
        # Load into a scratch world first: a damaged state then fails here (400) instead of
        # halfway through ``w.load``, which would leave ``w`` half replaced (and answer 500).
        world.World(VirtualClock(_SCRATCH_START)).load(state)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadParameter(f"the snapshot is damaged: {exc}") from None
    w.load(state)
