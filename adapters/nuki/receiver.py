"""The adapter's webhook receiver: signed Nuki POSTs in, anything else turned away.

A POST without ``X-Nuki-Signature-SHA256``, or with one that does not match the HMAC of the
raw body under the subscription's secret, gets 401 and changes nothing. So does a signature
that is not ASCII (a hex digest never is): it cannot match, and comparing it would raise.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from nuki_sim.adapters.nuki.adapter import SIGNATURE_HEADER, NukiTraitAdapter

WEBHOOK_PATH = "/nuki/webhook"
MAX_WEBHOOK_BYTES = 256 * 1024


def add_receiver(app: web.Application, adapter: NukiTraitAdapter, path: str = WEBHOOK_PATH) -> None:
    async def receive(request: web.Request) -> web.Response:
        raw = await request.read()
        signature = request.headers.get(SIGNATURE_HEADER)
        if signature is None or not signature.isascii() or not adapter.receive(raw, signature):
            return web.json_response(
                {"error": "missing or wrong X-Nuki-Signature-SHA256"}, status=401
            )
        return web.Response(status=204)

    app.router.add_post(path, receive)


@dataclass
class Receiver:
    """A receiver listening on its own socket (for tests and the adapter service)."""

    runner: web.AppRunner
    url: str

    async def close(self) -> None:
        await self.runner.cleanup()


async def start_receiver(
    adapter: NukiTraitAdapter, host: str = "127.0.0.1", port: int = 0
) -> Receiver:
    app = web.Application(client_max_size=MAX_WEBHOOK_BYTES)
    add_receiver(app, adapter)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1]
    return Receiver(runner, f"http://{host}:{bound}{WEBHOOK_PATH}")
