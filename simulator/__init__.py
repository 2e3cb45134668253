"""nuki-sim: a faithful fake Nuki Web cloud for testing smart-lock integrations.

The names below load on first use (PEP 562), so that importing a submodule — the pytest
plugin in every session, the domain core in a test — does not start aiohttp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nuki_sim.simulator.domain.clock import Clock, SystemClock, VirtualClock
    from nuki_sim.simulator.domain.config import SimConfig
    from nuki_sim.simulator.domain.errors import SimError
    from nuki_sim.simulator.domain.world import World
    from nuki_sim.simulator.http.app import create_app
    from nuki_sim.simulator.http.server import RunningSimulator, start_simulator

_HOMES = {
    "Clock": "nuki_sim.simulator.domain.clock",
    "RunningSimulator": "nuki_sim.simulator.http.server",
    "SimConfig": "nuki_sim.simulator.domain.config",
    "SimError": "nuki_sim.simulator.domain.errors",
    "SystemClock": "nuki_sim.simulator.domain.clock",
    "VirtualClock": "nuki_sim.simulator.domain.clock",
    "World": "nuki_sim.simulator.domain.world",
    "create_app": "nuki_sim.simulator.http.app",
    "start_simulator": "nuki_sim.simulator.http.server",
}
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


def __getattr__(name: str) -> Any:
    if name == "__version__":  # written once, in pyproject.toml
        from nuki_sim.simulator.version import package_version

        return package_version()
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
