"""The import graph has layers and no cycles (an AST scan, so nothing is imported to check).

Every ``import`` counts: at module level, inside a function, under ``TYPE_CHECKING``. The
rule between the top-level packages:

* ``simulator`` (the fake Nuki Web) and ``adapters`` (the reference trait adapter, an HTTP
  client of any Nuki Web) never import each other: they share nothing but HTTP;
* ``conformance`` (the kit) sits on top and may import both;
* ``nuki_sim.cli`` (the ``nuki-sim`` program) joins the simulator's and the adapter's
  commands, so it may import both, and nothing imports it;
* within ``adapters``, the generic parts (the codec and the service's hub, errors, routes
  and app) never import the Nuki package: any trait adapter can be served.

No module reaches itself through its imports (a strongly connected component of more than
one module, found with Tarjan's algorithm, is a cycle; the message names one).
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("simulator", "adapters", "conformance")  # each is nuki_sim.<folder>
PROGRAM = "nuki_sim.cli"
MAY_IMPORT = {
    "simulator": {"simulator"},
    "adapters": {"adapters"},
    "conformance": {"conformance", "simulator", "adapters"},
    "program": {"simulator", "adapters"},
}
GENERIC = (  # modules of adapters/ that know no Nuki
    "nuki_sim.adapters.codec",
    "nuki_sim.adapters.traits",
    "nuki_sim.adapters.clock",
    "nuki_sim.adapters.instants",
    "nuki_sim.adapters.inputs",
    "nuki_sim.adapters.service.app",
    "nuki_sim.adapters.service.callbacks",
    "nuki_sim.adapters.service.errors",
    "nuki_sim.adapters.service.routes",
    "nuki_sim.adapters.service.urls",
)
NUKI = "nuki_sim.adapters.nuki"


def modules() -> dict[str, Path]:
    """Every module of the scanned packages by its dotted name, and ``nuki_sim``'s own."""
    found = {
        f"nuki_sim.{path.stem}": path
        for path in (ROOT / "nuki_sim").glob("*.py")
        if path.stem not in ("__init__", "__main__")
    }
    for folder in PACKAGES:
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(("nuki_sim", *parts))] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The known modules ``name`` imports: ``from a import b`` is ``a.b`` if that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            targets = [t for t in targets[:-1] if t in known] or [base]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a name inside a module
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: set(imported(name, path, known)) for name, path in found.items()}


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def a_cycle(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One cycle through the component's first module: the shortest, by breadth-first search."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges[node] & members):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"not a cycle: {component}")  # pragma: no cover


def layer(name: str) -> str:
    return "program" if name == PROGRAM else name.split(".")[1]


def test_the_scan_sees_every_kind_of_import() -> None:
    """Modules of each package, the program, and imports that exist only for the type checker
    or inside a function (conformance.targets loads the codec when a target is made)."""
    edges = graph()
    assert {layer(n) for n in edges} == {*PACKAGES, "program"}
    assert "nuki_sim.adapters.codec" in edges["nuki_sim.conformance.targets"]  # in a function
    assert "nuki_sim.conformance.driver" in edges["nuki_sim.conformance.steps.traits"]  # typing
    assert "nuki_sim.simulator.http.app" in edges["nuki_sim.simulator"]  # typing, in __init__
    assert {"nuki_sim.adapters.cli", "nuki_sim.simulator.cli"} <= edges[PROGRAM]


def test_no_module_imports_itself_through_others() -> None:
    edges = graph()
    cycles = [
        " -> ".join(a_cycle(c, edges)) + f"  (one cycle among {', '.join(c)})"
        for c in strongly_connected(edges)
    ]
    assert not cycles, "import cycles:\n  " + "\n  ".join(cycles)


def test_packages_import_only_the_layers_below() -> None:
    edges = graph()
    wrong = sorted(
        f"{name} -> {target}"
        for name, targets in edges.items()
        for target in targets
        if layer(target) not in MAY_IMPORT[layer(name)]
    )
    assert not wrong, (
        "simulator and adapters share nothing but HTTP; conformance and nuki_sim.cli sit on "
        "top:\n  " + "\n  ".join(wrong)
    )


def test_the_generic_adapter_modules_know_no_nuki() -> None:
    edges = graph()
    wrong = sorted(
        f"{name} -> {target}"
        for name in GENERIC
        for target in edges[name]
        if target == NUKI or target.startswith(NUKI + ".")
    )
    assert not wrong, "the codec and the service serve any trait adapter:\n  " + "\n  ".join(wrong)


def test_nuki_sim_is_the_program_above_the_simulator_and_the_adapter() -> None:
    """The ``nuki-sim`` script runs :mod:`nuki_sim.cli`, which offers both commands."""
    from nuki_sim.cli import build_parser

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["nuki-sim"] == f"{PROGRAM}:main"
    parser = build_parser()
    assert parser.parse_args(["serve", "--port", "0"]).command == "serve"
    adapter = ["adapter", "serve", "--nuki-url", "http://127.0.0.1:1", "--token", "t"]
    assert parser.parse_args(adapter).adapter_command == "serve"
