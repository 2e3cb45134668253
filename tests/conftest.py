"""Shared fixtures: a simulator on a real socket and a client that talks to it over HTTP."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import AsyncIterator
from types import FrameType

import aiohttp
import freezegun
import pytest
import pytest_asyncio

from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

os.environ["TZ"] = "UTC"
pytest_plugins = ["pytester"]  # tests/kit runs the conformance kit in-process
# pytest's own clock stays real under freezegun, so --durations tells the truth about the
# freezegun-mode tests (it reported decades) and the slowest tests can be found.
freezegun.configure(extend_ignore_list=["_pytest.timing"])


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


# Ctrl-C still raises KeyboardInterrupt. With SIGINT left at default_int_handler, every
# asyncio.Runner.run (each kit step, each async test) swaps in its own handler and back, and
# Python 3.11 formats the running task's repr twice doing it: about a twentieth of a kit run.
if (
    threading.current_thread() is threading.main_thread()
    and signal.getsignal(signal.SIGINT) is signal.default_int_handler
):
    signal.signal(signal.SIGINT, _interrupt)


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def api(nuki_sim: RunningSimulator, http: aiohttp.ClientSession) -> ApiClient:
    """A client holding the demo account's full-scope token."""
    return ApiClient(http, nuki_sim.url, nuki_sim.token)


@pytest.fixture
def keypad_lock(nuki_sim: RunningSimulator) -> Lock:
    """The demo's first lock: online, with a keypad."""
    return nuki_sim.demo.locks[0]


@pytest.fixture
def bare_lock(nuki_sim: RunningSimulator) -> Lock:
    """The demo's second lock: online, no keypad paired."""
    return nuki_sim.demo.locks[1]
