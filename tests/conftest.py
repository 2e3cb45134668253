"""Shared fixtures: a simulator on a real socket and a client that talks to it over HTTP."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

os.environ["TZ"] = "UTC"
pytest_plugins = ["pytester"]  # tests/kit runs the conformance kit in-process


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
