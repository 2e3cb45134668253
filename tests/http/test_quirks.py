"""Quirks seen over HTTP at one instant: the wrong-code log trigger, and bulk rapid updates.

Each quirk is tested switched on and off (docs/behaviour.md#quirks), asserting what a client
sees: the ``trigger`` of the log entry a wrong code leaves, and the status of a bulk update
that names one authorization twice. The timed behaviours are in tests/time/test_quirks.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain import quirks
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

KEYPAD = 13
UNLOCK, TRIGGER_KEYPAD, TRIGGER_KEYPAD_ERROR, STATE_INVALID_CODE = 1, 255, 253, 224
STATE_SUCCESS, STATE_REJECTED = 0, 9
WRONG_CODE = 987654
PUSH = SimConfig().push_delay


def with_quirk(name: str) -> Any:
    return pytest.mark.nuki_sim(config=SimConfig(quirks=quirks.chosen(on=[name])))


async def keypad(api: ApiClient, lock: Lock, code: int) -> dict[str, Any]:
    reply = await api.post(f"/_sim/smartlocks/{lock.smartlock_id}/keypad", {"code": code})
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def newest_entry(api: ApiClient, lock: Lock) -> dict[str, Any]:
    reply = await api.get(f"/smartlock/{lock.smartlock_id}/log", params={"limit": "1"})
    assert reply.status == 200
    return dict(reply.body[0])


@pytest.mark.parametrize(
    ("trigger"),
    [
        pytest.param(
            TRIGGER_KEYPAD_ERROR, marks=with_quirk(quirks.WRONG_CODE_TRIGGER_253), id="on"
        ),
        pytest.param(TRIGGER_KEYPAD, id="off"),
    ],
)
async def test_a_wrong_code_is_logged_with_trigger_253_only_with_the_quirk(
    api: ApiClient, keypad_lock: Lock, trigger: int
):
    """A wrong code: trigger 253 (keypad error) with the quirk, 255 (keypad) without; the
    rest of the entry is the same, and a right code is logged with 255 either way."""
    assert await keypad(api, keypad_lock, WRONG_CODE) == {
        "granted": False,
        "reason": "unknown code",
    }
    entry = await newest_entry(api, keypad_lock)
    assert (entry["action"], entry["trigger"], entry["state"], entry["source"]) == (
        UNLOCK,
        trigger,
        STATE_INVALID_CODE,
        1,
    )
    code = next(
        a
        for a in keypad_lock.device.auths.values()
        if a.type == KEYPAD and a.schedule.allowed_week_days is None
    )
    assert (await keypad(api, keypad_lock, code.code or 0))["granted"]
    entry = await newest_entry(api, keypad_lock)
    assert (entry["trigger"], entry["state"]) == (TRIGGER_KEYPAD, STATE_SUCCESS)


def keypad_codes(lock: Lock) -> list[str]:
    return sorted(a.id for a in lock.cloud.auths.values() if a.type == KEYPAD)


@pytest.mark.parametrize(
    ("status", "queued"),
    [
        pytest.param(204, ["First"], marks=with_quirk(quirks.RAPID_UPDATE_LOST), id="on"),
        pytest.param(423, [], id="off"),
    ],
)
async def test_one_auth_twice_in_a_bulk_update(
    api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, status: int, queued: list[str]
):
    """The same id twice in one bulk update: without the quirk 423 and nothing queued; with
    it 204, the first queued and the second dropped."""
    auth_id = keypad_codes(keypad_lock)[0]
    body = [{"id": auth_id, "name": "First"}, {"id": auth_id, "name": "Second"}]
    reply = await api.post("/smartlock/auth", body)
    assert reply.status == status
    names = [c.changes.name for c in keypad_lock.cloud.queue]  # type: ignore[union-attr]
    assert names == queued


@with_quirk(quirks.RAPID_UPDATE_LOST)
async def test_one_auth_three_times_in_a_bulk_update_is_423_and_changes_nothing(
    api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
):
    """With the quirk only one update is swallowed: a third of the same auth is 423, and the
    request as a whole changes nothing (every update is checked before any is queued)."""
    auth_id = keypad_codes(keypad_lock)[0]
    body = [{"id": auth_id, "name": name} for name in ("First", "Second", "Third")]
    assert (await api.post("/smartlock/auth", body)).status == 423
    assert not keypad_lock.cloud.queue
    assert not keypad_lock.cloud.operations
    assert not keypad_lock.cloud.lost


@with_quirk(quirks.RAPID_UPDATE_LOST)
async def test_a_dropped_update_is_still_checked(
    api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
):
    """The update that will be dropped is checked like any other: a code another auth holds is
    409, a bad schedule 400, and the pending update may then still swallow a good one."""
    first, second = keypad_codes(keypad_lock)[:2]
    taken = keypad_lock.cloud.auths[second].code
    path = f"/smartlock/{keypad_lock.smartlock_id}/auth/{first}"
    assert (await api.post(path, {"name": "First"})).status == 204
    assert (await api.post(path, {"name": "Dup", "code": taken})).status == 409
    assert (await api.post(path, {"name": "Bad", "allowedWeekDays": 200})).status == 400
    assert not keypad_lock.cloud.lost
    assert (await api.post(path, {"name": "Lost"})).status == 204
    assert keypad_lock.cloud.lost == {first: keypad_lock.cloud.operations[first]}
    assert (await api.post(path, {"name": "Third"})).status == 423


@pytest.mark.nuki_sim(config={"quirks": {"wrong-code-trigger-253": True}})
async def test_a_marker_config_dict_changes_the_defaults(
    api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
):
    """``config={"quirks": {name: True}}`` in the marker switches that quirk on and keeps the
    defaults: the wrong code logs 253 and the partial update still clears the times."""
    assert nuki_sim.world.config.quirks == {
        quirks.WRONG_CODE_TRIGGER_253,
        quirks.PARTIAL_UPDATE_CLEARS_TIMES,
    }
    await keypad(api, keypad_lock, WRONG_CODE)
    assert (await newest_entry(api, keypad_lock))["trigger"] == TRIGGER_KEYPAD_ERROR
