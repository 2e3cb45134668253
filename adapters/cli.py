"""``nuki-sim adapter serve``: the trait adapter as a JSON service, until Ctrl-C.

Hooked into ``nuki-sim`` by :func:`add_parser` (the subcommand) and :func:`run` (its
dispatch); ``python -m nuki_sim.adapters.cli serve ...`` works too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import signal
import sys
from collections.abc import Sequence

import aiohttp

from nuki_sim.adapters.nuki.client import NukiError, NukiUnavailable
from nuki_sim.adapters.service import AdapterService, start_adapter_service

DEFAULT_PORT = 8090
BANNER_END = "Press Ctrl-C to stop."


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``adapter serve`` to ``nuki-sim``'s subcommands."""
    adapter = commands.add_parser(
        "adapter", help="serve the reference trait adapter as JSON over HTTP"
    )
    verbs = adapter.add_subparsers(dest="adapter_command", required=True)
    serve = verbs.add_parser(
        "serve",
        help="serve the trait adapter for a Nuki Web (or a simulator) as JSON over HTTP",
        description="Serve the reference trait adapter for the Nuki Web API at --nuki-url "
        "as a JSON service; Nuki's webhooks arrive at <public URL>/nuki/webhook.",
    )
    serve.add_argument("--nuki-url", required=True, help="Nuki Web base URL (a simulator's URL)")
    serve.add_argument("--token", required=True, help="Nuki Web API token")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any)"
    )
    serve.add_argument(
        "--public-url",
        help="the URL Nuki reaches this service at (default: http://HOST:PORT); "
        "webhooks are subscribed at PUBLIC_URL/nuki/webhook",
    )
    serve.add_argument(
        "--callback-url",
        action="append",
        default=[],
        metavar="URL",
        help="POST every event to URL as JSON (repeatable)",
    )
    serve.add_argument(
        "--seed",
        type=int,
        help="seed of the action ids, for reproducible runs (default: a fresh random seed, "
        "so ids do not repeat across restarts)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nuki-sim")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``adapter serve`` until SIGINT/SIGTERM; the exit code."""
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_serve(args))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run(build_parser().parse_args(["adapter", *(sys.argv[1:] if argv is None else argv)]))


async def _serve(args: argparse.Namespace) -> int:
    try:
        service = await start_adapter_service(
            args.nuki_url, args.token, host=args.host, port=args.port,
            public_url=args.public_url, callback_urls=args.callback_url,
            seed=secrets.randbits(64) if args.seed is None else args.seed,
        )  # fmt: skip
    except OSError as exc:
        print(f"nuki-sim adapter: cannot listen on {args.host}:{args.port}: {exc.strerror}",
              file=sys.stderr)  # fmt: skip
        return 1
    except NukiError as exc:
        print(f"nuki-sim adapter: Nuki Web refused to start: {exc}", file=sys.stderr)
        return 1
    except (NukiUnavailable, aiohttp.ClientError, ValueError) as exc:
        print(f"nuki-sim adapter: cannot reach Nuki Web at {args.nuki_url}: {exc}",
              file=sys.stderr)  # fmt: skip
        return 1
    print(banner(service, args.nuki_url), flush=True)
    try:
        await until_stopped()
    finally:
        await service.close()
        print("nuki-sim adapter: stopped", flush=True)
    return 0


def banner(service: AdapterService, nuki_url: str) -> str:
    devices = service.adapter.records.values()
    callbacks = ", ".join(service.callbacks.callbacks) or "none"
    lines = [
        f"nuki-sim adapter serving {len(devices)} devices on {service.url}",
        f"  Nuki Web  : {nuki_url}",
        f"  webhooks  : {service.webhook_url}",
        f"  callbacks : {callbacks}",
        f"  try       : curl {service.url}/devices",
        "  devices   :",
    ]
    for record in devices:
        lines.append(f"    {record.device.id}  {record.device.display_name}")
    lines.append(BANNER_END)
    return "\n".join(lines)


async def until_stopped() -> None:
    """Wait for SIGINT (Ctrl-C) or SIGTERM, then return so the caller can close cleanly.

    The simulator's CLI has the same ten lines: the adapter shares nothing with it but HTTP.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


if __name__ == "__main__":
    raise SystemExit(main())
