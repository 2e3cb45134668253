"""Start a simulator inside a running event loop: for Python tests and the CLI."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.clock import Clock, VirtualClock
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.demo import Demo, build_demo, demo_of
from nuki_sim.simulator.domain.webhooks import is_loopback_host
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.app import create_app
from nuki_sim.simulator.http.durability import StateFile
from nuki_sim.simulator.http.freeze_guard import check_loop_clock
from nuki_sim.simulator.http.keys import BODY_TIMEOUT
from nuki_sim.simulator.http.limits import (
    HEADER_TIMEOUT_SECONDS,
    SHUTDOWN_SECONDS,
    CappedSite,
    default_max_connections,
    quiet_fd_exhaustion,
)

DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday morning, before any DST change


class StateFileError(Exception):
    """The ``--state`` file cannot be used: its directory is missing, it is unreadable or
    unwritable, or it is not a valid snapshot. The message is one line naming the cause."""


@dataclass
class RunningSimulator:
    """A simulator listening on a real socket: its base URL, demo token and world."""

    url: str
    world: World
    control: SimControl
    runner: web.AppRunner
    state: StateFile | None = None

    @property
    def state_file(self) -> Path | None:
        return self.state.path if self.state is not None else None

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
        """Stop serving (requests still running get :data:`SHUTDOWN_SECONDS`, then are
        cancelled), then save the world to the state file if there is one."""
        try:
            await self.runner.cleanup()
        finally:  # a failure while stopping must not cost the final save
            if self.state is not None:
                await self.state.close()

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
    header_timeout: float = HEADER_TIMEOUT_SECONDS,
    max_connections: int | None = None,
) -> RunningSimulator:
    """Start a simulator on ``host:port`` (0 picks a free port) in the running loop.

    Without a clock it runs on a :class:`VirtualClock` at :data:`DEFAULT_START`, so a test
    is deterministic and time moves only when the test moves it. With ``state_file``, an
    existing file is restored at start and every acknowledged write is saved there before
    it is answered (see :mod:`nuki_sim.simulator.http.durability`). A connection that has not sent
    a whole request head within ``header_timeout`` seconds (or sits idle that long) is
    closed; beyond ``max_connections`` open connections a new one is answered 503 and closed.
    """
    check_loop_clock()
    if not isinstance(config, SimConfig | None):
        raise TypeError(f"config must be a SimConfig, got {type(config).__name__}")
    world = World(clock or VirtualClock(DEFAULT_START), seed=seed, config=config)
    # Off loopback the seeded tokens (printed in the docs) would be a known password.
    world.random_secrets = not is_loopback_host(host)
    build_demo(world, locks=locks, token=token)
    state = open_state(world, Path(state_file)) if state_file is not None else None
    control = SimControl(world)
    app = create_app(
        world, control=control, control_plane=control_plane, control_token=control_token
    )
    app[BODY_TIMEOUT] = header_timeout  # a slow body is as bad as a slow head
    if state is not None:
        app.middlewares.append(state.middleware)  # innermost: sees every applied write
        app.cleanup_ctx.append(state.saver)
    runner = web.AppRunner(
        app, access_log=None, handle_signals=False,
        shutdown_timeout=SHUTDOWN_SECONDS, keepalive_timeout=header_timeout,
    )  # fmt: skip
    await runner.setup()
    try:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        cap = max_connections if max_connections is not None else default_max_connections()
        site = CappedSite(runner, sock, max_connections=cap)
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    quiet_fd_exhaustion()
    bound = sock.getsockname()[1]
    world.own_ports.add(bound)  # no webhook may be sent back to the simulator itself
    shown = f"[{host}]" if ":" in host else host
    return RunningSimulator(f"http://{shown}:{bound}", world, control, runner, state)


def open_state(world: World, path: Path) -> StateFile:
    """Restore ``world`` from ``path`` if it exists, then save it there at once: a missing
    directory, an unreadable, unwritable or damaged file fails now, with one line, rather
    than at the first write or at exit."""
    if not path.parent.is_dir():
        raise StateFileError(f"state file {path}: the directory {path.parent} does not exist")
    if path.exists():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise StateFileError(f"state file {path}: cannot read it: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise StateFileError(f"state file {path}: not UTF-8 text") from None
        except RecursionError:
            raise StateFileError(f"state file {path}: nested too deeply") from None
        except ValueError as exc:
            raise StateFileError(f"state file {path}: not JSON ({exc})") from None
        try:
            world.load(snapshot.check(saved))
        except snapshot.Damaged as exc:
            raise StateFileError(f"state file {path}: {exc}") from None
    state = StateFile(world, path)
    try:
        state.save_now()
    except OSError as exc:
        raise StateFileError(f"state file {path}: cannot write it: {exc.strerror}") from None
    return state


def save_state(world: World, path: Path) -> None:
    """Write the world to ``path`` atomically and durably (a crash keeps the old file)."""
    StateFile(world, path).save_now()
