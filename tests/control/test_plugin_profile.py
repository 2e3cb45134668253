"""The pytest plugin and the profiles: ``@pytest.mark.nuki_sim(profile=...)`` and the
``--nuki-sim-profile`` option, which changes the default and leaves a test's choice alone."""

from __future__ import annotations

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import RunningSimulator
from nuki_sim.simulator.pytest_plugin import simulator_options
from tests.control.test_plugin import INNER_INI

pytest_plugins = ["pytester"]

INNER = """
import pytest
from nuki_sim.simulator.domain.config import SimConfig


async def test_unmarked(nuki_sim):
    print("unmarked", nuki_sim.world.config.profile)


@pytest.mark.nuki_sim(profile="seed")
async def test_pinned_to_seed(nuki_sim):
    assert nuki_sim.world.config.profile == "seed"


@pytest.mark.nuki_sim(config=SimConfig(profile="nuki-docs", push_delay=1))
async def test_config_chooses_nuki_docs(nuki_sim):
    assert nuki_sim.world.config.profile == "nuki-docs"


@pytest.mark.nuki_sim(config={"max_keypad_codes": 2})
async def test_config_dict_without_a_profile(nuki_sim):
    print("dict", nuki_sim.world.config.profile, nuki_sim.world.config.max_keypad_codes)
"""


@pytest.mark.nuki_sim(profile="nuki-docs", propagation_seconds=12.5)
async def test_the_marker_takes_the_profile(nuki_sim: RunningSimulator):
    assert nuki_sim.world.config.profile == "nuki-docs"
    assert nuki_sim.world.config.propagation_seconds == 12.5


@pytest.mark.nuki_sim(profile="nuki-docs", config={"push_delay": 1})
async def test_the_marker_profile_joins_the_config(nuki_sim: RunningSimulator):
    assert (nuki_sim.world.config.profile, nuki_sim.world.config.push_delay) == ("nuki-docs", 1)


@pytest.mark.parametrize("option", [None, "nuki-docs"])
def test_the_command_line_default_replaces_seed_only(pytester: pytest.Pytester, option: str | None):
    pytester.makeini(INNER_INI)
    pytester.makepyfile(test_inner=INNER)
    extra = ["--nuki-sim-profile", option] if option else []
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:randomly", "-s", *extra
    )
    result.assert_outcomes(passed=4)
    expected = option or "seed"
    result.stdout.fnmatch_lines([f"*unmarked {expected}*", f"*dict {expected} 2*"])


def test_a_bad_profile_in_the_marker_names_it(pytester: pytest.Pytester):
    pytester.makeini(INNER_INI)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.nuki_sim(profile="nuki")
        async def test_uses_the_simulator(nuki_sim):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.nuki_sim: profile must be 'seed' or 'nuki-docs', got 'nuki'*"]
    )


def test_options_keep_a_config_that_is_no_simconfig_for_the_start_to_refuse():
    assert simulator_options({"config": 5}) == {"config": 5}
    with pytest.raises(TypeError, match="config must be a SimConfig"):
        simulator_options({"config": 5, "profile": "nuki-docs"})
    assert simulator_options({}, "seed") == {}
    assert simulator_options({}, "nuki-docs") == {"config": SimConfig(profile="nuki-docs")}
