"""``nuki-sim``: the simulator's ``serve`` and the adapter's ``adapter serve`` in one program.

The simulator and the reference adapter never import each other (the adapter is only an
HTTP client of a Nuki Web, simulated or not); this module, above both, is where their
commands meet. ``python -m nuki_sim`` runs it too.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from nuki_sim.adapters import cli as adapter_cli
from nuki_sim.simulator import cli as simulator_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nuki-sim", description=simulator_cli.DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    simulator_cli.add_parser(commands)
    adapter_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "adapter":
        return adapter_cli.run(args)
    return simulator_cli.run(args)
