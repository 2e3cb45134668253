"""Start a simulator inside a running event loop: for Python tests and the CLI."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from simulator.domain.clock import Clock, VirtualClock
from simulator.domain.config import SimConfig
from simulator.domain.demo import Demo, build_demo
from simulator.domain.world import World
from simulator.http.app import create_app

DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday morning, before any DST change


@dataclass
class RunningSimulator:
    """A simulator listening on a real socket: its base URL, demo token and world."""

    url: str
    token: str
    world: World
    demo: Demo
    runner: web.AppRunner

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    async def close(self) -> None:
        await self.runner.cleanup()

    async def __aenter__(self) -> RunningSimulator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def start_simulator(
    *,
    seed: int = 0,
    locks: int = 3,
    clock: Clock | None = None,
    config: SimConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
) -> RunningSimulator:
    """Start a simulator on ``host:port`` (0 picks a free port) in the running loop.

    Without a clock it runs on a :class:`VirtualClock` at :data:`DEFAULT_START`, so a test
    is deterministic and time moves only when the test moves it.
    """
    world = World(clock or VirtualClock(DEFAULT_START), seed=seed, config=config)
    demo = build_demo(world, locks=locks, token=token)
    runner = web.AppRunner(create_app(world), access_log=None, handle_signals=False)
    await runner.setup()
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    site = web.SockSite(runner, sock)
    await site.start()
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return RunningSimulator(f"http://{shown}:{bound}", demo.token.token, world, demo, runner)
