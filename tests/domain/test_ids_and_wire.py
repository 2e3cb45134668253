"""Realistic ids (fact sheet §1) and Nuki's JSON shapes: enums as ints, no nulls, ms dates."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nuki_sim.simulator.domain import codes, ids, wire
from nuki_sim.simulator.domain.codes import AuthType, ServerState
from nuki_sim.simulator.domain.model import Auth, CloudCopy, Device, Lock, LogEntry, Schedule

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SMARTLOCK_ID = 18298712180  # a real Smart Lock 3.0 id: 0x4_42B03074 (fact sheet §1)
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
WIRE_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
OFFLINE = int(ServerState.OFFLINE)  # 4

KEYPAD_CODE = Auth(
    id="6775e353c52a77633bf92c4b",
    smartlock_id=SMARTLOCK_ID,
    auth_id=4097,
    type=AuthType.KEYPAD_CODE,
    name="Guest",
    enabled=True,
    remote_allowed=False,
    creation_date=T0,
    update_date=T0,
    code=345678,
)
APP_AUTH = replace(KEYPAD_CODE, type=AuthType.APP, code=None, account_user_id=200001)


def make_lock(*, online: bool = True, timezone: str = "Europe/Berlin") -> Lock:
    device = Device(timezone=timezone, keypad_paired=True, online=online)
    return Lock(SMARTLOCK_ID, 100001, 1, "Front Door", device, CloudCopy(), T0, T0)


def walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """Every (path, value) pair in a JSON tree."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def nulls(body: Any) -> list[str]:
    return [path for path, value in walk(body) if value is None]


class FixedRng(random.Random):
    """An RNG whose ``randrange`` returns one chosen value (to reproduce a known id)."""

    def __init__(self, value: int) -> None:
        super().__init__(0)
        self.value = value

    def randrange(self, *args: Any, **kwargs: Any) -> int:
        return self.value


# --- ids -------------------------------------------------------------------------------------


def test_smartlock_id_reproduces_a_real_id() -> None:
    """Type 4 with Nuki ID 0x42B03074 gives the real smartlockId 18298712180."""
    assert ids.smartlock_id(FixedRng(0x42B0_3074), 4) == SMARTLOCK_ID


@given(seed=st.integers(), device_type=st.integers(min_value=1, max_value=5))
def test_smartlock_id_puts_the_type_above_an_8_hex_digit_nuki_id(
    seed: int, device_type: int
) -> None:
    """The hex form is the type digit followed by an 8-hex-digit Nuki ID (9 digits in all)."""
    value = ids.smartlock_id(random.Random(seed), device_type)
    assert hex(value).startswith(f"0x{device_type}")
    assert len(hex(value)) == 2 + 9
    assert value >> 32 == device_type
    assert value & 0xFFFF_FFFF >= 0x1000_0000


def test_smartlock_id_defaults_to_a_smart_lock_3() -> None:
    """Without a type the id is a Smart Lock 3.0/4.0 (type 4) id."""
    assert hex(ids.smartlock_id(random.Random(7))).startswith("0x4")


@given(
    seed=st.integers(),
    instant=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2105, 12, 31), timezones=st.just(UTC)
    ),
)
def test_object_id_is_24_hex_chars_starting_with_the_seconds(seed: int, instant: datetime) -> None:
    """An ObjectId is 24 lowercase hex chars whose first 8 are the instant's epoch seconds."""
    value = ids.object_id(random.Random(seed), instant)
    assert OBJECT_ID.match(value)
    assert int(value[:8], 16) == int(instant.timestamp())


def test_object_ids_sort_by_creation_second() -> None:
    """Ids made a second apart sort in creation order, as MongoDB ObjectIds do."""
    rng = random.Random(1)
    made = [ids.object_id(rng, T0 + timedelta(seconds=s)) for s in range(0, 50, 7)]
    assert sorted(made) == made


def test_ids_are_reproducible_from_the_seed() -> None:
    """The same seed gives the same ids and token; another seed gives others."""

    def draw(seed: int) -> tuple[int, str, str]:
        rng = random.Random(seed)
        return ids.smartlock_id(rng), ids.object_id(rng, T0), ids.token(rng)

    assert draw(5) == draw(5)
    assert draw(5) != draw(6)


def test_token_is_80_hex_chars() -> None:
    """An API token is 80 lowercase hex characters."""
    assert re.fullmatch(r"[0-9a-f]{80}", ids.token(random.Random(3)))


# --- SmartlockAuth ---------------------------------------------------------------------------


def test_keypad_code_auth_shows_its_code() -> None:
    """A type-13 auth carries ``code`` in clear, as an int."""
    body = wire.smartlock_auth(KEYPAD_CODE)
    assert body["code"] == 345678
    assert body["type"] == 13
    assert body["id"] == KEYPAD_CODE.id
    assert body["authId"] == 4097


def test_only_keypad_codes_show_a_code() -> None:
    """A non-keypad auth never shows ``code``, even if one is set on the value."""
    assert "code" not in wire.smartlock_auth(replace(APP_AUTH, code=345678))
    assert wire.smartlock_auth(APP_AUTH)["accountUserId"] == 200001


@pytest.mark.parametrize("auth", [KEYPAD_CODE, APP_AUTH], ids=["keypad", "app"])
def test_absent_optional_fields_are_omitted_not_null(auth: Auth) -> None:
    """Unset dates, user, operation and error are left out, and no value anywhere is null."""
    body = wire.smartlock_auth(auth)
    assert nulls(body) == []
    for key in ("allowedFromDate", "allowedUntilDate", "lastActiveDate", "operationId", "error"):
        assert key not in body
    if auth.type == AuthType.KEYPAD_CODE:
        assert "accountUserId" not in body


def test_unrestricted_schedule_shows_every_weekday_and_no_window() -> None:
    """No weekday restriction is shown as 127 (every day) and 0/0 minutes."""
    body = wire.smartlock_auth(KEYPAD_CODE)
    assert (body["allowedWeekDays"], body["allowedFromTime"], body["allowedUntilTime"]) == (
        127,
        0,
        0,
    )


def test_set_fields_are_shown_in_nukis_formats() -> None:
    """A schedule, last use, pending operation and error appear with ms-UTC-Z dates."""
    auth = replace(
        KEYPAD_CODE,
        schedule=Schedule(T0, T0 + timedelta(days=3), 64 | 1, 480, 1140),
        last_active_date=T0 + timedelta(hours=1, microseconds=1500),
    )
    body = wire.smartlock_auth(auth, operation_id="op", error="K_ERROR")
    assert body["allowedFromDate"] == "2026-01-05T09:00:00.000Z"
    assert body["allowedUntilDate"] == "2026-01-08T09:00:00.000Z"
    assert body["lastActiveDate"] == "2026-01-05T10:00:00.001Z"
    assert (body["allowedWeekDays"], body["allowedFromTime"], body["allowedUntilTime"]) == (
        65,
        480,
        1140,
    )
    assert (body["operationId"], body["error"]) == ("op", "K_ERROR")
    assert nulls(body) == []


# --- Smartlock -------------------------------------------------------------------------------


@pytest.mark.parametrize(("online", "server_state"), [(True, 0), (False, OFFLINE)])
def test_server_state_tells_online_from_offline(online: bool, server_state: int) -> None:
    """``serverState`` is 0 for an online device and 4 (offline) for an offline one."""
    assert wire.smartlock(make_lock(online=online))["serverState"] == server_state


def test_smartlock_has_no_nulls_and_wire_dates() -> None:
    """The whole Smartlock object is free of nulls; its dates use Nuki's format."""
    body = wire.smartlock(make_lock())
    assert nulls(body) == []
    assert WIRE_INSTANT.match(body["creationDate"])
    assert WIRE_INSTANT.match(body["updateDate"])
    assert body["smartlockId"] == SMARTLOCK_ID
    assert body["config"]["keypadPaired"] is True


def test_smartlock_shows_the_time_zone_id() -> None:
    """``config.timezoneId`` is Nuki's index of the lock's zone, 65535 outside the list."""
    assert wire.smartlock(make_lock())["config"]["timezoneId"] == 37
    assert wire.smartlock(make_lock(timezone="Europe/Vienna"))["config"]["timezoneId"] == 65535


def test_smartlock_state_is_integers_and_booleans() -> None:
    """Enum fields of ``state`` are plain ints (not enum members) so JSON shows numbers."""
    state = wire.smartlock(make_lock())["state"]
    assert all(type(v) in (int, bool) for v in state.values())
    assert (state["state"], state["mode"]) == (1, 2)


def test_log_entry_omits_an_absent_account_user() -> None:
    """A log entry without a user has no ``accountUserId`` key and no nulls."""
    entry = LogEntry("695b7d906d59298c4b3c74f7", SMARTLOCK_ID, 4, "Guest", 1, 255, 0, T0)
    body = wire.smartlock_log(entry)
    assert "accountUserId" not in body
    assert nulls(body) == []
    assert body["date"] == "2026-01-05T09:00:00.000Z"
    assert wire.smartlock_log(replace(entry, account_user_id=7))["accountUserId"] == 7


# --- time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Berlin", 37),
        ("Africa/Cairo", 0),
        ("Pacific/Pago_Pago", 45),
        ("Europe/Vienna", 65535),
        ("", 65535),
    ],
)
def test_timezone_id(zone: str, expected: int) -> None:
    """Known zones map to Nuki's index (Berlin is 37); unknown ones to 65535."""
    assert codes.timezone_id(zone) == expected
