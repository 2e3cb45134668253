"""Build the reference adapter the way the conformance kit asks for it.

The kit passes its ``AdapterContext``; :class:`BuildContext` states the part of it used
here, so the adapter does not import the kit that sits on top of it.
"""

from __future__ import annotations

from typing import Protocol

import aiohttp

from nuki_sim.adapters.clock import Clock
from nuki_sim.adapters.nuki.adapter import NukiTraitAdapter
from nuki_sim.adapters.nuki.client import NukiWebClient, RetryPolicy
from nuki_sim.adapters.nuki.receiver import Receiver, start_receiver


class BuildContext(Protocol):
    """Where Nuki Web is, whose token to use, and the clock and seed of the adapter."""

    @property
    def nuki_url(self) -> str: ...

    @property
    def token(self) -> str: ...

    @property
    def session(self) -> aiohttp.ClientSession: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def seed(self) -> int: ...


class ReferenceAdapter(NukiTraitAdapter):
    """The reference adapter with its own webhook receiver on 127.0.0.1."""

    receiver: Receiver | None = None

    async def close(self) -> None:
        await super().close()
        if self.receiver is not None:
            await self.receiver.close()


async def build_adapter(
    ctx: BuildContext, cls: type[ReferenceAdapter] = ReferenceAdapter
) -> ReferenceAdapter:
    """Start an adapter of class ``cls`` with its own receiver, subscribed to Nuki's webhooks."""
    client = NukiWebClient(ctx.session, ctx.nuki_url, ctx.token, retry=RetryPolicy(base=0.01))
    adapter = cls(client, clock=ctx.clock, seed=ctx.seed)
    adapter.receiver = await start_receiver(adapter)
    await adapter.start(adapter.receiver.url)
    return adapter


async def reference_adapter(ctx: BuildContext) -> ReferenceAdapter:
    """The conformance kit's default implementation under test."""
    return await build_adapter(ctx)
