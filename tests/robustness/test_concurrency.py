"""Many simultaneous writes to one lock over real HTTP: nothing lost, nothing doubled, no 5xx.

The cloud checks a new keypad code against its own listing, which shows only what the lock
reported at its last sync; commands still queued for the lock are invisible to it. So a burst
of creates is accepted whole (204), and the lock itself refuses what does not fit, which the
next sync lists with the device's error.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator

import aiohttp
import pytest_asyncio

from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.domain.sync import MAX_LISTED_FAILURES
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

BURST = 500
IDENTICAL_BURST = 50
CAPACITY = 100  # a Keypad's (the lock used here has one; max_keypad_codes is unset)
FIRST_CODE = 345_678
SHARED_CODE = 456_789
MAX_USER = "P_ERROR_MAX_USER"
CODE_EXISTS = "K_ERROR_CODE_ALREADY_EXISTS"
KEYPAD = 13


@pytest_asyncio.fixture
async def wide_api(nuki_sim: RunningSimulator) -> AsyncIterator[ApiClient]:
    """The demo token's client on a connector that opens a connection per request in flight."""
    connector = aiohttp.TCPConnector(limit=BURST + IDENTICAL_BURST)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield ApiClient(session, nuki_sim.url, nuki_sim.token)


def keypad_codes(lock: Lock) -> list[int]:
    """Every keypad code on the device, duplicates kept."""
    return [
        a.code
        for a in lock.device.auths.values()
        if a.type == AuthType.KEYPAD_CODE and a.code is not None
    ]


def distinct_codes(count: int, taken: set[int]) -> list[int]:
    """``count`` valid keypad codes (digits 1–9, not starting with 12) not in ``taken``."""
    valid = (n for n in itertools.count(FIRST_CODE) if "0" not in str(n) and n not in taken)
    return list(itertools.islice(valid, count))


async def burst(api: ApiClient, lock: Lock, bodies: list[dict[str, object]]) -> Counter[int]:
    """PUT every body at once; return how many answers had each status."""
    path = f"/smartlock/{lock.smartlock_id}/auth"
    replies = await asyncio.gather(*(api.put(path, body) for body in bodies))
    return Counter(reply.status for reply in replies)


async def push_and_sync(api: ApiClient, nuki_sim: RunningSimulator, lock: Lock) -> list[dict]:
    """Let the push delay pass, sync the lock and return its keypad codes as listed."""
    delay = nuki_sim.world.config.push_delay
    advanced = await api.post("/_sim/clock/advance", {"seconds": delay}, validate=False)
    assert advanced.status == 200
    assert (await api.post(f"/smartlock/{lock.smartlock_id}/sync")).status == 204
    listing = await api.get(f"/smartlock/{lock.smartlock_id}/auth", params={"types": "13"})
    assert listing.status == 200
    return listing.body


async def test_five_hundred_concurrent_creates_fill_the_lock_exactly(
    nuki_sim: RunningSimulator, wide_api: ApiClient
):
    """500 concurrent distinct creates are all accepted (the cloud cannot see the queued ones), and after the push and a sync the lock holds exactly 100 codes while the newest refused ones (at most MAX_LISTED_FAILURES) are listed with P_ERROR_MAX_USER."""
    lock = nuki_sim.demo.locks[0]
    before = keypad_codes(lock)
    codes = distinct_codes(BURST, set(before))
    bodies = [{"name": f"Guest {i}", "type": KEYPAD, "code": c} for i, c in enumerate(codes)]

    assert await burst(wide_api, lock, bodies) == {204: BURST}
    listed = await push_and_sync(wide_api, nuki_sim, lock)

    on_device = keypad_codes(lock)
    assert len(on_device) == CAPACITY
    assert len(set(on_device)) == CAPACITY
    failed = [a for a in listed if a.get("error")]
    refused = BURST - (CAPACITY - len(before))
    assert refused > MAX_LISTED_FAILURES
    assert len(failed) == MAX_LISTED_FAILURES  # the oldest refusals are no longer listed
    assert all(MAX_USER in a["error"] for a in failed)
    clean = sorted(a["code"] for a in listed if not a.get("error"))
    assert clean == sorted(on_device)
    assert {a["code"] for a in failed} <= set(codes) - set(on_device)
    assert len({a["code"] for a in listed}) == len(listed)  # each code once


async def test_fifty_identical_concurrent_creates_leave_one_code(
    nuki_sim: RunningSimulator, wide_api: ApiClient
):
    """50 concurrent creates of one code are all accepted (the cloud cannot see the queued ones), and the lock keeps exactly one while the other 49 are listed with K_ERROR_CODE_ALREADY_EXISTS."""
    lock = nuki_sim.demo.locks[0]
    assert SHARED_CODE not in keypad_codes(lock)
    bodies = [
        {"name": f"Twin {i}", "type": KEYPAD, "code": SHARED_CODE} for i in range(IDENTICAL_BURST)
    ]

    assert await burst(wide_api, lock, bodies) == {204: IDENTICAL_BURST}
    listed = await push_and_sync(wide_api, nuki_sim, lock)

    assert keypad_codes(lock).count(SHARED_CODE) == 1
    twins = [a for a in listed if a["code"] == SHARED_CODE]
    assert len(twins) == IDENTICAL_BURST
    assert sum(1 for a in twins if not a.get("error")) == 1
    assert all(CODE_EXISTS in a["error"] for a in twins if a.get("error"))
