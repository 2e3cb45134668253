"""``nuki-sim serve``: start the simulator on a seeded demo world.

:func:`add_parser` and :func:`run` hook ``serve`` into the ``nuki-sim`` program
(:mod:`nuki_sim.cli`, which adds the adapter's commands beside it); :func:`main` runs
``serve`` alone (``python -m nuki_sim.simulator serve ...``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from nuki_sim.simulator.domain.clock import Clock, SystemClock, VirtualClock, parse_instant
from nuki_sim.simulator.domain.config import BOUNDS, PROFILES, SimConfig
from nuki_sim.simulator.domain.webhooks import is_loopback_host
from nuki_sim.simulator.http import dashboard
from nuki_sim.simulator.http.keys import CONTROL_TOKEN
from nuki_sim.simulator.http.server import (
    DEFAULT_START,
    RunningSimulator,
    StateFileError,
    start_simulator,
)
from nuki_sim.simulator.http.serving import until_stopped
from nuki_sim.simulator.version import package_version

DESCRIPTION = "A faithful fake Nuki Web cloud for integration tests."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nuki-sim", description=DESCRIPTION)
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` to ``nuki-sim``'s subcommands."""
    serve = commands.add_parser("serve", help="start the simulator on a seeded demo world")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    serve.add_argument("--seed", type=int, default=0, help="seed of the demo world (default 0)")
    serve.add_argument("--locks", type=int, default=3, help="number of demo locks (default 3)")
    serve.add_argument("--token", help="use this API token instead of a generated one")
    serve.add_argument(
        "--clock",
        choices=("system", "virtual"),
        default="system",
        help="system: follows the wall clock; virtual: moves only when told",
    )
    serve.add_argument(
        "--start", type=_instant, help="start instant of the virtual clock (ISO-8601, UTC)"
    )
    serve.add_argument(
        "--state",
        metavar="FILE",
        help="restore the world from FILE at start (if it exists); every acknowledged write "
        "is saved there before it is answered, so it survives even kill -9",
    )
    serve.add_argument(
        "--control",
        choices=("on", "off"),
        default="on",
        help="serve the /_sim control plane (default on)",
    )
    serve.add_argument(
        "--control-token", metavar="T", help="require 'Authorization: Bearer T' on /_sim"
    )
    serve.add_argument(
        "--profile",
        choices=PROFILES,
        default="seed",
        help="seed: API changes are listed at the lock's daily sync (the specification of "
        "record, default); nuki-docs: listed --propagation-seconds after the lock applied "
        "them, DEVICE_AUTHS then, duplicates of pending codes refused at once "
        "(docs/behaviour.md#profiles)",
    )
    low, high = BOUNDS["propagation_seconds"][1:]
    serve.add_argument(
        "--propagation-seconds",
        type=float,
        metavar="S",
        default=SimConfig.propagation_seconds,
        help=f"nuki-docs: simulated seconds from the lock applying a change to the cloud "
        f"listing it ({low:g} to {high:g}, default %(default)g)",
    )
    serve.add_argument(
        "--webhook-allow-private",
        action="store_true",
        help="accept webhook URLs on private/link-local addresses (see docs/security.md)",
    )


def _header_safe(token: str) -> bool:
    """A token that can travel in ``Authorization: Bearer <token>`` and print on one line."""
    return 0 < len(token) <= 512 and token.isascii() and token.isprintable() and " " not in token


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 instant: {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``serve`` until SIGINT/SIGTERM; the exit code."""
    if args.locks < 0:
        print("nuki-sim: --locks must be 0 or more", file=sys.stderr)
        return 2
    for flag, value in (("--token", args.token), ("--control-token", args.control_token)):
        if value is not None and not _header_safe(value):
            print(f"nuki-sim: {flag} is 1 to 512 printable ASCII characters without spaces",
                  file=sys.stderr)  # fmt: skip
            return 2
    if args.start is not None and args.clock != "virtual":
        print("nuki-sim: --start sets the virtual clock; add --clock virtual", file=sys.stderr)
        return 2
    try:
        args.config = SimConfig(
            profile=args.profile,
            propagation_seconds=args.propagation_seconds,
            webhook_allow_private=args.webhook_allow_private,
        )
    except ValueError as exc:  # the setting's own check names it: "propagation_seconds must…"
        print(f"nuki-sim: --{str(exc).replace('_', '-')}", file=sys.stderr)
        return 2
    clock: Clock = (
        VirtualClock(args.start or DEFAULT_START) if args.clock == "virtual" else SystemClock()
    )
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_serve(args, clock))
    return 0


async def _serve(args: argparse.Namespace, clock: Clock) -> int:
    try:
        sim = await start_simulator(
            seed=args.seed, locks=args.locks, clock=clock, host=args.host, port=args.port,
            token=args.token, control_plane=args.control == "on",
            control_token=args.control_token, state_file=args.state,
            config=args.config,
        )  # fmt: skip
    except StateFileError as exc:
        print(f"nuki-sim: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"nuki-sim: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        return 1
    print(banner(sim), flush=True)
    try:
        await until_stopped()
    finally:
        await sim.close()
        print("nuki-sim: stopped", flush=True)
    return 0


def control_line(sim: RunningSimulator) -> str:
    app = sim.runner.app
    if not any(
        r.resource and r.resource.canonical.startswith("/_sim") for r in app.router.routes()
    ):
        return "off"
    guarded = " (needs its control token)" if app[CONTROL_TOKEN] else ""
    return f"{sim.url}/_sim{guarded}"


def exposure_warning(host: str, *, control_plane: bool, control_token: bool) -> str | None:
    """The banner's warning when ``/_sim`` is open to the network, else None.

    A snapshot from ``/_sim/snapshot`` holds every token and webhook secret, and
    ``/_sim/restore`` replaces the world: off loopback, without a control token, anyone who
    can reach the port owns the simulator (docs/security.md).
    """
    if is_loopback_host(host) or not control_plane or control_token:
        return None
    return (
        f"  WARNING   : bound to {host} with an OPEN control plane: anyone who can reach this\n"
        "              port can read every token and secret (/_sim/snapshot) and replace the\n"
        "              world. Add --control-token T or --control off (see docs/security.md)."
    )


def _shown(text: str) -> str:
    """Text for the terminal: control characters escaped (a name must not rewrite it)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def profile_line(config: SimConfig) -> str:
    """The banner's profile line: which cloud behaviour this world follows."""
    if config.profile == "nuki-docs":
        return (
            f"nuki-docs (API changes listed {config.propagation_seconds:g} s after the lock "
            "applied them)"
        )
    return "seed (API changes listed at the lock's daily sync)"


def banner(sim: RunningSimulator) -> str:
    app = sim.runner.app
    warning = exposure_warning(
        urlsplit(sim.url).hostname or "",
        control_plane=control_line(sim) != "off",
        control_token=bool(app[CONTROL_TOKEN]),
    )
    lines = [
        f"nuki-sim serving a demo world (seed {sim.world.seed}) on {sim.url}",
        f"  API token : {sim.token}",
        f"  apiKeyId  : {sim.demo.token.api_key_id} (for /api/key/{{apiKeyId}}/webhook/logs)",
        f"  clock     : {sim.world.clock!r}",
        f"  profile   : {profile_line(sim.world.config)}",
        f"  try       : curl -H 'Authorization: Bearer {sim.token}' {sim.url}/smartlock",
        f"  OpenAPI   : {sim.url}/openapi.json",
        f"  version   : {package_version()}",
        f"  control   : {control_line(sim)}",
        f"  dashboard : {dashboard.banner_line(sim.runner.app, sim.url, sim.token)}",
        "  locks     :",
    ]
    for lock in sim.demo.locks:
        keypad = "keypad" if lock.device.keypad_paired else "no keypad"
        lines.append(
            f"    {lock.smartlock_id}  {_shown(lock.name)} ({keypad}, {lock.device.timezone})"
        )
    if warning:  # last but one: the line a user reads before going on
        lines.append(warning)
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)
