"""How webhooks are carried to a real receiver (fact sheet §6.3).

Each event is one POST with ``Content-Type: application/json; charset=UTF-8`` and
``X-Nuki-Signature-SHA256``, the lowercase hex HMAC-SHA256 of the exact raw body keyed with
the subscription's secret (checked here with ``hmac`` alone). A failed POST is retried on
the simulated clock with the same bytes, later events wait behind it, and the delivery log
shows every attempt. Delivery never blocks API requests; a slow receiver delays only its
own subscription.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import datetime
from itertools import pairwise
from typing import Any

from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.receiver import HOOK_PATH, Receiver
from tests.webhooks.support import (
    ACTION_DONE,
    ALL_FEATURES,
    WEBHOOKS,
    act,
    advance,
    attempts,
    flush,
    rename,
    subscribe,
    webhook_view,
)

CONTENT_TYPE = "application/json; charset=UTF-8"
SIGNATURE = "X-Nuki-Signature-SHA256"
LOWER_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
UMLAUT_NAME = "Haustür Süd – Keller"  # non-ASCII: sent as UTF-8 bytes, signed as sent
WRONG_SECRET = "0" * 40
FIRST_RETRY = 10  # SimConfig.webhook_retry_first: seconds before the first retry
SERVER_ERROR = 500
NAMES = ["Door one", "Door two", "Door three"]
SLOW_HOLD = 2.0  # real seconds the slow receiver holds an answer at most (released earlier)
SHORT_FLUSH = 0.2  # real seconds: a flush that cannot finish while the slow receiver holds


def hmac_sha256(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


def names(receiver: Receiver) -> list[str]:
    return [payload["name"] for payload in receiver.payloads()]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_every_post_is_signed_json_over_the_exact_raw_body(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """Each POST carries the JSON content type and a lowercase hex HMAC-SHA256 of its raw
    bytes; re-serialized JSON or a wrong secret does not verify."""
    hook = await subscribe(api, receiver.url, ALL_FEATURES)
    lock = nuki_sim.demo.locks[0].smartlock_id
    await rename(api, lock, UMLAUT_NAME)
    await act(api, lock, "unlock")
    await advance(api, ACTION_DONE)
    assert receiver.features() == [
        "DEVICE_MASTERDATA",
        "DEVICE_LOGS",
        "DEVICE_STATUS",
        "DEVICE_STATUS",
    ]
    for delivery in receiver.deliveries:
        assert delivery.path == HOOK_PATH
        assert delivery.headers["Content-Type"] == CONTENT_TYPE
        given = delivery.headers[SIGNATURE]
        assert LOWER_HEX_SHA256.fullmatch(given)
        assert hmac.compare_digest(given, hmac_sha256(hook["secret"], delivery.raw))
        assert delivery.payload["feature"] in ALL_FEATURES
    assert receiver.verify(hook["secret"])
    assert not receiver.verify(WRONG_SECRET)

    renamed = next(d for d in receiver.deliveries if d.feature == "DEVICE_MASTERDATA")
    assert UMLAUT_NAME.encode("utf-8") in renamed.raw
    reencoded = json.dumps(renamed.payload).encode("utf-8")
    assert reencoded != renamed.raw
    assert hmac_sha256(hook["secret"], reencoded) != renamed.headers[SIGNATURE]


async def test_a_failed_post_is_retried_later_with_the_same_signed_bytes(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """A 500 is retried after 10 then 20 simulated seconds with identical bytes and
    signature; the next event waits behind it; the log shows each attempt."""
    hook = await subscribe(api, receiver.url, ["DEVICE_MASTERDATA"])
    lock = nuki_sim.demo.locks[0].smartlock_id
    receiver.status = SERVER_ERROR
    await rename(api, lock, NAMES[0])
    assert await flush(api)
    await rename(api, lock, NAMES[1])
    assert await flush(api)
    assert names(receiver) == NAMES[:1]  # the second event waits behind the failed first
    await advance(api, FIRST_RETRY - 1)
    assert len(receiver.deliveries) == 1  # not due yet
    await advance(api, 1)
    assert names(receiver) == [NAMES[0]] * 2
    receiver.status = 200
    await advance(api, 2 * FIRST_RETRY)
    assert names(receiver) == [NAMES[0]] * 3 + [NAMES[1]]
    first_three = receiver.deliveries[:3]
    assert len({d.raw for d in first_three}) == 1
    assert len({d.headers[SIGNATURE] for d in first_three}) == 1

    tried = await attempts(api, hook["id"])
    assert [(a["succeeded"], a["responseStatus"]) for a in tried] == [
        (False, SERVER_ERROR),
        (False, SERVER_ERROR),
        (True, 200),
        (True, 200),
    ]
    assert tried[0]["response"]["body"] == f"answered {SERVER_ERROR}"
    times = [instant(a["created"]) for a in tried]
    assert [(b - a).total_seconds() for a, b in pairwise(times)] == [
        FIRST_RETRY,
        2 * FIRST_RETRY,
        0,
    ]
    view = await webhook_view(api, hook["id"])
    assert (view["outbox"], view["consecutiveFailures"], view["active"]) == (0, 0, True)
    assert (view["sentSuccessfully"], view["sentErroneous"]) == (2, 2)


async def test_a_refused_connection_is_logged_with_status_0_and_an_error(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """When nothing listens, the attempt is logged as failed with responseStatus 0 and an error."""
    hook = await subscribe(api, receiver.url, ["DEVICE_MASTERDATA"])
    await receiver.down()
    await rename(api, nuki_sim.demo.locks[0].smartlock_id, NAMES[0])
    assert await flush(api)
    (tried,) = await attempts(api, hook["id"])
    assert (tried["succeeded"], tried["responseStatus"]) == (False, 0)
    assert tried["error"]
    assert json.loads(tried["request"]["body"])["name"] == NAMES[0]
    view = await webhook_view(api, hook["id"])
    assert (view["outbox"], view["consecutiveFailures"], view["active"]) == (1, 1, True)


async def test_a_slow_receiver_delays_only_its_own_outbox(
    make_receiver: Any, api: ApiClient, nuki_sim: RunningSimulator
):
    """While one receiver holds its answer, the other gets every event and API requests
    answer; the slow one then gets its events in order."""
    slow, fast = await make_receiver(), await make_receiver()
    slow_hook = await subscribe(api, slow.url, ["DEVICE_MASTERDATA"])
    fast_hook = await subscribe(api, fast.url, ["DEVICE_MASTERDATA"])
    slow.slow(SLOW_HOLD)
    lock = nuki_sim.demo.locks[0].smartlock_id
    await rename(api, lock, NAMES[0])
    await slow.wait_for(1)  # the slow receiver now holds its first answer
    for name in NAMES[1:]:
        await rename(api, lock, name)  # the API answers while the slow POST is open
    listed = await api.get(f"/smartlock/{lock}")
    assert (listed.status, listed.body["name"]) == (200, NAMES[-1])
    assert not await flush(api, timeout=SHORT_FLUSH)  # a delivery is still in progress
    assert names(fast) == NAMES
    assert (names(slow), slow.in_flight) == (NAMES[:1], 1)
    assert (await webhook_view(api, fast_hook["id"]))["outbox"] == 0
    assert (await webhook_view(api, slow_hook["id"]))["outbox"] == len(NAMES)

    slow.release()
    assert await flush(api)
    assert names(slow) == NAMES
    assert (await webhook_view(api, slow_hook["id"]))["outbox"] == 0


async def test_a_deleted_subscription_gets_nothing_more(
    make_receiver: Any, api: ApiClient, nuki_sim: RunningSimulator
):
    """After DELETE, new events reach the remaining subscription and not the deleted one."""
    gone, kept = await make_receiver(), await make_receiver()
    gone_hook = await subscribe(api, gone.url, ["DEVICE_MASTERDATA"])
    await subscribe(api, kept.url, ["DEVICE_MASTERDATA"])
    assert (await api.delete(f"{WEBHOOKS}/{gone_hook['id']}")).status == 204
    await rename(api, nuki_sim.demo.locks[0].smartlock_id, NAMES[0])
    assert await flush(api)
    assert (gone.deliveries, names(kept)) == ([], NAMES[:1])
