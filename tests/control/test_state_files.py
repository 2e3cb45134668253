"""Damaged or hand-edited ``--state`` files: refused at start with one line naming the field.

Each variant is a real snapshot with one thing broken. ``nuki-sim serve`` is run in-process
through its ``main()`` (fast), and once as a real process; every variant must exit 1 with a
single ``nuki-sim: state file …`` line and no traceback, and leave the file as it was.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nuki_sim.simulator.cli import main
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.snapshot import snapshot
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.server import DEFAULT_START

Edit = Callable[[dict[str, Any]], Any]


def fresh_snapshot() -> dict[str, Any]:
    world = World(VirtualClock(DEFAULT_START), seed=1)
    build_demo(world, locks=2)
    return json.loads(json.dumps(snapshot(world)))


BASE = fresh_snapshot()


def part(data: dict[str, Any], key: str) -> Any:
    """The encoded value of one top-level part of the state (``config``, ``locks``, …)."""
    return next(pair for pair in data["state"]["$dict"] if pair[0] == key)


def config(data: dict[str, Any]) -> dict[str, Any]:
    return part(data, "config")[1]["f"]


def first_lock(data: dict[str, Any]) -> dict[str, Any]:
    return part(data, "locks")[1]["$dict"][0][1]["f"]


def setter(where: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        where(data)[key] = value

    return edit


def set_part(key: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        part(data, key)[1] = value

    return edit


def drop_part(key: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["state"]["$dict"].remove(part(data, key))

    return edit


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


EDITS: dict[str, tuple[Edit, str]] = {
    "unknown version": (lambda d: d.update(format="nuki-sim/9"), "not a nuki-sim snapshot"),
    "no format": (lambda d: d.pop("format"), "not a nuki-sim snapshot"),
    "state is text": (lambda d: d.update(state="world"), "state must be an object"),
    "state is a list": (lambda d: d.update(state=[1, 2]), "state must be an object"),
    "state pairs broken": (lambda d: d["state"]["$dict"].append([1]), "state must be a table"),
    "locks missing": (drop_part("locks"), "locks is missing"),
    "extra part": (lambda d: d["state"]["$dict"].append(["x", 1]), "x is not part of a world"),
    "negative body limit": (
        setter(config, "max_body_bytes", -1),
        "config.max_body_bytes must be a positive integer from 1 to 67108864, got -1",
    ),
    "text retry delay": (
        setter(config, "webhook_retry_first", "10"),
        "config.webhook_retry_first must be a number, got str '10'",
    ),
    "list unlatch": (setter(config, "unlatch_seconds", [3]), "config.unlatch_seconds must be"),
    "huge push delay": (setter(config, "push_delay", 1e300), "config.push_delay must be"),
    "bool as capacity": (setter(config, "max_keypad_codes", True), "config.max_keypad_codes"),
    "zero timeout": (setter(config, "webhook_timeout", 0), "config.webhook_timeout"),
    "ceiling below first": (
        setter(config, "webhook_retry_ceiling", 1.0),
        "config.webhook_retry_ceiling must be at least",
    ),
    "unknown setting": (setter(config, "turbo", True), "config.turbo is not a field"),
    "missing lock name": (lambda d: first_lock(d).pop("name"), ".name is missing"),
    "config is a number": (set_part("config", 5), "config must be a SimConfig"),
    "seed is text": (set_part("seed", "x"), "seed must be an integer"),
    "seed is huge": (set_part("seed", 10**30), "seed is out of range"),
    "counters short": (set_part("counters", {"$tuple": [1, 2]}), "counters must have 3 items"),
    "now is naive": (set_part("now", {"$dt": "2026-01-05T09:00:00"}), "now must be an instant"),
    "now far away": (set_part("now", {"$dt": "9999-12-31T00:00:00+00:00"}), "now is too far"),
    "now not a date": (set_part("now", {"$dt": "yesterday"}), "now: Invalid isoformat"),
    "battery text": (
        lambda d: first_lock(d)["device"]["f"].update(battery="full"),
        ".device.battery must be a number",
    ),
    "battery negative": (
        lambda d: first_lock(d)["device"]["f"].update(battery=-5.0),
        ".device.battery must be from 0 to 100",
    ),
    "sync minute huge": (setter(first_lock, "sync_minute", 10**6), ".sync_minute must be from 0"),
    "lock name number": (setter(first_lock, "name", 5), ".name must be a string"),
    "lock is text": (
        lambda d: part(d, "locks")[1]["$dict"][0].__setitem__(1, "lock"),
        "must be a Lock",
    ),
    "lock key mismatch": (
        lambda d: part(d, "locks")[1]["$dict"][0].__setitem__(0, 1),
        "does not match its key",
    ),
    "unknown object": (setter(first_lock, "device", {"$dc": "Rocket", "f": {}}), "unknown object"),
    "unknown enum": (
        lambda d: first_lock(d)["device"]["f"]["status"]["f"].update(
            state={"$enum": "Mood", "v": 1}
        ),
        "unknown enum 'Mood'",
    ),
    "enum value out of range": (
        lambda d: first_lock(d)["device"]["f"]["status"]["f"]["state"].update(v=999),
        "999 is not a valid",
    ),
    "unknown tag": (setter(first_lock, "cloud", {"$weird": 1}), "unknown snapshot object"),
    "fields not an object": (
        setter(first_lock, "device", {"$dc": "Device", "f": 3}),
        "must be an object",
    ),
    "deep nesting in a field": (setter(first_lock, "name", nested(500)), "nested too deeply"),
    "token of no account": (
        lambda d: part(d, "tokens")[1]["$dict"][0][1]["f"].update(account_id=1),
        "is no account",
    ),
    "rng broken": (
        set_part("rng", {"$tuple": [3, {"$tuple": [1, 2]}, None]}),
        "the state is damaged",
    ),
}


def run(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["serve", "--port", "0", "--clock", "virtual", "--state", str(path)])
    captured = capsys.readouterr()
    return code, captured.err.splitlines()


def assert_refused(path: Path, code: int, err: list[str], expected: str) -> None:
    assert code == 1
    assert len(err) == 1, err
    assert err[0].startswith(f"nuki-sim: state file {path}: "), err
    assert expected in err[0], err
    assert "Traceback" not in err[0]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_damaged_snapshot_is_refused_naming_the_field(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Each damaged variant exits 1 with one line naming what is wrong, and the file is kept."""
    edit, expected = EDITS[name]
    data = copy.deepcopy(BASE)
    edit(data)
    path = tmp_path / "world.json"
    text = json.dumps(data)
    path.write_text(text, encoding="utf-8")
    code, err = run(path, capsys)
    assert_refused(path, code, err, expected)
    assert path.read_text(encoding="utf-8") == text


RAW: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "not JSON"),
    "truncated": (json.dumps(BASE).encode()[:500], "not JSON"),
    "not json": (b"hello world", "not JSON"),
    "not utf-8": (b'{"format": "\xff\xfe"}', "not UTF-8"),
    "deep json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "a json list": (b"[1, 2, 3]", "not a nuki-sim snapshot"),
    "a json number": (b"42", "not a nuki-sim snapshot"),
    "nan": (json.dumps(BASE).replace('"seed", 1', '"seed", NaN').encode(), "seed must be"),
}


@pytest.mark.parametrize("name", sorted(RAW))
def test_a_file_that_is_no_snapshot_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Bytes that are not a snapshot at all exit 1 with one line, no traceback."""
    content, expected = RAW[name]
    path = tmp_path / "world.json"
    path.write_bytes(content)
    code, err = run(path, capsys)
    assert_refused(path, code, err, expected)
    assert path.read_bytes() == content


def test_the_unedited_snapshot_is_accepted():
    """The base of every variant is itself valid: the refusals are due to the edits alone."""
    from nuki_sim.simulator.domain.snapshot import check

    assert check(copy.deepcopy(BASE))["seed"] == 1


def test_a_snapshot_from_before_the_sync_log_was_dropped_is_accepted():
    """A file saved while the world still kept its write-only ``sync_log`` still starts."""
    from nuki_sim.simulator.domain.snapshot import check

    data = copy.deepcopy(BASE)
    old_log = {"$deque": [], "maxlen": 1000}
    data["state"]["$dict"].append(["sync_log", old_log])
    state = check(data)
    assert "sync_log" not in state
    assert state["seed"] == 1


def test_a_snapshot_from_before_a_field_was_added_takes_its_default():
    """A file saved by an earlier release lacks fields added since: those with a default
    (settings, a lock's newer attributes) take it; only fields without one are damage."""
    from nuki_sim.simulator.domain.config import SimConfig
    from nuki_sim.simulator.domain.snapshot import check

    data = copy.deepcopy(BASE)
    config(data).pop("push_delay")
    first_lock(data).pop("favorite")
    state = check(data)
    assert state["config"].push_delay == SimConfig().push_delay
    assert next(iter(state["locks"].values())).favorite is False


def test_a_real_process_refuses_a_damaged_file(tmp_path: Path):
    """``python -m nuki_sim.simulator serve`` on a damaged file: exit 1, one stderr line, no traceback."""
    data = copy.deepcopy(BASE)
    config(data)["max_body_bytes"] = -1
    path = tmp_path / "world.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "nuki_sim.simulator", "serve", "--port", "0", "--state", str(path)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"nuki-sim: state file {path}: config.max_body_bytes must be a positive integer "
        "from 1 to 67108864, got -1"
    ]


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("max_body_bytes", -1, "max_body_bytes must be a positive integer"),
        ("webhook_retry_first", "10", "webhook_retry_first must be a positive number"),
        ("unlatch_seconds", [3], "unlatch_seconds must be a number"),
        ("push_delay", float("inf"), "push_delay must be a number from 0 to 86400"),
        ("battery_critical_below", 101, "battery_critical_below must be an integer from 0"),
        ("webhook_allow_private", "yes", "webhook_allow_private must be true or false"),
    ],
)
def test_simconfig_refuses_bad_values_in_python(setting: str, value: Any, expected: str):
    """SimConfig(...) raises ValueError naming the setting, also through replace()."""
    with pytest.raises(ValueError, match=expected):
        SimConfig(**{setting: value})
    with pytest.raises(ValueError, match=expected):
        SimConfig().replace(**{setting: value})


def test_the_pytest_marker_reports_a_bad_config_in_one_line(pytester: pytest.Pytester):
    """@pytest.mark.nuki_sim(config={...bad...}) fails the test with one line, no traceback."""
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.nuki_sim(config={"max_body_bytes": -1})
        async def test_uses_the_simulator(nuki_sim):
            pass
        """
    )
    result = pytester.runpytest(
        "-p",
        "asyncio",
        "-o",
        "asyncio_mode=auto",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.nuki_sim: max_body_bytes must be a positive integer*"]
    )
    assert "Traceback" not in result.stdout.str()
