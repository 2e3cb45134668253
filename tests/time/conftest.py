"""The ``rig`` fixture: every time test runs on the virtual clock and under freezegun.

* ``virtual``: the ``nuki_sim`` fixture (a virtual clock at 2026-01-05T09:00Z), moved with
  ``POST /_sim/clock/advance``;
* ``freezegun``: a simulator on the system clock inside
  ``freeze_time("2026-01-05 09:00:00", real_asyncio=True)``, moved with ``frozen.tick()``;
  nothing else nudges it: each request catches the simulator's scheduler up to now.

Both honour ``@pytest.mark.nuki_sim(...)`` options (``config``, ``seed``...).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from freezegun import freeze_time

from nuki_sim.simulator.domain.clock import SystemClock
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator
from nuki_sim.simulator.pytest_plugin import PROFILE_OPTION, simulator_options
from tests.time.helpers import FREEZE_AT, Rig, frozen_rig, virtual_rig


def marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The marker's options as the ``nuki_sim`` fixture reads them (``profile=`` included)."""
    marker = request.node.get_closest_marker("nuki_sim")
    return simulator_options(
        dict(marker.kwargs) if marker else {}, request.config.getoption(PROFILE_OPTION)
    )


@pytest_asyncio.fixture
async def frozen_sim(request: pytest.FixtureRequest) -> AsyncIterator[tuple[RunningSimulator, Any]]:
    """A simulator on the system clock with time frozen (the event loop keeps real time)."""
    with freeze_time(FREEZE_AT, real_asyncio=True) as frozen:
        sim = await start_simulator(clock=SystemClock(), **marker_options(request))
        try:
            yield sim, frozen
        finally:
            await sim.close()


@pytest_asyncio.fixture
async def more_sims() -> AsyncIterator[list[RunningSimulator]]:
    """Simulators a test starts besides its own; all are closed after the test."""
    started: list[RunningSimulator] = []
    yield started
    for sim in started:
        await sim.close()


@pytest.fixture(params=["virtual", "freezegun"])
def rig(
    request: pytest.FixtureRequest,
    http: aiohttp.ClientSession,
    more_sims: list[RunningSimulator],
) -> Rig:
    """One simulator, steered over HTTP, with time moved the way the mode moves it."""
    if request.param == "virtual":
        return virtual_rig(request.getfixturevalue("nuki_sim"), http, more_sims)
    sim, frozen = request.getfixturevalue("frozen_sim")
    return frozen_rig(sim, frozen, http, more_sims)
