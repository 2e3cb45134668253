"""The request journal and fault injection, over real HTTP, in both time modes.

A fault answers in place of the simulator: a faulted request never reaches the world.
"""

from __future__ import annotations

import aiohttp
import pytest

from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.time.helpers import CFG, HOUR, UNKNOWN_CODE, Rig

GUEST, GUEST_CODE = "Guest", 345_678
ERROR_KEYS = {"detailMessage", "stackTrace", "suppressedExceptions"}
LOCKED = 1
PATTERN_LENGTH = 24


async def journal(rig: Rig, **query: str) -> list[tuple[str, str, int]]:
    async with rig.http.get(rig.sim.url + "/_sim/requests", params=query) as response:
        assert response.status == 200
        entries = await response.json()
    return [(e["method"], e["path"], e["status"]) for e in entries]


async def test_the_journal_lists_nuki_requests_and_filters_them(rig: Rig):
    """GET /_sim/requests lists Nuki requests (method, path, status), filtered by method, path glob and status."""
    lock = await rig.new_lock()
    await rig.ctl.delete("/requests")
    auth_path = f"/smartlock/{lock}/auth"

    assert (await rig.api.get(f"/smartlock/{lock}")).status == 200
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204
    assert (await rig.create_code(lock, GUEST, 102_030)).status == 400  # a 0 in the code
    assert (await rig.codes(lock)) == []
    await rig.ctl.get("/clock")  # the control plane is left out unless asked for

    assert await journal(rig) == [
        ("GET", f"/smartlock/{lock}", 200),
        ("PUT", auth_path, 204),
        ("PUT", auth_path, 400),
        ("GET", auth_path, 200),
    ]
    assert await journal(rig, method="put") == [("PUT", auth_path, 204), ("PUT", auth_path, 400)]
    assert [e[0] for e in await journal(rig, path="/smartlock/*/auth")] == ["PUT", "PUT", "GET"]
    assert await journal(rig, status="400") == [("PUT", auth_path, 400)]
    assert len(await journal(rig, status="2xx")) == 3
    assert ("GET", "/_sim/clock", 200) in await journal(rig, includeControl="true")


async def test_journal_entries_carry_the_simulated_time(rig: Rig):
    """Each journal entry is stamped with the simulator's clock, which moves with the mode's time."""
    await rig.ctl.delete("/requests")
    await rig.advance(HOUR)
    assert (await rig.api.get("/smartlock")).status == 200

    async with rig.http.get(rig.sim.url + "/_sim/requests") as response:
        entries = await response.json()

    assert [e["at"] for e in entries] == ["2026-01-05T10:00:00.000Z"]
    assert isoformat(await rig.now()) == "2026-01-05T10:00:00.000Z"


async def test_a_counted_503_fails_exactly_that_many_requests_and_changes_nothing(rig: Rig):
    """{status: 503, count: 2} fails the next two matching requests with a Nuki body, then all is normal."""
    lock = await rig.new_lock()
    rule = {"path": "/smartlock/*/auth", "method": "PUT", "status": 503, "count": 2}
    added = await rig.ctl.post("/faults", rule, expect=201)
    assert (added["status"], added["remaining"]) == (503, 2)

    first = await rig.api.put(f"/smartlock/{lock}/auth", _code("One", 345_678), validate=False)
    other = await rig.api.get(f"/smartlock/{lock}/auth")  # another method: not matched
    second = await rig.api.put(f"/smartlock/{lock}/auth", _code("Two", 456_789), validate=False)
    assert (await rig.device(lock))["queue"] == []  # the faulted writes never reached the world
    third = await rig.api.put(f"/smartlock/{lock}/auth", _code("Three", 567_891))

    assert [first.status, other.status, second.status, third.status] == [503, 200, 503, 204]
    for failed in (first, second):
        assert set(failed.body) == ERROR_KEYS
        assert failed.detail
    assert await rig.ctl.get("/faults") == []  # the rule is used up
    await rig.advance(CFG.push_delay)
    await rig.sync(lock)
    assert [a["name"] for a in await rig.codes(lock)] == ["Three"]
    assert await rig.keypad(lock, 345_678) == (False, UNKNOWN_CODE)
    assert [s for _, _, s in await journal(rig, path="/smartlock/*/auth", method="PUT")] == [
        503,
        503,
        204,
    ]


async def test_retry_after_answers_429_with_the_header(rig: Rig):
    """{retryAfter: 7} answers 429 with Retry-After: 7."""
    await rig.ctl.post("/faults", {"path": "/smartlock", "retryAfter": 7, "count": 1}, expect=201)

    limited = await rig.api.get("/smartlock", validate=False)
    after = await rig.api.get("/smartlock")

    assert limited.status == 429
    assert limited.headers["Retry-After"] == "7"
    assert set(limited.body) == ERROR_KEYS
    assert after.status == 200


async def test_a_dropped_connection_is_a_client_error_and_the_action_never_runs(rig: Rig):
    """{drop: true, count: 1} cuts the connection (aiohttp.ClientError); the dropped unlock never happens."""
    lock = await rig.new_lock()
    rule = {"path": f"/smartlock/{lock}/action", "drop": True, "count": 1}
    await rig.ctl.post("/faults", rule, expect=201)

    with pytest.raises(aiohttp.ClientError):
        await rig.action(lock, 1)
    await rig.advance(CFG.push_delay + CFG.motor_seconds)

    assert await rig.state(lock) == LOCKED
    assert await rig.logs(lock) == []
    assert (await rig.action(lock, 1)).status == 204  # the next request goes through


async def test_a_probable_fault_replays_the_same_pattern_from_the_same_seed(rig: Rig):
    """{probability: 0.5} fails the same requests on two fresh simulators with the same seed."""
    twin = await rig.start_another()
    other_seed = await rig.start_another(seed=1)

    patterns = [await _pattern(rig, sim) for sim in (rig.sim, twin, other_seed)]

    assert patterns[0] == patterns[1]
    assert set(patterns[0]) == {200, 503}  # some fail, some pass
    assert patterns[2] != patterns[0]


async def test_deleting_the_faults_clears_every_rule(rig: Rig):
    """DELETE /_sim/faults removes the rules: the next request is answered normally."""
    await rig.ctl.post("/faults", {"path": "/smartlock*", "status": 500}, expect=201)
    await rig.ctl.post("/faults", {"path": "/account", "status": 502}, expect=201)
    broken = await rig.api.get("/smartlock", validate=False)

    await rig.ctl.delete("/faults")

    assert broken.status == 500
    assert await rig.ctl.get("/faults") == []
    assert (await rig.api.get("/smartlock")).status == 200
    assert (await rig.api.get("/account")).status == 200


def _code(name: str, code: int) -> dict[str, object]:
    return {"type": 13, "name": name, "code": code}


async def _pattern(rig: Rig, sim: RunningSimulator) -> list[int]:
    control = f"{sim.url}/_sim/faults"
    rule = {"path": "/smartlock", "method": "GET", "status": 503, "probability": 0.5}
    async with rig.http.post(control, json=rule) as response:
        assert response.status == 201
    api = ApiClient(rig.http, sim.url, sim.token)
    return [(await api.get("/smartlock", validate=False)).status for _ in range(PATTERN_LENGTH)]
