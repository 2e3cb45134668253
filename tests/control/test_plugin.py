"""The ``nuki_sim`` pytest plugin: a working simulator per test, options from the marker."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.server import DEFAULT_START, RunningSimulator
from tests.client import ApiClient

pytest_plugins = ["pytester"]

MARKED_SEED = 5
MARKED_LOCKS = 7
DEFAULT_LOCKS = 3
INNER_TESTS = 4
INNER_INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""

REVERSE_ORDER = """
def pytest_collection_modifyitems(items):
    items.reverse()
"""

INNER_FILE = """
import aiohttp
import pytest
from datetime import timedelta

from nuki_sim.simulator.http.server import DEFAULT_START

SEEN = []


async def test_fixture_serves_the_demo(nuki_sim):
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bearer {nuki_sim.token}"}
        async with http.get(nuki_sim.url + "/smartlock", headers=headers) as reply:
            assert reply.status == 200
            assert len(await reply.json()) == 3


@pytest.mark.nuki_sim(seed=5, locks=7)
async def test_marker_is_honoured(nuki_sim):
    assert nuki_sim.world.seed == 5
    assert len(nuki_sim.world.locks) == 7


async def _fresh_then_changed(nuki_sim):
    # Whichever of the two tests below runs second sees whether the first one's change leaked.
    for account_id, url in SEEN:
        assert account_id not in nuki_sim.world.accounts, f"the world of {url} leaked"
    assert nuki_sim.world.now() == DEFAULT_START
    async with aiohttp.ClientSession() as http:
        async with http.get(nuki_sim.url + "/_sim/clock") as reply:
            assert (await reply.json())["now"].startswith("2026-01-05T09:00:00")
    account = nuki_sim.world.add_account(email="extra@example.com", name="Extra")
    nuki_sim.world.advance(timedelta(days=1))
    SEEN.append((account.account_id, nuki_sim.url))


async def test_one_world_is_fresh_then_changed(nuki_sim):
    await _fresh_then_changed(nuki_sim)


async def test_another_world_is_fresh_then_changed(nuki_sim):
    await _fresh_then_changed(nuki_sim)
"""


@pytest.mark.parametrize("reverse", [False, True], ids=["file-order", "reversed"])
def test_inner_suite_using_the_fixture_passes(pytester: pytest.Pytester, reverse: bool):
    """A test file using nuki_sim (marker, two independent worlds) passes in its own pytest run,
    in file order and reversed: no test depends on another having run first."""
    pytester.makeini(INNER_INI)
    pytester.makepyfile(test_inner=INNER_FILE)
    if reverse:
        pytester.makeconftest(REVERSE_ORDER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=INNER_TESTS)


def test_inner_suite_can_fail(pytester: pytest.Pytester):
    """The same run reports one failure (in any order) when a test does see another's change."""
    broken = INNER_FILE.replace("assert account_id not in", "assert account_id in")
    pytester.makeini(INNER_INI)
    pytester.makepyfile(test_inner=broken)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=INNER_TESTS - 1, failed=1)


async def test_fixture_gives_a_working_simulator(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession
):
    """Unmarked: seed 0, three demo locks, a virtual clock at DEFAULT_START, answering over HTTP."""
    reply = await ApiClient(http, nuki_sim.url, nuki_sim.token).get("/smartlock")
    assert reply.status == 200
    assert len(reply.body) == DEFAULT_LOCKS
    assert nuki_sim.world.seed == 0
    assert isinstance(nuki_sim.world.clock, VirtualClock)
    assert nuki_sim.world.now() == DEFAULT_START


@pytest.mark.nuki_sim(seed=MARKED_SEED, locks=MARKED_LOCKS)
async def test_marker_options_are_honoured(nuki_sim: RunningSimulator, http: aiohttp.ClientSession):
    """@pytest.mark.nuki_sim(seed=5, locks=7) gives the demo world that seed and lock count build."""
    expected = World(VirtualClock(datetime(2026, 1, 5, 9, tzinfo=UTC)), seed=MARKED_SEED)
    demo = build_demo(expected, locks=MARKED_LOCKS)
    reply = await ApiClient(http, nuki_sim.url, nuki_sim.token).get("/smartlock")
    assert reply.status == 200
    assert [lock["smartlockId"] for lock in reply.body] == [lk.smartlock_id for lk in demo.locks]
    assert nuki_sim.token == demo.token.token
