"""``GET /api/key/{apiKeyId}/webhook/logs`` (fact sheet §3.4, §6.3).

The API key's delivery attempts, newest first; ``limit`` defaults to 50 and is capped at
100; ``id`` is a cursor that returns the attempts older than that one; only the last 300
attempts are kept. Each entry shows, as Nuki documents it, the message sent (``response``:
its headers, JSON payload, timestamp and full URL) and the receiver's status.
"""

from __future__ import annotations

import json
from typing import Any

from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import flush, rename, subscribe

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
KEPT = 300
PAGE = 5
FEW = 12  # events in the paging test: two full pages and a short one
TOO_MANY = KEPT + 7  # more attempts than the log keeps
UNKNOWN_CURSOR = "0" * 24


def door(index: int) -> str:
    return f"Door {index:03d}"


async def produce(api: ApiClient, sim: RunningSimulator, receiver: Receiver, count: int) -> None:
    """``count`` renames, each one DEVICE_MASTERDATA event, all delivered."""
    await subscribe(api, receiver.url, ["DEVICE_MASTERDATA"])
    lock = sim.demo.locks[0].smartlock_id
    for index in range(count):
        await rename(api, lock, door(index))
    assert await flush(api)
    assert len(receiver.deliveries) == count


async def logs(api: ApiClient, sim: RunningSimulator, **params: str) -> list[dict[str, Any]]:
    reply = await api.get(f"/api/key/{sim.demo.token.api_key_id}/webhook/logs", params=params)
    assert reply.status == 200, reply.body
    return list(reply.body)


def sent_bodies(entries: list[dict[str, Any]]) -> list[Any]:
    return [entry["response"]["body"] for entry in entries]


def newest_first(receiver: Receiver) -> list[Any]:
    return [json.loads(raw) for raw in reversed(receiver.bodies())]


async def test_entries_describe_each_attempt(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """An entry names the key and account, the receiver's status, and the message sent:
    its payload, the full URL, and the headers with the signature the receiver got."""
    await produce(api, nuki_sim, receiver, 1)
    (entry,) = await logs(api, nuki_sim)
    assert entry["apiKeyId"] == nuki_sim.demo.token.api_key_id
    assert entry["accountId"] == nuki_sim.demo.account.account_id
    assert (entry["succeeded"], entry["responseStatus"]) == (True, 200)
    sent = entry["response"]
    assert sent["body"] == json.loads(receiver.bodies()[0])
    assert sent["path"] == receiver.url
    assert sent["headers"]["Content-Type"] == "application/json; charset=UTF-8"
    got = receiver.deliveries[0].headers
    assert sent["headers"]["X-Nuki-Signature-SHA256"] == got["X-Nuki-Signature-SHA256"]
    assert "requestId" not in entry  # a device-triggered webhook has none


async def test_newest_first_with_limit_and_older_than_cursor(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """Pages of ``limit`` entries, walked with ``id``, list every attempt newest first."""
    await produce(api, nuki_sim, receiver, FEW)
    everything = await logs(api, nuki_sim)
    assert sent_bodies(everything) == newest_first(receiver)
    pages: list[list[dict[str, Any]]] = [await logs(api, nuki_sim, limit=str(PAGE))]
    while pages[-1]:
        pages.append(await logs(api, nuki_sim, limit=str(PAGE), id=pages[-1][-1]["id"]))
    assert [len(page) for page in pages] == [PAGE, PAGE, FEW - 2 * PAGE, 0]
    assert [entry for page in pages for entry in page] == everything


async def test_limit_defaults_to_50_is_capped_at_100_and_300_are_kept(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """Without ``limit`` 50 entries come back, never more than 100, and only the newest 300
    attempts can be paged through."""
    await produce(api, nuki_sim, receiver, TOO_MANY)
    assert len(await logs(api, nuki_sim)) == DEFAULT_LIMIT
    assert len(await logs(api, nuki_sim, limit=str(10 * MAX_LIMIT))) == MAX_LIMIT
    walked = await logs(api, nuki_sim, limit=str(MAX_LIMIT))
    while page := await logs(api, nuki_sim, limit=str(MAX_LIMIT), id=walked[-1]["id"]):
        walked.extend(page)
    assert len(walked) == KEPT
    assert sent_bodies(walked) == newest_first(receiver)[:KEPT]


async def test_a_bad_cursor_or_limit_is_400(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """An ``id`` that names no attempt, or a ``limit`` below 1 or not a number, is a 400."""
    await produce(api, nuki_sim, receiver, 1)
    path = f"/api/key/{nuki_sim.demo.token.api_key_id}/webhook/logs"
    for params in ({"id": UNKNOWN_CURSOR}, {"limit": "0"}, {"limit": "ten"}):
        assert (await api.get(path, params=params)).status == 400, params
