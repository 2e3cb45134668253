"""The reference Nuki adapter served: the one module of the service that knows Nuki.

:func:`start_adapter_service` wires a Nuki Web client, the adapter and the service's app
together on a real socket, with Nuki's webhook receiver at ``/nuki/webhook``, and
subscribes to Nuki's webhooks there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from aiohttp import web

from nuki_sim.adapters.clock import Clock
from nuki_sim.adapters.nuki.adapter import NukiTraitAdapter
from nuki_sim.adapters.nuki.client import NukiError, NukiUnavailable, NukiWebClient, RetryPolicy
from nuki_sim.adapters.nuki.receiver import MAX_WEBHOOK_BYTES, WEBHOOK_PATH, add_receiver
from nuki_sim.adapters.service.app import create_app
from nuki_sim.adapters.service.callbacks import CallbackHub, CallbackPolicy, Sleep
from nuki_sim.adapters.service.errors import Upstream
from nuki_sim.adapters.service.routes import STATE

NUKI_WEB = Upstream((NukiError, NukiUnavailable), "NukiWebError")


def create_service_app(
    adapter: NukiTraitAdapter,
    *,
    callback_urls: Sequence[str] = (),
    callback_policy: CallbackPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
    timeout_check_every: float | None = 30.0,
) -> web.Application:
    """The service's aiohttp app for a Nuki ``adapter``, with its webhook receiver."""
    app = create_app(
        adapter, upstream=NUKI_WEB, callback_urls=callback_urls, callback_policy=callback_policy,
        sleep=sleep, timeout_check_every=timeout_check_every, client_max_size=MAX_WEBHOOK_BYTES,
    )  # fmt: skip
    add_receiver(app, adapter)
    return app


@dataclass
class AdapterService:
    """A running service: its base URL, the adapter behind it, and how to stop it."""

    url: str
    webhook_url: str
    adapter: NukiTraitAdapter
    app: web.Application
    runner: web.AppRunner
    session: aiohttp.ClientSession

    @property
    def callbacks(self) -> CallbackHub:
        return self.app[STATE].hub

    async def close(self, unsubscribe_timeout: float = 5.0) -> None:
        """Unsubscribe from Nuki's webhooks (giving up after ``unsubscribe_timeout`` seconds
        when Nuki does not answer), stop serving, close the HTTP session."""
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.adapter.close(), unsubscribe_timeout)
        finally:
            await self.runner.cleanup()
            await self.session.close()

    async def __aenter__(self) -> AdapterService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def start_adapter_service(
    nuki_url: str,
    token: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    public_url: str | None = None,
    seed: int = 0,
    clock: Clock | None = None,
    action_timeout: timedelta = timedelta(hours=48),
    retry: RetryPolicy | None = None,
    callback_urls: Sequence[str] = (),
    callback_policy: CallbackPolicy | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AdapterService:
    """Serve the adapter for Nuki Web at ``nuki_url`` on ``host:port`` (0 picks a free port).

    Nuki's webhooks are subscribed at ``<public_url>/nuki/webhook``; without ``public_url``
    at the service's own URL, which only works when Nuki can reach ``host`` (a simulator on
    the same machine can; the real Nuki Web needs a public URL).
    """
    session = aiohttp.ClientSession()
    runner: web.AppRunner | None = None
    try:
        client = NukiWebClient(session, nuki_url, token, retry=retry)
        adapter = NukiTraitAdapter(client, clock=clock, action_timeout=action_timeout, seed=seed)
        app = create_service_app(
            adapter, callback_urls=callback_urls, callback_policy=callback_policy, sleep=sleep
        )
        app[STATE].ready = False  # /health says 503 until the locks are loaded
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = int(runner.addresses[0][1])
        url = f"http://{f'[{host}]' if ':' in host else host}:{bound}"
        webhook_url = (public_url or url).rstrip("/") + WEBHOOK_PATH
        await adapter.start(webhook_url)
        app[STATE].ready = True
    except BaseException:
        if runner is not None:
            await runner.cleanup()
        await session.close()
        raise
    return AdapterService(url, webhook_url, adapter, app, runner, session)
