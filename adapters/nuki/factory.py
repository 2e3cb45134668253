"""Build the reference adapter the way the conformance kit asks for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nuki_sim.adapters.nuki.adapter import NukiTraitAdapter
from nuki_sim.adapters.nuki.client import NukiWebClient, RetryPolicy
from nuki_sim.adapters.nuki.receiver import Receiver, start_receiver

if TYPE_CHECKING:
    from nuki_sim.conformance.targets import AdapterContext


class ReferenceAdapter(NukiTraitAdapter):
    """The reference adapter with its own webhook receiver on 127.0.0.1."""

    receiver: Receiver | None = None

    async def close(self) -> None:
        await super().close()
        if self.receiver is not None:
            await self.receiver.close()


async def build_adapter(
    ctx: AdapterContext, cls: type[ReferenceAdapter] = ReferenceAdapter
) -> ReferenceAdapter:
    """Start an adapter of class ``cls`` with its own receiver, subscribed to Nuki's webhooks."""
    client = NukiWebClient(ctx.session, ctx.nuki_url, ctx.token, retry=RetryPolicy(base=0.01))
    adapter = cls(client, clock=ctx.clock, seed=ctx.seed)
    adapter.receiver = await start_receiver(adapter)
    await adapter.start(adapter.receiver.url)
    return adapter


async def reference_adapter(ctx: AdapterContext) -> ReferenceAdapter:
    """The conformance kit's default implementation under test."""
    return await build_adapter(ctx)
