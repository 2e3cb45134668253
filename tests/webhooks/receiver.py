"""A real aiohttp webhook receiver on 127.0.0.1, as an integrator would run one.

It records every POST (path, headers, the exact raw bytes and the parsed JSON) on arrival,
and can be told to answer with an error status, to hold its answers for a bounded real
time (a slow receiver), or to go down (its listening socket and every open connection are
closed, so the next POST is refused) and come back on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

HOST = "127.0.0.1"
HOOK_PATH = "/nuki/webhook"
SIGNATURE_HEADER = "X-Nuki-Signature-SHA256"
SHUTDOWN_SECONDS = 1.0  # how long going down waits for a held answer to finish
ARRIVAL_TIMEOUT = 5.0  # real seconds wait_for() waits for POSTs to arrive


def signature(secret: str, raw: bytes) -> str:
    """What Nuki sends: lowercase hex HMAC-SHA256 of the raw body, keyed with the secret."""
    return hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


def lock_of(payload: Any) -> int | None:
    """The smart lock a payload is about, wherever the feature keeps its id."""
    if not isinstance(payload, dict):
        return None
    for key in ("smartlockLog", "smartlockAuth"):
        if isinstance(payload.get(key), dict):
            return payload[key].get("smartlockId")
    return payload.get("smartlockId")


@dataclass(frozen=True)
class Delivery:
    """One POST as it arrived."""

    path: str
    headers: CIMultiDict[str]
    raw: bytes
    payload: Any

    @property
    def feature(self) -> str | None:
        return self.payload.get("feature") if isinstance(self.payload, dict) else None

    @property
    def smartlock_id(self) -> int | None:
        return lock_of(self.payload)

    def signed_with(self, secret: str) -> bool:
        given = self.headers.get(SIGNATURE_HEADER, "")
        return hmac.compare_digest(given, signature(secret, self.raw))


class Receiver:
    """A webhook endpoint on a real socket; ``url`` stays the same across down/up."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.status = 200  # what the next POSTs are answered with
        self.hold_seconds = 0.0  # > 0: hold each answer this long, or until release()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._released = asyncio.Event()
        self._arrived = asyncio.Condition()
        self._in_handler = 0

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.port, "start the receiver first"
        return f"http://{HOST}:{self.port}{HOOK_PATH}"

    @property
    def is_up(self) -> bool:
        return self._runner is not None

    async def up(self) -> None:
        """Listen (again) on 127.0.0.1: a free port the first time, the same port after."""
        assert self._runner is None, "the receiver is already up"
        app = web.Application()
        app.router.add_post(HOOK_PATH, self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        site = web.TCPSite(runner, HOST, self.port, reuse_address=True)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def down(self) -> None:
        """Stop listening and close every connection: POSTs are refused until ``up()``."""
        assert self._runner is not None, "the receiver is already down"
        self.release()
        runner, self._runner = self._runner, None
        await runner.cleanup()
        self._released.clear()

    async def __aenter__(self) -> Receiver:
        await self.up()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self.down()

    # --- behaviour -----------------------------------------------------------------------

    def slow(self, seconds: float) -> None:
        """Hold every answer up to ``seconds`` of real time (``release()`` ends it early)."""
        self.hold_seconds = seconds
        self._released.clear()

    def release(self) -> None:
        """Answer the held POSTs now, and stop holding new ones."""
        self.hold_seconds = 0.0
        self._released.set()

    @property
    def in_flight(self) -> int:
        """POSTs that arrived and have not been answered yet."""
        return self._in_handler

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        self._in_handler += 1
        try:
            async with self._arrived:
                self.deliveries.append(
                    Delivery(request.path, CIMultiDict(request.headers), raw, payload)
                )
                self._arrived.notify_all()
            if self.hold_seconds > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._released.wait(), self.hold_seconds)
            return web.Response(status=self.status, text=f"answered {self.status}")
        finally:
            self._in_handler -= 1

    async def wait_for(self, count: int, timeout: float = ARRIVAL_TIMEOUT) -> None:
        """Wait until ``count`` POSTs have arrived in all (for a receiver flush can't wait on)."""
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.deliveries) >= count), timeout
            )

    # --- what arrived ----------------------------------------------------------------------

    def payloads(self) -> list[Any]:
        return [d.payload for d in self.deliveries]

    def bodies(self) -> list[bytes]:
        return [d.raw for d in self.deliveries]

    def features(self) -> list[str | None]:
        return [d.feature for d in self.deliveries]

    def for_lock(self, smartlock_id: int) -> list[Delivery]:
        return [d for d in self.deliveries if d.smartlock_id == smartlock_id]

    def of_feature(self, feature: str) -> list[Any]:
        return [d.payload for d in self.deliveries if d.feature == feature]

    def verify(self, secret: str) -> bool:
        """True when POSTs arrived and every one carries the right signature for ``secret``."""
        return bool(self.deliveries) and all(d.signed_with(secret) for d in self.deliveries)

    def clear(self) -> None:
        self.deliveries.clear()
