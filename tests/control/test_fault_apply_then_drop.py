"""The fault ``drop: "after"``: the request is applied, then the connection drops unanswered.

It exists so that a client's blind retry of a dropped write really does the write twice, as
it would against Nuki: the first request arrived, only its answer was lost.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.control.support import ControlClient, is_detail_error

KEYPAD = 13
GUEST_CODE = 345_678
OTHER_CODE = 456_789
PUSH_SECONDS = 60  # comfortably past the push delay of an online lock
CREATES = "/smartlock/*/auth"
CODES = [345_678, 456_789, 567_891, 678_912, 789_123, 891_234, 912_345, 234_567]


def lock_of(sim: RunningSimulator) -> int:
    return sim.demo.locks[0].smartlock_id


def guest(code: int = GUEST_CODE, name: str = "Guest") -> dict[str, Any]:
    return {"type": KEYPAD, "name": name, "code": code}


class Dropped(aiohttp.ClientConnectionError):
    """The connection broke before an answer came (raised in place of aiohttp's own error)."""


async def no_resend(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """Keep aiohttp from resending the PUT by itself (it resends "idempotent" methods once on a
    dropped connection): these tests must see the one request they sent, and its drop."""
    try:
        return await handler(request)
    except aiohttp.ServerDisconnectedError as exc:
        raise Dropped(str(exc)) from exc


async def put_once(http: aiohttp.ClientSession, sim: RunningSimulator, body: dict[str, Any]) -> int:
    """PUT a create exactly once; its status, or :class:`Dropped` when no answer came."""
    async with http.put(
        f"{sim.url}/smartlock/{lock_of(sim)}/auth",
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {sim.token}", "Content-Type": "application/json"},
        middlewares=(no_resend,),
    ) as reply:
        return reply.status


async def add_fault(control: ControlClient, **rule: Any) -> dict[str, Any]:
    reply = await control.post("/faults", rule)
    assert reply.status == 201, reply.body
    return dict(reply.body)


async def creates_journaled(control: ControlClient) -> list[dict[str, Any]]:
    reply = await control.get("/requests", params={"method": "PUT", "path": CREATES})
    return list(reply.body)


async def keypad_codes(control: ControlClient, lock: int) -> list[int]:
    """The keypad codes on the lock itself (the demo lock starts with some), in order."""
    device = (await control.get(f"/smartlocks/{lock}/device")).body
    return [a["code"] for a in device["auths"] if a["type"] == KEYPAD]


async def added_on_device(control: ControlClient, lock: int, before: list[int]) -> list[int]:
    """Once the push delay has passed: the codes on the lock that were not there ``before``."""
    await control.post("/clock/advance", {"seconds": PUSH_SECONDS})
    now = await keypad_codes(control, lock)
    for code in before:
        now.remove(code)
    return sorted(now)


async def test_the_create_is_applied_once_and_the_client_gets_no_answer(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, api: ApiClient, control: ControlClient
) -> None:
    """The PUT gets no answer, yet the code is journaled once (with the 204 the client never
    saw), on the lock once, and listed once after the sync."""
    lock = lock_of(nuki_sim)
    before = await keypad_codes(control, lock)
    await add_fault(control, method="PUT", path=CREATES, drop="after", count=1)

    with pytest.raises(Dropped):
        await put_once(http, nuki_sim, guest())

    assert [e["status"] for e in await creates_journaled(control)] == [204]
    assert await added_on_device(control, lock, before) == [GUEST_CODE]
    await control.post(f"/smartlocks/{lock}/sync")
    listed = (await api.get(f"/smartlock/{lock}/auth")).body
    assert [a.get("code") for a in listed].count(GUEST_CODE) == 1


async def test_a_blind_retry_really_creates_twice(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, api: ApiClient, control: ControlClient
) -> None:
    """Resending the dropped create reaches Nuki a second time; the lock refuses the duplicate."""
    lock = lock_of(nuki_sim)
    before = await keypad_codes(control, lock)
    await add_fault(control, method="PUT", path=CREATES, drop="after", count=1)

    with pytest.raises(Dropped):
        await put_once(http, nuki_sim, guest())
    retried = await put_once(http, nuki_sim, guest(name="Retry"))

    assert retried == 204  # the cloud cannot see the first one before the sync
    assert [e["status"] for e in await creates_journaled(control)] == [204, 204]
    assert await added_on_device(control, lock, before) == [GUEST_CODE]
    await control.post(f"/smartlocks/{lock}/sync")
    listed = (await api.get(f"/smartlock/{lock}/auth")).body
    failed = [a for a in listed if a["type"] == KEYPAD and a.get("error")]
    assert [a["name"] for a in failed] == ["Retry"]


async def test_count_scopes_the_rule(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, control: ControlClient
) -> None:
    """With count 1 only the first create loses its answer; then the rule is gone."""
    lock = lock_of(nuki_sim)
    before = await keypad_codes(control, lock)
    await add_fault(control, method="PUT", path=CREATES, drop="after", count=1)

    with pytest.raises(Dropped):
        await put_once(http, nuki_sim, guest())
    answered = await put_once(http, nuki_sim, guest(OTHER_CODE, "Other"))

    assert answered == 204
    assert (await control.get("/faults")).body == []
    assert await added_on_device(control, lock, before) == [GUEST_CODE, OTHER_CODE]


async def test_with_a_probability_every_create_is_applied_exactly_once(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, control: ControlClient
) -> None:
    """Some creates lose their answer, none is lost or doubled: each is on the lock once."""
    lock = lock_of(nuki_sim)
    before = await keypad_codes(control, lock)
    await add_fault(control, method="PUT", path=CREATES, drop="after", probability=0.5)
    dropped = 0
    for index, code in enumerate(CODES):
        try:
            assert await put_once(http, nuki_sim, guest(code, f"Guest {index}")) == 204
        except Dropped:
            dropped += 1

    assert 0 < dropped < len(CODES), f"{dropped} of {len(CODES)} dropped: the draw did not mix"
    assert [e["status"] for e in await creates_journaled(control)] == [204] * len(CODES)
    assert await added_on_device(control, lock, before) == sorted(CODES)


async def test_a_refused_request_is_dropped_too_and_still_changes_nothing(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, control: ControlClient
) -> None:
    """The handler's refusal (a code with a 0) is journaled as such; the client sees only the drop."""
    lock = lock_of(nuki_sim)
    before = await keypad_codes(control, lock)
    await add_fault(control, method="PUT", path=CREATES, drop="after", count=1)

    with pytest.raises(Dropped):
        await put_once(http, nuki_sim, guest(345_078))

    assert [e["status"] for e in await creates_journaled(control)] == [400]
    assert await added_on_device(control, lock, before) == []


@pytest.mark.parametrize(
    ("drop", "shown"), [("after", "after"), (True, True), ("before", True), (False, False)]
)
async def test_the_rule_lists_when_it_drops(
    control: ControlClient, drop: object, shown: object
) -> None:
    """``drop`` is listed as "after", or as the boolean it always was (true means before)."""
    rule = await add_fault(control, path=CREATES, drop=drop, delaySeconds=0.01)
    assert rule["drop"] == shown
    assert [r["drop"] for r in (await control.get("/faults")).body] == [shown]


@pytest.mark.parametrize(
    "rule",
    [
        {"drop": "later"},
        {"drop": "AFTER"},
        {"drop": 1},
        {"drop": None},
        {"drop": "after", "status": 503},
        {"drop": "after", "retryAfter": 5},
    ],
    ids=["unknown-word", "upper-case", "a-number", "null", "with-status", "with-retry-after"],
)
async def test_bad_drop_values_are_refused_and_change_nothing(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, control: ControlClient,
    rule: dict[str, Any],
) -> None:  # fmt: skip
    """A 400 Nuki-style error; no rule is added, and the next create is answered normally."""
    reply = await control.post("/faults", {"method": "PUT", "path": CREATES, **rule})

    assert is_detail_error(reply, 400), reply.body
    assert (await control.get("/faults")).body == []
    assert await put_once(http, nuki_sim, guest()) == 204
