"""Hostile request bodies and values over real HTTP: a clear 4xx in Nuki's shape, no change.

Malformed JSON, wrong types, numbers no field can hold, oversized and deeply nested bodies,
and names that only look short: each is refused with Nuki's error body, and a snapshot of the
world taken before the request equals one taken after it.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.robustness.hostile import assert_nuki_error, world_state

MIB = 1024 * 1024
CHUNK = 64 * 1024
NESTING = 10_000
HUGE_NUMBERS = [2**64, 1e308, -1]
CODE = 345_678
KEYPAD = 13
NAME_MAX = 20
EMOJI = "\U0001f511"  # a key: one character, four UTF-8 bytes, two UTF-16 units
RTL_OVERRIDE = "\u202e"
COMBINING = "\u0301"
LOCK = "/smartlock/{lock}"
AUTH = "/smartlock/{lock}/auth"


def keypad(**fields: Any) -> dict[str, Any]:
    return {"name": "Guest", "type": KEYPAD, "code": CODE, **fields}


# (method, path template, raw body text, expected status)
MALFORMED = [
    ("PUT", AUTH, '{"name": "Guest", "type": 13, ', 400),
    ("PUT", AUTH, "{'name': 'Guest'}", 400),
    ("PUT", AUTH, "\xff\xfe not utf-8", 400),
    ("POST", LOCK + "/action", '{"action": 1}}', 400),
    ("POST", "/smartlock/auth", "[", 400),
    ("DELETE", "/smartlock/auth", '["' + "a" * 30, 400),
    ("PUT", AUTH, "[" * NESTING + "]" * NESTING, 400),
    ("PUT", AUTH, '{"name": ' + "[" * NESTING + "]" * NESTING + "}", 400),
    ("POST", "/smartlock/auth", '[{"id": ' + '{"a":' * NESTING + "1" + "}" * NESTING + "}]", 400),
    ("PUT", AUTH, '{"name": "Guest", "type": 13, "code": NaN}', 400),
    ("PUT", AUTH, '{"name": "Guest", "type": 13, "code": Infinity}', 400),
]

WRONG_TYPES = [
    ("PUT", AUTH, keypad(name=5)),
    ("PUT", AUTH, keypad(type="13")),
    ("PUT", AUTH, keypad(code=[CODE])),
    ("PUT", AUTH, keypad(code=True)),
    ("PUT", AUTH, keypad(code={"v": CODE})),
    ("PUT", AUTH, keypad(remoteAllowed="yes")),
    ("PUT", AUTH, keypad(allowedFromDate=20260105)),
    ("PUT", AUTH, [keypad()]),
    ("PUT", AUTH, "Guest"),
    ("POST", LOCK, {"name": ["Porch"]}),
    ("POST", LOCK, {"favorite": "true"}),
    ("POST", LOCK + "/action", {"action": "1"}),
    ("PUT", "/smartlock/auth", {**keypad(), "smartlockIds": "{lock}"}),
    ("POST", "/smartlock/auth", {"id": "x", "name": "Guest"}),
    ("DELETE", "/smartlock/auth", [1, 2]),
]

HUGE = [
    *[("PUT", AUTH, keypad(code=n)) for n in HUGE_NUMBERS],
    *[("PUT", AUTH, keypad(type=n)) for n in HUGE_NUMBERS],
    *[("PUT", AUTH, keypad(allowedWeekDays=n)) for n in HUGE_NUMBERS],
    *[("PUT", AUTH, keypad(allowedFromTime=n, allowedUntilTime=n)) for n in HUGE_NUMBERS],
    *[("POST", LOCK + "/action", {"action": n}) for n in HUGE_NUMBERS],
    *[("POST", LOCK + "/action", {"action": 1, "option": n}) for n in HUGE_NUMBERS],
    *[("PUT", "/smartlock/auth", {**keypad(), "smartlockIds": [n]}) for n in HUGE_NUMBERS],
]

HUGE_QUERIES = [
    ("/smartlock", {"type": str(2**64)}),
    ("/smartlock", {"authId": "-1"}),
    ("/smartlock/{lock}/log", {"limit": str(2**64)}),
    ("/smartlock/{lock}/log", {"limit": "1e308"}),
    ("/smartlock/{lock}/log", {"action": "-1"}),
    ("/smartlock/auth", {"accountUserId": str(-(2**64))}),
    ("/smartlock/auth/paged", {"size": str(2**64)}),
    ("/smartlock/auth/paged", {"page": "-1"}),
]

HUGE_PATH_IDS = [str(2**64), "1e308", "-1", "\u0661\u0662\u0663"]  # the last: Arabic-Indic digits

LONG_NAMES = {
    "emoji": EMOJI * (NAME_MAX + 1),
    "rtl": RTL_OVERRIDE + "G" * NAME_MAX,
    "combining": ("e" + COMBINING) * 11,
    "nul": "\x00" * (NAME_MAX + 1),
}
SHORT_NAMES = {
    "emoji": f"{EMOJI} Guest {EMOJI}",
    "rtl": RTL_OVERRIDE + "tseuG",
    "combining": "Jose" + COMBINING,
    "nul": "Gu\x00est",
}


def fill(template: str, nuki_sim: RunningSimulator) -> str:
    return template.replace("{lock}", str(nuki_sim.demo.locks[0].smartlock_id))


def with_lock(value: Any, nuki_sim: RunningSimulator) -> Any:
    """``value`` with a ``"{lock}"`` placeholder replaced by the keypad lock's id list."""
    if isinstance(value, dict) and value.get("smartlockIds") == "{lock}":
        return {**value, "smartlockIds": str(nuki_sim.demo.locks[0].smartlock_id)}
    return value


@pytest.mark.parametrize(("method", "path", "text", "status"), MALFORMED)
async def test_malformed_json_is_refused(
    nuki_sim: RunningSimulator, api: ApiClient, method: str, path: str, text: str, status: int
):
    """A body that is not JSON (or JSON nested 10,000 deep, or NaN) is a 400 that changes nothing."""
    before = world_state(nuki_sim)
    headers = {"Content-Type": "application/json"}
    raw = text.encode("latin-1") if text.startswith("\xff") else text.encode()
    reply = await api.request(method, fill(path, nuki_sim), data=raw, headers=headers)
    assert_nuki_error(reply, status)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize(("method", "path", "body"), WRONG_TYPES + HUGE)
async def test_wrong_types_and_impossible_numbers_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, method: str, path: str, body: Any
):
    """A value of the wrong type or out of every range (2**64, 1e308, -1) is a 400 that changes nothing."""
    before = world_state(nuki_sim)
    reply = await api.request(method, fill(path, nuki_sim), json_body=with_lock(body, nuki_sim))
    assert_nuki_error(reply, 400)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize(("path", "query"), HUGE_QUERIES)
async def test_impossible_query_values_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, path: str, query: dict[str, str]
):
    """A query value no parameter can hold is a 400, and the read changes nothing."""
    before = world_state(nuki_sim)
    assert_nuki_error(await api.get(fill(path, nuki_sim), params=query), 400)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("lock_id", HUGE_PATH_IDS)
async def test_impossible_path_ids_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, lock_id: str
):
    """A lock id beyond int64, negative, a float or in non-ASCII digits is a 4xx that changes nothing."""
    before = world_state(nuki_sim)
    reply = await api.put(f"/smartlock/{lock_id}/auth", keypad(), validate=False)
    assert_nuki_error(reply, 400 if lock_id.isdigit() else 404)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("seconds", ["1e308", str(2**64), "Infinity", "-Infinity", "NaN", "-1"])
async def test_impossible_clock_advances_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, seconds: str
):
    """``/_sim/clock/advance`` by 1e308, 2**64, ±Infinity, NaN or -1 seconds is a 400, not a 500."""
    before = world_state(nuki_sim)
    body = f'{{"seconds": {seconds}}}'.encode()
    headers = {"Content-Type": "application/json"}
    reply = await api.post("/_sim/clock/advance", data=body, headers=headers, validate=False)
    assert_nuki_error(reply, 400)
    assert world_state(nuki_sim) == before


async def chunks(body: bytes) -> AsyncIterator[bytes]:
    """``body`` in 64 KiB pieces, sent chunked (no Content-Length to refuse it by)."""
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
@pytest.mark.parametrize(
    ("method", "path"), [("PUT", AUTH), ("POST", LOCK), ("PUT", "/smartlock/auth")]
)
async def test_a_one_mebibyte_body_is_refused(
    nuki_sim: RunningSimulator, api: ApiClient, method: str, path: str, chunked: bool
):
    """A 1 MiB body, with or without a Content-Length, is a 413 that changes nothing."""
    before = world_state(nuki_sim)
    assert SimConfig().max_body_bytes < MIB
    body = json.dumps(keypad(name="G" * MIB)).encode()
    data: Any = chunks(body) if chunked else io.BytesIO(body)
    headers = {"Content-Type": "application/json"}
    reply = await api.request(method, fill(path, nuki_sim), data=data, headers=headers)
    assert_nuki_error(reply, 413)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("kind", sorted(LONG_NAMES))
async def test_unicode_names_over_twenty_characters_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, kind: str
):
    """A keypad name of 21+ characters is a 422 whatever they are (emoji, RTL, combining, NUL)."""
    before = world_state(nuki_sim)
    reply = await api.put(fill(AUTH, nuki_sim), keypad(name=LONG_NAMES[kind]))
    assert_nuki_error(reply, 422)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("kind", sorted(SHORT_NAMES))
async def test_unicode_names_within_the_limit_round_trip(
    nuki_sim: RunningSimulator, api: ApiClient, kind: str
):
    """A short name of emoji, RTL, combining or NUL characters is stored and listed verbatim."""
    lock = nuki_sim.demo.locks[0]
    name = SHORT_NAMES[kind]
    assert (await api.put(fill(AUTH, nuki_sim), keypad(name=name))).status == 204
    await api.post("/_sim/clock/advance", {"seconds": SimConfig().push_delay}, validate=False)
    assert (await api.post(f"/smartlock/{lock.smartlock_id}/sync")).status == 204
    listing = (await api.get(fill(AUTH, nuki_sim))).body
    assert [(a["name"], a.get("error")) for a in listing if a.get("code") == CODE] == [(name, None)]
