"""pytest-bdd's step lookup with a cheap, exact test first, for the many in-process kit runs.

For every step, pytest-bdd asks pytest, for each fixture name there is (some 160 in a kit run),
which of its definitions the scenario can see (``getfixturedefs`` walks the node's parents for
every name), then keeps the step definitions of the step's type whose parser matches the text.
Here a name none of whose definitions, seen or not, is such a step definition is passed over
before pytest is asked: it could give nothing. The other names go through pytest's visibility
and pytest-bdd's test unchanged, in the same order, so the same definitions come out in the
same order (``test_lookup.py`` compares the two on every step of the kit's scenarios and of a
project's own). About a twentieth of a kit run; where pytest or pytest-bdd keep their tables
differently, :func:`install` leaves pytest-bdd's own lookup in place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

# ``pytest_bdd.scenario`` as an attribute is the ``scenario`` function; the module is this one.
SCENARIO: Any = sys.modules["pytest_bdd.scenario"]
ORIGINAL: Callable[..., Iterable[Any]] = SCENARIO.find_fixturedefs_for_step


def install(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Use :func:`find_fixturedefs_for_step` until ``monkeypatch`` undoes it, if it applies."""
    needed = ("get_fixture_names", "getfixturedefs", "step_function_context_registry")
    if not all(hasattr(SCENARIO, name) for name in needed):
        return False  # another pytest-bdd: its own lookup, whatever it does
    monkeypatch.setattr(SCENARIO, "find_fixturedefs_for_step", find_fixturedefs_for_step)
    return True


def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
    """What pytest-bdd's ``find_fixturedefs_for_step`` yields, in the same order."""
    every = definitions(fixturemanager)
    if every is None:
        yield from ORIGINAL(step, fixturemanager, node)
        return
    for name in SCENARIO.get_fixture_names(fixturemanager=fixturemanager):
        if not any(parses(fixturedef, step) for fixturedef in every(name)):
            continue
        for fixturedef in SCENARIO.getfixturedefs(fixturemanager, name, node) or []:
            if parses(fixturedef, step):
                yield fixturedef


def parses(fixturedef: Any, step: Any) -> bool:
    """pytest-bdd's test: a step definition, of the step's type (or any), matching its text."""
    context = SCENARIO.step_function_context_registry.get(fixturedef.func)
    if context is None:
        return False
    if context.type is not None and context.type != step.type:
        return False
    return bool(context.parser.is_matching(step.name))


def definitions(fixturemanager: Any) -> Callable[[str], Iterable[Any]] | None:
    """Every definition of a fixture name, visible to a node or not (None: tables unknown).

    pytest 9.2 keeps them by node (and by node id, for the older registration); earlier
    releases in one list per name. ``getfixturedefs`` only ever picks among these.
    """
    by_node = getattr(fixturemanager, "_arg2node2fixturedefs", None)
    by_nodeid = getattr(fixturemanager, "_arg2nodeid2fixturedefs", None)
    if isinstance(by_node, dict) and isinstance(by_nodeid, dict):

        def tabled(name: str) -> Iterable[Any]:
            for table in (by_node.get(name, {}), by_nodeid.get(name, {})):
                for fixturedefs in table.values():
                    yield from fixturedefs

        return tabled
    listed = getattr(fixturemanager, "_arg2fixturedefs", None)
    if isinstance(listed, dict):
        return lambda name: listed.get(name, ())
    return None
