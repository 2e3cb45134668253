"""The quirk registry and the switches it feeds: SimConfig.quirks, snapshots, the CLI, the docs.

A quirk is a named deviation from the seed's behaviour, reported from the real Nuki Web. The
registry (``domain/quirks.py``) is the one description of each; ``SimConfig.quirks`` holds the
names switched on, checked like every other setting, and survives a snapshot. The behaviour
each quirk changes is tested over HTTP (tests/http/test_quirks.py, tests/time/test_quirks.py,
tests/webhooks/test_second_signature.py); the domain-level edges are pinned here.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nuki_sim.simulator import cli
from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain import lifecycle, quirks, snapshot
from nuki_sim.simulator.domain.api import open_session
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.demo import build_demo
from nuki_sim.simulator.domain.errors import BadParameter, Locked
from nuki_sim.simulator.domain.model import (
    Auth,
    AuthChanges,
    Device,
    Schedule,
    UpdateAuth,
)
from nuki_sim.simulator.domain.schedule import refusal
from nuki_sim.simulator.domain.world import World

DOCS = Path(__file__).resolve().parents[2] / "docs" / "behaviour.md"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SATURDAY_NOON = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
MON_TO_FRI = 64 | 32 | 16 | 8 | 4
OFFICE = Schedule(allowed_week_days=MON_TO_FRI, allowed_from_time=480, allowed_until_time=1080)
UNTIL_MAY = datetime(2026, 5, 1, tzinfo=UTC)
CODE = 345678
ALL = frozenset(quirks.NAMES)


# --- the registry -------------------------------------------------------------------------


def test_every_quirk_has_a_unique_name_a_summary_and_a_source():
    """Five quirks, each named in kebab case, described in one sentence or two, with a URL."""
    assert len(quirks.REGISTRY) == len(set(quirks.NAMES)) == 5
    for q in quirks.REGISTRY:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", q.name), q.name
        assert q.summary.endswith("."), q.summary
        assert "\n" not in q.summary
        assert q.source.startswith("https://"), q.source


def test_only_the_documented_partial_update_is_on_by_default():
    """The defaults are the seed's world plus what Nuki documents: only the partial update
    that clears the time fields."""
    assert {quirks.PARTIAL_UPDATE_CLEARS_TIMES} == quirks.DEFAULTS
    assert SimConfig().quirks == quirks.DEFAULTS


def test_chosen_switches_from_the_defaults_and_refuses_contradictions():
    assert quirks.chosen(on=[quirks.RAPID_UPDATE_LOST]) == {
        quirks.PARTIAL_UPDATE_CLEARS_TIMES,
        quirks.RAPID_UPDATE_LOST,
    }
    assert quirks.chosen(off=[quirks.PARTIAL_UPDATE_CLEARS_TIMES]) == frozenset()
    with pytest.raises(ValueError, match="'rapid-update-lost' is switched both on and off"):
        quirks.chosen(on=[quirks.RAPID_UPDATE_LOST], off=[quirks.RAPID_UPDATE_LOST])
    with pytest.raises(ValueError, match="unknown quirk 'no-such-quirk'"):
        quirks.chosen(on=["no-such-quirk"])


# --- SimConfig.quirks -----------------------------------------------------------------------


def test_simconfig_takes_names_or_changes_to_the_defaults():
    """A collection of names is the set switched on; a mapping changes the defaults (what a
    marker's config dict reads best as). Either way the config keeps a frozenset."""
    exact = SimConfig(quirks=[quirks.WRONG_CODE_TRIGGER_253])  # type: ignore[arg-type]
    assert exact.quirks == frozenset({quirks.WRONG_CODE_TRIGGER_253})
    changed = SimConfig(quirks={quirks.WRONG_CODE_TRIGGER_253: True})  # type: ignore[arg-type]
    assert changed.quirks == {quirks.WRONG_CODE_TRIGGER_253, quirks.PARTIAL_UPDATE_CLEARS_TIMES}
    assert isinstance(changed.quirks, frozenset)
    off = SimConfig(quirks={quirks.PARTIAL_UPDATE_CLEARS_TIMES: False})  # type: ignore[arg-type]
    assert off.quirks == frozenset()
    assert SimConfig().replace(quirks=ALL).quirks == ALL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (frozenset({"rapid-updates-lost"}), "unknown quirk 'rapid-updates-lost'"),
        ("rapid-update-lost", "quirks must be a set of quirk names"),
        ({"rapid-update-lost": "yes"}, "quirks must map quirk names to true or false"),
        ([1], "quirks must be quirk names"),
        (None, "quirks must be a set of quirk names"),
    ],
)
def test_simconfig_refuses_bad_quirks(value: object, expected: str):
    """A typo in a quirk's name is caught where the config is made, naming the known ones."""
    with pytest.raises(ValueError, match=expected):
        SimConfig(quirks=value)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=expected):
        SimConfig().replace(quirks=value)


def _world(config: SimConfig) -> World:
    world = World(VirtualClock(T0), seed=3, config=config)
    build_demo(world)
    return world


def _round_trip(world: World) -> World:
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    return again


def test_the_quirks_survive_a_snapshot():
    world = _world(SimConfig(quirks=frozenset({quirks.SECOND_SIGNATURE_HEADER})))
    assert _round_trip(world).config.quirks == {quirks.SECOND_SIGNATURE_HEADER}


def test_a_snapshot_from_before_the_quirks_loads_the_defaults():
    """A state file saved by an earlier release has no quirks: it starts with the defaults."""
    world = _world(SimConfig(quirks=ALL))
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    text = json.dumps(data)
    entries = data["state"]["$dict"]
    config = next(value for key, value in entries if key == "config")
    del config["f"]["quirks"]
    assert json.dumps(data) != text
    again = World(VirtualClock(T0), seed=1)
    snapshot.restore(again, data)
    assert again.config.quirks == quirks.DEFAULTS


def test_a_snapshot_with_an_unknown_quirk_is_refused_naming_it():
    world = _world(SimConfig())
    data = json.loads(json.dumps(snapshot.snapshot(world)))
    config = next(value for key, value in data["state"]["$dict"] if key == "config")
    config["f"]["quirks"]["$set"] = ["no-such-quirk"]
    with pytest.raises(BadParameter, match=r"config\.quirks: unknown quirk 'no-such-quirk'"):
        snapshot.restore(World(VirtualClock(T0), seed=1), data)


def test_a_pending_update_with_kept_fields_and_a_lost_update_survive_a_snapshot():
    """The queued update's ``keep`` and the record of the update it swallowed come back: the
    restored world still refuses the third update with 423 and keeps the kept fields."""
    config = SimConfig(quirks=frozenset({quirks.RAPID_UPDATE_LOST}))
    world = _world(config)
    lock = next(iter(world.locks.values()))
    api = open_session(world, f"Bearer {next(iter(world.tokens))}")
    auth = next(a for a in lock.cloud.auths.values() if a.type == AuthType.KEYPAD_CODE)
    kept = AuthChanges(
        "First", None, None, None, Schedule(), None, frozenset({"allowed_week_days"})
    )
    api.update_auths([(lock, auth, kept)])
    api.update_auths([(lock, auth, AuthChanges("Lost", None, None, None, Schedule(), None))])
    again = _round_trip(world)
    lock2 = again.locks[lock.smartlock_id]
    assert lock2.cloud.lost == lock.cloud.lost != {}
    (command,) = [c for c in lock2.cloud.queue if isinstance(c, UpdateAuth)]
    assert command.changes.keep == {"allowed_week_days"}
    api2 = open_session(again, f"Bearer {next(iter(again.tokens))}")
    with pytest.raises(Locked):
        api2.update_auths([(lock2, auth, AuthChanges("Third", None, None, None, Schedule(), None))])


def test_a_snapshot_keeping_no_schedule_field_is_refused():
    """``keep`` names fields of Schedule; anything else is damage, refused where it is read."""
    with pytest.raises(ValueError, match="keep must name fields of Schedule"):
        AuthChanges(None, None, None, None, Schedule(), None, frozenset({"name"}))


# --- the behaviours at the domain's edges ---------------------------------------------------


def test_a_time_window_without_a_date_window_is_ignored_only_with_the_quirk():
    """Saturday noon: the Mon–Fri office window refuses, unless the quirk drops windows that
    have no date window; with a date window the weekdays count under the quirk too."""
    assert refusal(OFFICE, SATURDAY_NOON, "UTC") == "not allowed on Saturday (allowedWeekDays)"
    assert refusal(OFFICE, SATURDAY_NOON, "UTC", needs_date_window=True) is None
    dated = Schedule(
        allowed_until_date=UNTIL_MAY, allowed_week_days=MON_TO_FRI,
        allowed_from_time=480, allowed_until_time=1080,
    )  # fmt: skip
    assert refusal(dated, SATURDAY_NOON, "UTC", needs_date_window=True) == (
        "not allowed on Saturday (allowedWeekDays)"
    )
    expired = Schedule(allowed_until_date=T0)
    assert refusal(expired, SATURDAY_NOON, "UTC", needs_date_window=True) == (
        "expired (after allowedUntilDate)"
    )


def test_the_device_keeps_the_fields_an_update_names_in_keep():
    """An update keeping the weekdays and the daily window replaces only the date fields."""
    device = Device(timezone="UTC", keypad_paired=True)
    auth = Auth("a1", 1, 1, AuthType.KEYPAD_CODE, "Guest", True, False, T0, T0, CODE, OFFICE)
    device.auths[auth.id] = auth
    keep = frozenset({"allowed_week_days", "allowed_from_time", "allowed_until_time"})
    changes = AuthChanges(
        None, None, None, None, Schedule(allowed_until_date=UNTIL_MAY), None, keep
    )
    later = T0 + timedelta(minutes=1)
    assert dev.apply_auth(device, UpdateAuth("op", T0, "a1", changes), later, SimConfig()).ok
    assert device.auths["a1"].schedule == Schedule(
        allowed_until_date=UNTIL_MAY, allowed_week_days=MON_TO_FRI,
        allowed_from_time=480, allowed_until_time=1080,
    )  # fmt: skip


def test_only_a_pending_update_may_swallow_one_and_only_one():
    """A pending create or delete does not swallow an update (423 as before); a pending update
    swallows one, then no more; once it reached the lock the record is gone."""
    world = _world(SimConfig(quirks=frozenset({quirks.RAPID_UPDATE_LOST})))
    lock = next(iter(world.locks.values()))
    auth = next(a for a in lock.cloud.auths.values() if a.type == AuthType.KEYPAD_CODE)
    assert not lifecycle.may_lose(lock, auth.id)  # nothing pending
    api = open_session(world, f"Bearer {next(iter(world.tokens))}")
    api.delete_auths([(lock.smartlock_id, auth.id)])
    assert not lifecycle.may_lose(lock, auth.id)  # a delete is pending
    with pytest.raises(Locked):
        api.update_auths([(lock, auth, AuthChanges("x", None, None, None, Schedule(), None))])
    world.advance(timedelta(seconds=world.config.push_delay))
    other = next(
        a for a in lock.cloud.auths.values() if a.type == AuthType.KEYPAD_CODE and a.id != auth.id
    )
    api.update_auths([(lock, other, AuthChanges("One", None, None, None, Schedule(), None))])
    assert lifecycle.may_lose(lock, other.id)
    api.update_auths([(lock, other, AuthChanges("Two", None, None, None, Schedule(), None))])
    assert not lifecycle.may_lose(lock, other.id)
    world.advance(timedelta(seconds=world.config.push_delay))
    assert other.id not in lock.cloud.lost
    assert lock.device.auths[other.id].name == "One"


# --- the CLI and the docs are made from the registry -----------------------------------------


def test_the_serve_help_lists_every_quirk_with_its_default(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["serve", "--help"])
    text = capsys.readouterr().out
    for q in quirks.REGISTRY:
        assert f"{q.name} ({'on' if q.default else 'off'} by default)" in text


def test_the_serve_flags_switch_quirks_on_and_off():
    args = cli.build_parser().parse_args(
        ["serve", "--quirk", quirks.RAPID_UPDATE_LOST, "--no-quirk",
         quirks.PARTIAL_UPDATE_CLEARS_TIMES]
    )  # fmt: skip
    assert quirks.chosen(on=args.quirk, off=args.no_quirk) == {quirks.RAPID_UPDATE_LOST}


def test_the_docs_table_is_the_registry():
    """docs/behaviour.md carries the table :func:`quirks.docs_table` makes, unchanged."""
    text = DOCS.read_text(encoding="utf-8")
    assert quirks.docs_table() in text
