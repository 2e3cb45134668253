"""The ``profile`` and ``propagation_seconds`` settings: checked where they are made, kept
in snapshots, and defaulted (``seed``, 30 s) for a file saved before they existed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.config import PROFILES, SimConfig
from nuki_sim.simulator.domain.snapshot import Damaged, check, snapshot
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.server import DEFAULT_START


def encoded(config: SimConfig) -> dict[str, Any]:
    world = World(VirtualClock(DEFAULT_START), seed=1, config=config)
    return json.loads(json.dumps(snapshot(world)))


def config_fields(data: dict[str, Any]) -> dict[str, Any]:
    pair = next(p for p in data["state"]["$dict"] if p[0] == "config")
    fields: dict[str, Any] = pair[1]["f"]
    return fields


def test_the_default_is_the_seed_profile():
    assert PROFILES == ("seed", "nuki-docs")
    assert SimConfig().profile == "seed"
    assert SimConfig().propagation_seconds == 30.0


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("profile", "nuki", "profile must be 'seed' or 'nuki-docs', got 'nuki'"),
        ("profile", None, "profile must be 'seed' or 'nuki-docs', got None"),
        ("propagation_seconds", -1, "propagation_seconds must be a number from 0 to 3600"),
        ("propagation_seconds", 3601, "propagation_seconds must be a number from 0 to 3600"),
        ("propagation_seconds", "30", "propagation_seconds must be a number, got '30'"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(setting: str, value: Any, expected: str):
    with pytest.raises(ValueError, match=expected):
        SimConfig(**{setting: value})
    with pytest.raises(ValueError, match=expected):
        SimConfig().replace(**{setting: value})


def test_a_snapshot_keeps_the_profile_and_delay():
    config = SimConfig(profile="nuki-docs", propagation_seconds=90.5)
    assert check(encoded(config))["config"] == config


def test_a_file_from_before_profiles_takes_the_defaults():
    data = encoded(SimConfig(profile="nuki-docs", propagation_seconds=5))
    fields = config_fields(data)
    fields.pop("profile")
    fields.pop("propagation_seconds")
    restored = check(data)["config"]
    assert (restored.profile, restored.propagation_seconds) == ("seed", 30.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("nuki", "config.profile must be one of ['seed', 'nuki-docs'], got str 'nuki'"),
        (1, "config.profile must be one of ['seed', 'nuki-docs'], got int 1"),
    ],
)
def test_a_damaged_profile_in_a_file_is_refused_in_one_line(value: Any, expected: str):
    data = copy.deepcopy(encoded(SimConfig()))
    config_fields(data)["profile"] = value
    with pytest.raises(Damaged) as caught:
        check(data)
    assert str(caught.value) == expected
