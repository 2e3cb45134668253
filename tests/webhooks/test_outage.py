"""A receiver that stays down, and a subscription that gives up (fact sheet §6.3).

Failed deliveries are retried on the simulated clock with a backoff that starts at 10 s and
doubles up to an hour, so six hours of outage cost far fewer attempts than the 20 failures
in a row that deactivate a subscription; when the receiver is back it gets every event, in
the order they happened. A deactivated subscription keeps collecting events and delivers
the backlog, in order, once reactivated.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

import pytest

from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.receiver import Delivery, Receiver
from tests.webhooks.support import (
    ACTION_DONE,
    PUSH_DELAY,
    act,
    advance,
    attempts,
    create_code,
    flush,
    rename,
    subscribe,
    sync,
    webhook_view,
)

STEP = 600  # seconds: the outage is walked in ten-minute steps, flushing after each
OUTAGE = 6 * 3_600
FIRST_RETRY = 10  # SimConfig.webhook_retry_first
RETRY_CEILING = 3_600  # SimConfig.webhook_retry_ceiling
DEACTIVATE_AFTER = SimConfig().webhook_deactivate_after  # 20 failures in a row
RECOVERY_STEPS = RETRY_CEILING // STEP + 1  # the next retry is at most an hour away
UNLOCK, LOCK = 1, 2  # SmartlockLog.action
CODE_A1, CODE_A2, CODE_B = ("Guest A1", 345_678), ("Guest A2", 456_789), ("Guest B", 567_891)
SHORT_DEACTIVATION = 3
BACKLOG = ["Name one", "Name two", "Name three", "Name four"]
AN_HOUR = 3_600
UNAVAILABLE = 503


def backoff(attempt: int) -> int:
    """Seconds between failed attempt ``attempt`` (1-based) and the next one, at least."""
    return min(RETRY_CEILING, FIRST_RETRY * 2 ** (attempt - 1))


def once_each(deliveries: list[Delivery]) -> list[bytes]:
    """At-least-once: a redelivery repeats the head, so drop consecutive repeats."""
    bodies: list[bytes] = []
    for delivery in deliveries:
        if not bodies or bodies[-1] != delivery.raw:
            bodies.append(delivery.raw)
    return bodies


async def first_burst(api: ApiClient, a: int, b: int) -> None:
    """Codes on both locks, reaching the cloud with a sync."""
    await create_code(api, a, *CODE_A1)
    await create_code(api, b, *CODE_B)
    await advance(api, PUSH_DELAY)
    await sync(api, a)
    await sync(api, b)


async def second_burst(api: ApiClient, a: int, b: int) -> None:
    """Both locks unlocked from the web."""
    await act(api, a, "unlock")
    await act(api, b, "unlock")
    await advance(api, ACTION_DONE)


async def third_burst(api: ApiClient, a: int, b: int) -> None:
    """A second code on A, B's code deleted, both locked, B renamed, both synced."""
    b_code = next(x for x in (await api.get(f"/smartlock/{b}/auth")).body if x["name"] == CODE_B[0])
    await create_code(api, a, *CODE_A2)
    assert (await api.delete(f"/smartlock/{b}/auth/{b_code['id']}")).status == 204
    await act(api, a, "lock")
    await act(api, b, "lock")
    await rename(api, b, "Back door, renamed")
    await advance(api, ACTION_DONE)
    await sync(api, a)
    await sync(api, b)


BURSTS = {0: first_burst, 12: second_burst, 24: third_burst}  # step → what the user does


def auth_changes(bodies: list[Any], lock: int) -> list[tuple[str, bool]]:
    return [
        (p["smartlockAuth"]["name"], p["deleted"])
        for p in bodies
        if p["feature"] == "DEVICE_AUTHS" and p["smartlockAuth"]["smartlockId"] == lock
    ]


def log_actions(bodies: list[Any], lock: int) -> list[int]:
    return [
        p["smartlockLog"]["action"]
        for p in bodies
        if p["feature"] == "DEVICE_LOGS" and p["smartlockLog"]["smartlockId"] == lock
    ]


async def test_a_six_hour_outage_loses_nothing_and_keeps_the_order(
    make_receiver: Any, api: ApiClient, nuki_sim: RunningSimulator
):
    """Down for six simulated hours while two locks change, the receiver later gets every
    event exactly as a never-down witness got them (so in order per lock); the log shows
    failed attempts with growing gaps and the subscription stays active."""
    witness, outage = await make_receiver(), await make_receiver()
    account = nuki_sim.demo.account.account_id
    other_key = await api.post(f"/_sim/accounts/{account}/tokens", {"scopes": sorted(SCOPES)})
    await subscribe(api.with_token(other_key.body["token"]), witness.url)  # its own key's log
    hook = await subscribe(api, outage.url)
    await outage.down()
    a, b = nuki_sim.demo.locks[0].smartlock_id, nuki_sim.demo.locks[2].smartlock_id

    for step in range(OUTAGE // STEP):
        if step in BURSTS:
            await BURSTS[step](api, a, b)
        await advance(api, STEP)

    failed = await attempts(api, hook["id"])
    assert outage.deliveries == []
    assert len(failed) > 2
    assert all(not x["succeeded"] and x["responseStatus"] == 0 and x["error"] for x in failed)
    times = [datetime.fromisoformat(x["created"]) for x in failed]
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(times)]
    for attempt, gap in enumerate(gaps, start=1):
        assert backoff(attempt) <= gap < backoff(attempt) + STEP, (attempt, gaps)
    assert gaps[0] < RETRY_CEILING <= gaps[-1]  # from one step apart up to an hour apart
    view = await webhook_view(api, hook["id"])
    assert view["active"] is True
    assert view["consecutiveFailures"] == len(failed) < DEACTIVATE_AFTER
    assert view["outbox"] == len(witness.deliveries)
    key = nuki_sim.demo.token.api_key_id
    nuki_log = (await api.get(f"/api/key/{key}/webhook/logs", params={"limit": "100"})).body
    assert [x["id"] for x in nuki_log] == [x["id"] for x in reversed(failed)]

    await outage.up()
    assert outage.url == hook["webhookUrl"]  # back on the same port
    for _ in range(RECOVERY_STEPS):
        if (await webhook_view(api, hook["id"]))["outbox"] == 0:
            break
        await advance(api, STEP)
    assert (await webhook_view(api, hook["id"]))["outbox"] == 0
    assert outage.verify(hook["secret"])
    assert once_each(outage.deliveries) == witness.bodies()
    for lock in (a, b):
        assert once_each(outage.for_lock(lock)) == [d.raw for d in witness.for_lock(lock)]
    delivered = outage.payloads()
    assert auth_changes(delivered, a) == [(CODE_A1[0], False), (CODE_A2[0], False)]
    assert auth_changes(delivered, b) == [(CODE_B[0], False), (CODE_B[0], True)]
    assert log_actions(delivered, a) == log_actions(delivered, b) == [UNLOCK, LOCK]
    after = await attempts(api, hook["id"])
    retried = after[len(failed)]
    assert (retried["succeeded"], retried["request"]["body"]) == (
        True,
        failed[0]["request"]["body"],
    )


@pytest.mark.nuki_sim(config=SimConfig(webhook_deactivate_after=SHORT_DEACTIVATION))
@pytest.mark.parametrize("route", ["nuki", "control"])
async def test_failures_deactivate_and_reactivation_delivers_the_backlog(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator, route: str
):
    """After three failures in a row the subscription is inactive and sends nothing, events
    still queue up, and reactivation (Nuki's or the control plane's) delivers them in order."""
    hook = await subscribe(api, receiver.url, ["DEVICE_MASTERDATA"])
    lock = nuki_sim.demo.locks[0].smartlock_id
    receiver.status = UNAVAILABLE
    await rename(api, lock, BACKLOG[0])
    assert await flush(api)
    await advance(api, FIRST_RETRY)
    assert (await webhook_view(api, hook["id"]))["active"] is True
    await advance(api, 2 * FIRST_RETRY)
    view = await webhook_view(api, hook["id"])
    assert (view["active"], view["consecutiveFailures"]) == (False, SHORT_DEACTIVATION)

    for name in BACKLOG[1:]:
        await rename(api, lock, name)
    await advance(api, AN_HOUR)
    assert len(receiver.deliveries) == SHORT_DEACTIVATION  # nothing is tried while inactive
    assert (await webhook_view(api, hook["id"]))["outbox"] == len(BACKLOG)
    tried = await attempts(api, hook["id"])
    assert [x["responseStatus"] for x in tried] == [UNAVAILABLE] * SHORT_DEACTIVATION

    receiver.status = 200
    if route == "nuki":
        key = nuki_sim.demo.token.api_key_id
        reply = await api.post(f"/api/key/{key}/advanced/reactivate")
        assert (reply.status, reply.body) == (204, None)
    else:
        reply = await api.post(f"/_sim/webhooks/{hook['id']}/reactivate")
        assert (reply.status, reply.body["active"]) == (200, True)
    assert await flush(api)  # delivered at once, without moving the clock
    assert [p["name"] for p in receiver.payloads()[SHORT_DEACTIVATION:]] == BACKLOG
    view = await webhook_view(api, hook["id"])
    assert (view["active"], view["consecutiveFailures"], view["outbox"]) == (True, 0, 0)
