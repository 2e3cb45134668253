"""Webhook hardening (issue "[2/5] Hardening", 4 and 6), with real receivers on 127.0.0.1.

Redirects are never followed (a 3xx is a failed delivery). A URL that reaches the simulator
itself is refused at registration and never contacted, so a webhook cannot call ``/_sim``.
Private and link-local addresses need ``SimConfig.webhook_allow_private``. The delivery log
says only that no answer came, never why. ``X-Nuki-Sim-Event-Id`` and ``X-Nuki-Sim-Attempt``
tell a retry from a new event while the body stays Nuki's. A bug in one delivery is logged
and the dispatcher carries on. The adapter's ``/callbacks`` follows the same URL rule.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from nuki_sim.adapters.service import start_adapter_service
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.webhooks import Pending
from nuki_sim.simulator.http.dispatcher import GuardedResolver
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.robustness.hostile import assert_nuki_error, world_state
from tests.webhooks.receiver import HOST, Receiver
from tests.webhooks.support import WEBHOOKS, advance, attempts, flush, rename, subscribe

FEATURES = ["DEVICE_MASTERDATA"]
FIRST_RETRY = 10  # SimConfig.webhook_retry_first
MOVED_BODY = "moved elsewhere"
SHORT_TIMEOUT = 0.3  # real seconds a receiver has to answer in the timeout test
HOLD = 5.0  # real seconds the slow receiver would hold (released at the end of the test)
SELF_URLS = [
    "http://127.0.0.1:{port}/_sim/reset",
    "http://localhost:{port}/_sim/reset",
    "http://LOCALHOST.:{port}/_sim/reset",
    "http://hooks.localhost:{port}/_sim/reset",
    "http://[::1]:{port}/_sim/reset",
    "http://[::ffff:127.0.0.1]:{port}/_sim/reset",
    "http://127.0.0.2:{port}/_sim/reset",
    "http://0.0.0.0:{port}/_sim/reset",
    "https://127.0.0.1:{port}/_sim/reset",
]
PRIVATE_URLS = [
    "https://10.0.0.1/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.20:8443/hook",
    "https://100.64.0.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "http://192.168.1.20/hook",
]
NEVER_URLS = ["https://0.0.0.0/hook", "https://[::]/hook", "https://224.0.0.1/hook",
              "https://240.0.0.1/hook", "https://0.1.2.3/hook"]  # fmt: skip


class Unsendable(str):
    """A body whose encoding raises: a bug of ours, staged inside one outbox item."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        raise RuntimeError("staged failure while encoding a webhook body")


class Redirector:
    """A receiver that answers every POST with 307 to ``target`` (another local address)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.hits = 0
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def _handle(self, request: web.Request) -> web.Response:
        self.hits += 1
        return web.Response(status=307, headers={"Location": self.target}, text=MOVED_BODY)

    async def __aenter__(self) -> Redirector:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, HOST, 0).start()
        self.url = f"http://{HOST}:{self.runner.addresses[0][1]}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


@pytest_asyncio.fixture
async def elsewhere() -> AsyncIterator[Receiver]:
    """The address a redirect points to: it must never be reached."""
    async with Receiver() as one:
        yield one


async def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    elsewhere: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """A 307 from the receiver is a failed attempt (status 307); the redirect target gets nothing."""
    async with Redirector(elsewhere.url) as redirector:
        hook = await subscribe(api, redirector.url, FEATURES)
        await rename(api, nuki_sim.demo.locks[0].smartlock_id, "Porch")
        assert await flush(api)
        assert redirector.hits == 1
    assert elsewhere.deliveries == []
    (tried,) = await attempts(api, hook["id"])
    assert (tried["succeeded"], tried["responseStatus"]) == (False, 307)
    assert tried["response"]["body"] == MOVED_BODY


@pytest.mark.parametrize("template", SELF_URLS)
async def test_a_url_that_reaches_the_simulator_itself_is_refused(
    api: ApiClient, nuki_sim: RunningSimulator, template: str
):
    """A webhook to the simulator's own port (any loopback alias, 0.0.0.0, https) is a 400; nothing changes."""
    before = world_state(nuki_sim)
    url = template.format(port=nuki_sim.port)
    reply = await api.put(WEBHOOKS, {"webhookUrl": url, "webhookFeatures": FEATURES})
    assert_nuki_error(reply, 400)
    assert "simulator itself" in reply.headers["X-Nuki-Sim-Hint"]
    assert world_state(nuki_sim) == before


async def test_a_stored_url_to_the_simulator_is_never_contacted(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """A subscription whose URL points at /_sim/reset (e.g. from an old snapshot) fails without a request."""
    made = await api.post(
        "/_sim/smartlocks", {"accountId": nuki_sim.demo.account.account_id}, validate=False
    )
    assert made.status == 201
    hook = await subscribe(api, receiver.url, FEATURES)
    nuki_sim.world.subscriptions[hook["id"]].url = f"http://127.0.0.1:{nuki_sim.port}/_sim/reset"
    await rename(api, nuki_sim.demo.locks[0].smartlock_id, "Porch")
    assert await flush(api)
    (tried,) = await attempts(api, hook["id"])
    assert (tried["succeeded"], tried["responseStatus"]) == (False, 0)
    assert made.body["smartlockId"] in nuki_sim.world.locks  # no reset happened
    journal = await api.get("/_sim/requests", params={"includeControl": "true"}, validate=False)
    assert "/_sim/reset" not in [entry["path"] for entry in journal.body]
    assert receiver.deliveries == []


@pytest.mark.parametrize("url", PRIVATE_URLS + NEVER_URLS)
async def test_private_link_local_and_unroutable_addresses_are_refused(
    api: ApiClient, nuki_sim: RunningSimulator, url: str
):
    """Private, link-local, unspecified, multicast and reserved addresses are a 400 by default."""
    before = world_state(nuki_sim)
    reply = await api.put(WEBHOOKS, {"webhookUrl": url, "webhookFeatures": FEATURES})
    assert_nuki_error(reply, 400)
    assert world_state(nuki_sim) == before


@pytest.mark.nuki_sim(config=SimConfig(webhook_allow_private=True))
@pytest.mark.parametrize("url", PRIVATE_URLS)
async def test_private_addresses_are_accepted_when_the_config_allows_them(api: ApiClient, url: str):
    """With ``webhook_allow_private`` a private or link-local URL is registered (no event is sent)."""
    assert (await subscribe(api, url, FEATURES))["webhookUrl"] == url


@pytest.mark.nuki_sim(config=SimConfig(webhook_allow_private=True))
@pytest.mark.parametrize("url", NEVER_URLS)
async def test_unroutable_addresses_stay_refused_even_when_private_ones_are_allowed(
    api: ApiClient, url: str
):
    """``webhook_allow_private`` never opens unspecified, multicast or reserved addresses."""
    reply = await api.put(WEBHOOKS, {"webhookUrl": url, "webhookFeatures": FEATURES})
    assert_nuki_error(reply, 400)


async def test_a_name_is_checked_again_once_resolved(nuki_sim: RunningSimulator):
    """The dispatcher's resolver drops loopback answers for the simulator's own port only."""
    resolver = GuardedResolver(nuki_sim.world)
    try:
        with pytest.raises(OSError, match="may not reach"):
            await resolver.resolve("localhost", nuki_sim.port)
        found = await resolver.resolve("localhost", nuki_sim.port + 1)
        assert found
        assert {r["host"] for r in found} <= {"127.0.0.1", "::1"}
    finally:
        await resolver.close()


@pytest.mark.nuki_sim(config=SimConfig(webhook_timeout=SHORT_TIMEOUT))
async def test_the_log_does_not_tell_a_closed_port_from_a_timeout(
    make_receiver: Any, api: ApiClient, nuki_sim: RunningSimulator
):
    """A refused connection and a receiver that never answers are logged with the same error text."""
    closed, silent = await make_receiver(), await make_receiver()
    closed_hook = await subscribe(api, closed.url, FEATURES)
    silent_hook = await subscribe(api, silent.url, FEATURES)
    await closed.down()
    silent.slow(HOLD)
    try:
        await rename(api, nuki_sim.demo.locks[0].smartlock_id, "Porch")
        assert await flush(api)
    finally:
        silent.release()
    (refused,) = await attempts(api, closed_hook["id"])
    (timed_out,) = await attempts(api, silent_hook["id"])
    assert (refused["responseStatus"], timed_out["responseStatus"]) == (0, 0)
    assert refused["error"] == timed_out["error"]
    for word in ("refused", "timeout", "Connect", "Errno"):
        assert word not in refused["error"]


async def test_retries_and_new_events_are_told_apart_by_headers(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """A retry repeats X-Nuki-Sim-Event-Id with the next X-Nuki-Sim-Attempt; a new event has a new id."""
    lock = nuki_sim.demo.locks[0].smartlock_id
    await subscribe(api, receiver.url, FEATURES)
    receiver.status = 500
    await rename(api, lock, "Porch")
    await rename(api, lock, "Garden")
    assert await flush(api)
    receiver.status = 200
    await advance(api, FIRST_RETRY)
    first, retry, second = receiver.deliveries
    seen = [(d.headers["X-Nuki-Sim-Event-Id"], d.headers["X-Nuki-Sim-Attempt"])
            for d in receiver.deliveries]  # fmt: skip
    assert seen[0][0] == seen[1][0] != seen[2][0]
    assert [attempt for _, attempt in seen] == ["1", "2", "1"]
    assert first.raw == retry.raw != second.raw
    assert [p["name"] for p in receiver.payloads()] == ["Porch", "Porch", "Garden"]
    assert "X-Nuki-Sim" not in first.raw.decode()  # the body stays Nuki's


async def test_a_delivery_that_raises_is_logged_and_delivery_goes_on(
    make_receiver: Any,
    api: ApiClient,
    nuki_sim: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
):
    """An exception while sending is logged once per attempt, recorded as a failure, and every
    subscription keeps delivering (the broken one again once the bad item is gone)."""
    broken, healthy = await make_receiver(), await make_receiver()
    broken_hook = await subscribe(api, broken.url, FEATURES)
    await subscribe(api, healthy.url, FEATURES)
    sub = nuki_sim.world.subscriptions[broken_hook["id"]]
    poison = Pending(10_000, "DEVICE_MASTERDATA", None, Unsendable("{}"), nuki_sim.world.now())
    sub.outbox.appendleft(poison)
    caplog.set_level(logging.ERROR, logger="nuki_sim.webhooks")
    await rename(api, nuki_sim.demo.locks[0].smartlock_id, "Porch")
    assert await flush(api)
    assert [p["name"] for p in healthy.payloads()] == ["Porch"]
    errors = [r for r in caplog.records if r.name == "nuki_sim.webhooks"]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert errors[0].exc_info[0] is RuntimeError
    (failed,) = await attempts(api, broken_hook["id"])
    assert (failed["succeeded"], failed["responseStatus"]) == (False, 0)

    sub.outbox.popleft()  # the operator's fix; the same task sends what waited behind it
    await advance(api, FIRST_RETRY)
    assert [p["name"] for p in broken.payloads()] == ["Porch"]
    assert len([r for r in caplog.records if r.name == "nuki_sim.webhooks"]) == 1


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("http://203.0.113.7/events", 400),
        ("http://192.168.1.20:9000/events", 400),
        ("https://10.0.0.1/events", 400),
        ("http://127.0.0.1:9/events", 201),  # accepted, and no event is sent in this test
    ],
)
async def test_adapter_callbacks_follow_the_simulator_url_rule(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession, url: str, status: int
):
    """The adapter's POST /callbacks refuses plain http off loopback and private addresses."""
    service = await start_adapter_service(nuki_sim.url, nuki_sim.token)
    try:
        async with http.post(f"{service.url}/callbacks", json={"url": url}) as reply:
            body: dict[str, Any] = json.loads(await reply.read())
            assert reply.status == status, body
        async with http.get(f"{service.url}/callbacks") as reply:
            listed = [c["url"] for c in (await reply.json())["callbacks"]]
        assert listed == ([url] if status == 201 else [])
    finally:
        async with http.delete(f"{service.url}/callbacks"):
            pass
        await service.close()
