"""A pytest plugin (entry point ``nuki_sim``): a simulator per test, on a real socket.

``nuki_sim`` is an async fixture (it needs pytest-asyncio or pytest-aiohttp, which the
``test`` extra installs): it starts the seeded demo world on 127.0.0.1 with a virtual clock,
yields a :class:`~nuki_sim.simulator.http.server.RunningSimulator` and closes it after the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # loaded by the fixture: every pytest session imports this module
    from nuki_sim.simulator.http.server import RunningSimulator

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the fixture is only offered with pytest-asyncio
    HAVE_ASYNCIO_PLUGIN = False
else:
    HAVE_ASYNCIO_PLUGIN = True

if HAVE_ASYNCIO_PLUGIN:

    @pytest_asyncio.fixture
    async def nuki_sim(request: pytest.FixtureRequest) -> AsyncIterator[RunningSimulator]:
        """A fresh simulator (seed 0, three demo locks, virtual clock) for one test."""
        from nuki_sim.simulator.domain.config import SimConfig
        from nuki_sim.simulator.http.server import start_simulator

        marker = request.node.get_closest_marker("nuki_sim")
        options = dict(marker.kwargs) if marker else {}
        try:
            if isinstance(options.get("config"), dict):  # config={"push_delay": 0} works too
                options["config"] = SimConfig(**options["config"])
            sim = await start_simulator(**options)
        except (TypeError, ValueError) as exc:  # one line naming the bad option, no traceback
            pytest.fail(f"@pytest.mark.nuki_sim: {exc}", pytrace=False)
        try:
            yield sim
        finally:
            await sim.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "nuki_sim(**options): options for the nuki_sim fixture (seed, locks, clock, config)",
    )
