"""A pytest plugin (entry point ``nuki_sim``): a simulator per test, on a real socket.

``nuki_sim`` is an async fixture (it needs pytest-asyncio or pytest-aiohttp, which the
``test`` extra installs): it starts the seeded demo world on 127.0.0.1 with a virtual clock,
yields a :class:`~nuki_sim.simulator.http.server.RunningSimulator` and closes it after the test.

``@pytest.mark.nuki_sim(...)`` passes options on to ``start_simulator`` (``seed``, ``locks``,
``config``, ...); ``profile="nuki-docs"`` and ``propagation_seconds=...`` are settings of the
config, taken as options of their own for brevity. ``pytest --nuki-sim-profile nuki-docs``
makes that profile the default of every test that does not choose one (run a suite once per
profile to check an integration holds under both).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # loaded by the fixture: every pytest session imports this module
    from nuki_sim.simulator.http.server import RunningSimulator

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the fixture is only offered with pytest-asyncio
    HAVE_ASYNCIO_PLUGIN = False
else:
    HAVE_ASYNCIO_PLUGIN = True

SETTINGS = ("profile", "propagation_seconds")
"""Settings of ``SimConfig`` the marker takes directly: ``nuki_sim(profile="nuki-docs")``."""
PROFILE_OPTION = "--nuki-sim-profile"


def simulator_options(
    marker_options: dict[str, Any], default_profile: str | None = None
) -> dict[str, Any]:
    """The marker's options as ``start_simulator`` takes them: ``config={...}`` made a
    ``SimConfig``, ``profile``/``propagation_seconds`` folded into it, and ``default_profile``
    (the command line's) in place of the default ``seed`` (a marker's ``profile="seed"``
    keeps a test on seed whatever the command line says).

    Raises TypeError or ValueError naming the bad option."""
    from nuki_sim.simulator.domain.config import SimConfig

    options = dict(marker_options)
    settings = {name: options.pop(name) for name in SETTINGS if name in options}
    config = options.get("config")
    if isinstance(config, dict):  # config={"push_delay": 0} works too
        config = options["config"] = SimConfig(**config)
    chosen = config.profile if isinstance(config, SimConfig) else "seed"
    if default_profile not in (None, chosen) and chosen == "seed" and "profile" not in settings:
        settings["profile"] = default_profile  # in place of the default only: a choice stays
    if settings:
        if config is None:
            config = SimConfig()
        if not isinstance(config, SimConfig):
            raise TypeError(f"config must be a SimConfig, got {type(config).__name__}")
        options["config"] = config.replace(**settings)
    return options


if HAVE_ASYNCIO_PLUGIN:

    @pytest_asyncio.fixture
    async def nuki_sim(request: pytest.FixtureRequest) -> AsyncIterator[RunningSimulator]:
        """A fresh simulator (seed 0, three demo locks, virtual clock) for one test."""
        from nuki_sim.simulator.http.server import start_simulator

        marker = request.node.get_closest_marker("nuki_sim")
        try:
            options = simulator_options(
                dict(marker.kwargs) if marker else {}, request.config.getoption(PROFILE_OPTION)
            )
            sim = await start_simulator(**options)
        except (TypeError, ValueError) as exc:  # one line naming the bad option, no traceback
            pytest.fail(f"@pytest.mark.nuki_sim: {exc}", pytrace=False)
        try:
            yield sim
        finally:
            await sim.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("nuki-sim").addoption(
        PROFILE_OPTION,
        choices=("seed", "nuki-docs"),
        default=None,
        help="profile of every nuki_sim fixture whose marker does not choose one "
        "(default: seed, the specification of record)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "nuki_sim(**options): options for the nuki_sim fixture (seed, locks, clock, config, "
        "profile, propagation_seconds)",
    )
