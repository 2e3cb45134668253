"""Undelivered webhooks survive a ``--state`` restart (nothing is lost, fact sheet §6.3).

The subscriptions, their secrets and their outboxes are part of the saved world: a
simulator started again on the same file delivers what the first one could not, in order,
signed with the same secret, once the receiver is back at the same URL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from nuki_sim.simulator.http.server import start_simulator
from tests.client import ApiClient
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import (
    ALL_FEATURES,
    PUSH_DELAY,
    WEBHOOKS,
    advance,
    create_code,
    flush,
    rename,
    subscribe,
    sync,
    webhook_view,
)

FIRST_SEED = 3
OTHER_SEED = 42  # the second start uses another seed: the state file decides the world
FIRST_RETRY = 10  # SimConfig.webhook_retry_first
BEFORE, AFTER = "Before restart", "After restart"
GUEST_NAME, GUEST_CODE = "Guest Keller", 345_678
SLOW_HOLD = 2.0  # real seconds the receiver holds the answer that close() cuts off
EXPECTED = [
    ("DEVICE_MASTERDATA", BEFORE),  # the rename
    ("DEVICE_AUTHS", GUEST_NAME),  # the sync: the new code reaches the cloud's copy
    ("DEVICE_MASTERDATA", BEFORE),
    ("DEVICE_CONFIG", None),
    ("DEVICE_MASTERDATA", AFTER),  # made after the restart, sent after the backlog
]


@asynccontextmanager
async def simulator(
    path: Path, http: aiohttp.ClientSession, seed: int
) -> AsyncIterator[tuple[ApiClient, int]]:
    """A simulator on ``path`` with a client for its demo token, and its first lock's id."""
    sim = await start_simulator(seed=seed, state_file=path)
    try:
        yield ApiClient(http, sim.url, sim.token), sim.demo.locks[0].smartlock_id
    finally:
        await sim.close()


def summary(payload: dict[str, Any]) -> tuple[str, str | None]:
    auth = payload.get("smartlockAuth")
    return payload["feature"], (auth or payload).get("name")


async def test_a_non_empty_outbox_is_delivered_after_a_restart(
    tmp_path: Path, http: aiohttp.ClientSession, receiver: Receiver
):
    """Events queued for a down receiver at close are delivered, in order and correctly
    signed, by the simulator started again on the same state file."""
    path = tmp_path / "w.json"
    await receiver.down()
    async with simulator(path, http, FIRST_SEED) as (api, lock):
        hook = await subscribe(api, receiver.url, ALL_FEATURES)
        await rename(api, lock, BEFORE)
        await create_code(api, lock, GUEST_NAME, GUEST_CODE)
        await advance(api, PUSH_DELAY)
        await sync(api, lock)
        assert await flush(api)
        before = await webhook_view(api, hook["id"])
        assert (before["outbox"], before["consecutiveFailures"]) == (len(EXPECTED) - 1, 1)

    async with simulator(path, http, OTHER_SEED) as (api, lock):
        listed = (await api.get(WEBHOOKS)).body
        assert listed == [hook]
        after = await webhook_view(api, hook["id"])
        assert {k: after[k] for k in before} == before
        await receiver.up()
        await rename(api, lock, AFTER)
        await advance(api, FIRST_RETRY)
        assert (await webhook_view(api, hook["id"]))["outbox"] == 0
    assert receiver.verify(hook["secret"])
    assert [summary(p) for p in receiver.payloads()] == EXPECTED


async def test_a_delivery_cut_off_by_close_is_sent_again_after_restart(
    tmp_path: Path, http: aiohttp.ClientSession, receiver: Receiver
):
    """An event whose POST was still unanswered at close stays queued and is sent again
    (at least once) by the next simulator on the same file."""
    path = tmp_path / "w.json"
    receiver.slow(SLOW_HOLD)
    async with simulator(path, http, FIRST_SEED) as (api, lock):
        hook = await subscribe(api, receiver.url, ["DEVICE_MASTERDATA"])
        await rename(api, lock, BEFORE)
        await receiver.wait_for(1)  # the POST arrived; its answer is held while we close
    receiver.release()

    async with simulator(path, http, OTHER_SEED) as (api, _):
        assert await flush(api)
        assert (await webhook_view(api, hook["id"]))["outbox"] == 0
    assert [summary(p) for p in receiver.payloads()] == [("DEVICE_MASTERDATA", BEFORE)] * 2
    first, again = receiver.deliveries
    assert first.raw == again.raw
    assert receiver.verify(hook["secret"])
