"""What one client can hold of the server is bounded: body bytes, slow connections, webhooks,
and the history of refused creates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.notify import MAX_SUBSCRIPTIONS_PER_ACCOUNT
from nuki_sim.simulator.domain.sync import MAX_LISTED_FAILURES
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator
from tests.client import ApiClient
from tests.control.support import ControlClient
from tests.control.test_cli import serving

KEYPAD = 13
MIB = 1024 * 1024
CHUNK = b"x" * (256 * 1024)
OFFERED = 128 * MIB  # what each hostile client would send if nobody stopped it
STREAMS = 4
RSS_ALLOWANCE_KB = 64 * 1024  # four bodies buffered whole would need 512 MiB
HEADER_TIMEOUT = 0.5
CLOSE_WAIT = 10.0  # seconds to wait for the server to close a slow connection
SLOW_CLIENTS = 20
BURST = 40  # connections opened at once, ten times the cap
CAP = 4
HOOK = "https://hooks.example.invalid/nuki"  # registered only: no event is ever sent
FLOOD = MAX_LISTED_FAILURES + 50
DEMO_CODES = 2  # keypad codes on the first demo lock (seed 0)


def code(index: int) -> int:
    """A distinct valid keypad code: 3 then five digits 1-9."""
    digits = []
    for _ in range(5):
        index, digit = divmod(index, 9)
        digits.append(str(digit + 1))
    return int("3" + "".join(digits))


async def post_chunked(url: str, path: str, token: str) -> tuple[int, int]:
    """Stream a chunked body until the server answers; return (status, bytes sent by then)."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (
        f"PUT {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    writer.write(head.encode())
    answer = asyncio.create_task(reader.readline())
    sent = 0
    try:
        while sent < OFFERED and not answer.done():
            writer.write(f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n")
            sent += len(CHUNK)
            await writer.drain()
            await asyncio.sleep(0)  # drain() need not yield: let the reader see an early answer
        status_line = await asyncio.wait_for(answer, CLOSE_WAIT)
    finally:
        writer.close()
    return int(status_line.split()[1]), sent


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc")


async def test_chunked_bodies_are_refused_early_with_bounded_memory(
    http: aiohttp.ClientSession,
):
    """Four concurrent 128 MiB chunked bodies: each gets 413 after little more than the limit,
    and the server's peak memory stays far below the bodies' size."""
    async with serving("--clock", "virtual") as served:
        lock = (await ApiClient(http, served.url, served.token).get("/smartlock")).body[0]
        path = f"/smartlock/{lock['smartlockId']}/auth"
        before = peak_rss_kb(served.process.pid)
        results = await asyncio.gather(
            *(post_chunked(served.url, path, served.token) for _ in range(STREAMS))
        )
        after = peak_rss_kb(served.process.pid)
    assert [status for status, _ in results] == [413] * STREAMS
    assert all(sent < OFFERED // 4 for _, sent in results), results
    assert after - before < RSS_ALLOWANCE_KB, f"peak RSS grew by {after - before} kB"


@pytest_asyncio.fixture
async def strict_sim() -> AsyncIterator[RunningSimulator]:
    """A simulator with a short header timeout and a small connection cap."""
    sim = await start_simulator(header_timeout=HEADER_TIMEOUT, max_connections=CAP)
    try:
        yield sim
    finally:
        await sim.close()


async def test_slow_header_connections_are_closed(strict_sim: RunningSimulator):
    """Connections that never finish their request head are closed after the header timeout."""
    host, port = strict_sim.url.removeprefix("http://").split(":")
    streams = [await asyncio.open_connection(host, int(port)) for _ in range(CAP)]
    for _, writer in streams:
        writer.write(b"GET /smartlock HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
    for reader, writer in streams:
        assert await asyncio.wait_for(reader.read(), CLOSE_WAIT) == b""
        writer.close()


async def test_connections_over_the_cap_get_503_and_the_rest_still_works(
    strict_sim: RunningSimulator, http: aiohttp.ClientSession
):
    """With the cap held by idle connections a new one is answered 503; once they close, 200."""
    host, port = strict_sim.url.removeprefix("http://").split(":")
    idle = [await asyncio.open_connection(host, int(port)) for _ in range(CAP)]
    reader, writer = await asyncio.open_connection(host, int(port))
    refused = await asyncio.wait_for(reader.read(), CLOSE_WAIT)
    writer.close()
    assert refused.startswith(b"HTTP/1.1 503 ")
    for _, idle_writer in idle:
        idle_writer.close()
        await idle_writer.wait_closed()
    reply = await ApiClient(http, strict_sim.url, strict_sim.token).get("/smartlock")
    assert reply.status == 200


async def test_a_body_that_stops_arriving_is_answered_408_and_changes_nothing(
    strict_sim: RunningSimulator,
):
    """A client that sends its head and part of a body, then stalls, gets Nuki's 408 within
    the timeout instead of holding its connection, and the lock is not renamed."""
    lock = strict_sim.demo.locks[0]
    host, port = strict_sim.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST /smartlock/{lock.smartlock_id} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {strict_sim.token}\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n".encode()
        + b'{"name": "Sta'
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CLOSE_WAIT)
    length = int(next(v for k, _, v in (h.partition(b": ") for h in head.split(b"\r\n"))
                      if k.lower() == b"content-length"))  # fmt: skip
    body = await asyncio.wait_for(reader.readexactly(length), CLOSE_WAIT)
    writer.close()

    assert head.startswith(b"HTTP/1.1 408 "), head
    assert b"did not arrive in time" in body
    assert lock.name != "Sta"


async def test_a_burst_of_connections_is_held_to_the_cap(strict_sim: RunningSimulator):
    """Forty connects at once (one accept wake-up, before any is registered): the server
    holds no more than the cap; the rest are answered 503 and closed."""
    host, port = strict_sim.url.removeprefix("http://").split(":")
    burst = await asyncio.gather(*(asyncio.open_connection(host, int(port)) for _ in range(BURST)))
    await asyncio.sleep(0.2)  # let every accepted connection reach the server
    held = len(strict_sim.runner.server.connections)
    for _, writer in burst:
        writer.close()
    assert held <= CAP


async def test_many_slow_clients_do_not_exhaust_the_server(
    strict_sim: RunningSimulator, http: aiohttp.ClientSession
):
    """Five times the cap in slow clients: all are closed, then a normal request answers 200."""
    host, port = strict_sim.url.removeprefix("http://").split(":")
    streams = [await asyncio.open_connection(host, int(port)) for _ in range(SLOW_CLIENTS)]
    for _, writer in streams:
        writer.write(b"GET / HTTP/1.1\r\n")
    for reader, writer in streams:
        await asyncio.wait_for(reader.read(), CLOSE_WAIT)
        writer.close()
    reply = await ApiClient(http, strict_sim.url, strict_sim.token).get("/smartlock")
    assert reply.status == 200


async def test_webhook_subscriptions_are_capped_per_account(api: ApiClient):
    """The account's 101st decentral webhook is refused with 409; deleting one makes room."""
    body = {"webhookUrl": HOOK, "webhookFeatures": ["DEVICE_STATUS"]}
    ids = []
    for _ in range(MAX_SUBSCRIPTIONS_PER_ACCOUNT):
        reply = await api.put("/api/decentralWebhook", body)
        assert reply.status == 200
        ids.append(reply.body["id"])
    refused = await api.put("/api/decentralWebhook", body)
    assert refused.status == 409
    assert (await api.delete(f"/api/decentralWebhook/{ids[0]}")).status == 204
    assert (await api.put("/api/decentralWebhook", body)).status == 200


@pytest.mark.nuki_sim(config=SimConfig(max_keypad_codes=DEMO_CODES + 1))
async def test_refused_creates_are_listed_up_to_a_cap_newest_first_kept(
    nuki_sim: RunningSimulator, api: ApiClient, http: aiohttp.ClientSession
):
    """A flood of creates the lock refuses (full) lists only the newest MAX_LISTED_FAILURES."""
    control = ControlClient(http, nuki_sim.url, None)
    lock = nuki_sim.demo.locks[0].smartlock_id
    before = len((await api.get(f"/smartlock/{lock}/auth")).body)
    names = [f"Flood {i}" for i in range(FLOOD + 1)]  # the first fills the lock
    for i, name in enumerate(names):
        body = {"type": KEYPAD, "name": name, "code": code(i)}
        assert (await api.put(f"/smartlock/{lock}/auth", body)).status == 204
    await control.post("/clock/advance", {"seconds": 10})
    assert (await api.post(f"/smartlock/{lock}/sync")).status == 204
    listed = (await api.get(f"/smartlock/{lock}/auth")).body
    failed = [a["name"] for a in listed if a.get("error")]
    assert failed == names[-MAX_LISTED_FAILURES:]
    assert len(listed) == before + 1 + MAX_LISTED_FAILURES  # the code that fitted, and the cap
