"""nuki-sim: a faithful fake Nuki Web cloud for testing smart-lock integrations."""

from __future__ import annotations

from simulator.domain.clock import Clock, SystemClock, VirtualClock
from simulator.domain.config import SimConfig
from simulator.domain.errors import SimError
from simulator.domain.world import World
from simulator.http.app import create_app
from simulator.http.server import RunningSimulator, start_simulator

__all__ = [
    "Clock",
    "RunningSimulator",
    "SimConfig",
    "SimError",
    "SystemClock",
    "VirtualClock",
    "World",
    "create_app",
    "start_simulator",
]
__version__ = "0.1.0"
