"""Start a simulator inside a running event loop: for Python tests and the CLI."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from simulator.domain import snapshot
from simulator.domain.clock import Clock, VirtualClock
from simulator.domain.config import SimConfig
from simulator.domain.control import SimControl
from simulator.domain.demo import Demo, build_demo, demo_of
from simulator.domain.errors import SimError
from simulator.domain.world import World
from simulator.http.app import create_app
from simulator.http.freeze_guard import check_loop_clock

DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday morning, before any DST change


class StateFileError(Exception):
    """The ``--state`` file exists but cannot be restored (unreadable, not a snapshot)."""


@dataclass
class RunningSimulator:
    """A simulator listening on a real socket: its base URL, demo token and world."""

    url: str
    world: World
    control: SimControl
    runner: web.AppRunner
    state_file: Path | None = None

    @property
    def demo(self) -> Demo:
        """The demo account, token and locks as the world holds them now (also after a
        restore, a reset or a resumed ``--state`` file)."""
        return demo_of(self.world)

    @property
    def token(self) -> str:
        return self.demo.token.token

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    async def close(self) -> None:
        """Stop serving; with a state file, save the world to it first (nothing is lost)."""
        await self.runner.cleanup()
        if self.state_file is not None:
            save_state(self.world, self.state_file)

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
    control_plane: bool = True,
    control_token: str | None = None,
    state_file: Path | str | None = None,
) -> RunningSimulator:
    """Start a simulator on ``host:port`` (0 picks a free port) in the running loop.

    Without a clock it runs on a :class:`VirtualClock` at :data:`DEFAULT_START`, so a test
    is deterministic and time moves only when the test moves it. With ``state_file``, an
    existing file is restored at start and the world is saved there on :meth:`close`.
    """
    check_loop_clock()
    world = World(clock or VirtualClock(DEFAULT_START), seed=seed, config=config)
    build_demo(world, locks=locks, token=token)
    path = Path(state_file) if state_file is not None else None
    if path is not None and path.exists():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StateFileError(f"cannot read the state file {path}: {exc}") from None
        try:
            snapshot.restore(world, saved)
        except SimError as exc:
            raise StateFileError(f"cannot restore the state file {path}: {exc.message}") from None
    control = SimControl(world)
    app = create_app(
        world, control=control, control_plane=control_plane, control_token=control_token
    )
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        site = web.SockSite(runner, sock)
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return RunningSimulator(f"http://{shown}:{bound}", world, control, runner, path)


def save_state(world: World, path: Path) -> None:
    """Write the world to ``path`` atomically (a crash mid-write keeps the old file)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(snapshot.snapshot(world)), encoding="utf-8")
    partial.replace(path)
