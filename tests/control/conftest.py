"""Fixtures of the control-plane tests."""

from __future__ import annotations

import aiohttp
import pytest

from nuki_sim.simulator.http.server import RunningSimulator
from tests.control.support import ControlClient


@pytest.fixture
def control(nuki_sim: RunningSimulator, http: aiohttp.ClientSession) -> ControlClient:
    """A client for the simulator's ``/_sim`` routes (no token: the plane is unguarded)."""
    return ControlClient(http, nuki_sim.url, None)
