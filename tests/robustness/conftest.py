"""Fixtures of the robustness tests: a simulator serving from its own thread.

Schemathesis sends its requests with ``requests`` (blocking), so the simulator it talks to
cannot share the test's event loop: :class:`ThreadedSimulator` runs one on a private loop in
a daemon thread and lets the test touch the world only through that loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from nuki_sim.simulator.http.journal import JOURNAL, Journal
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator

T = TypeVar("T")
STARTUP_TIMEOUT = 30.0


class ThreadedSimulator:
    """A real simulator on 127.0.0.1 whose event loop runs in a background thread."""

    def __init__(self, **options: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sim: RunningSimulator = self._await(start_simulator(**options))

    def _await(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(STARTUP_TIMEOUT)

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the simulator's loop (between requests, never during one)."""

        async def run() -> T:
            return fn()

        return self._await(run())

    @property
    def url(self) -> str:
        return self.sim.url

    @property
    def journal(self) -> Journal:
        return self.sim.runner.app[JOURNAL]

    def close(self) -> None:
        self._await(self.sim.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(STARTUP_TIMEOUT)
        self.loop.close()


@pytest.fixture
def threaded_sim() -> Iterator[ThreadedSimulator]:
    """A fresh demo simulator (seed 0, three locks, virtual clock) in a background thread."""
    server = ThreadedSimulator()
    try:
        yield server
    finally:
        server.close()
