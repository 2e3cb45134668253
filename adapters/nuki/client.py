"""A Nuki Web client: bearer token, JSON, Nuki's verbs, and patience with a busy cloud.

It receives its ``ClientSession`` and base URL (so tests point it at a simulator and
production at ``https://api.nuki.io``) and never reads the environment. Requests that are
safe to repeat are retried on 5xx and connection errors with exponential backoff and
jitter; every request is retried on 429 (honouring ``Retry-After``) and on 423 (Nuki's
"another operation is still running"), because those answers mean nothing was done.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

Sleep = Callable[[float], Awaitable[None]]
IDEMPOTENT = frozenset({"GET", "DELETE", "HEAD"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.2  # seconds before the first retry; doubles each time
    ceiling: float = 5.0
    max_retry_after: float = 30.0  # a longer Retry-After is capped, not ignored


class NukiError(Exception):
    """Nuki answered with an error (after any retries)."""

    def __init__(self, status: int, body: Any, method: str, path: str) -> None:
        detail = body.get("detailMessage") if isinstance(body, dict) else None
        super().__init__(f"{method} {path} → {status}{': ' + detail if detail else ''}")
        self.status = status
        self.body = body
        self.detail = detail or ""


class NukiUnavailable(Exception):
    """No answer at all (connection refused, reset or timed out) after every retry."""


class NukiOutcomeUnknown(NukiUnavailable):
    """A write's connection broke after it may have reached Nuki: it may or may not be done."""


class NukiWebClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        token: str,
        *,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry = retry or RetryPolicy()
        self.rng = rng or random.Random(0)
        self.sleep = sleep
        self.requests_sent = 0

    async def request(
        self, method: str, path: str, body: Any = None, *, params: dict[str, str] | None = None
    ) -> Any:
        """Send one request (with retries); the decoded JSON, or None for 204."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        last_error: Exception | None = None
        for attempt in range(1, self.retry.attempts + 1):
            wait: float | None = None
            try:
                self.requests_sent += 1
                async with self.session.request(
                    method,
                    self.base_url + path,
                    data=data,
                    headers=headers,
                    params=params,
                    middlewares=() if method in IDEMPOTENT else (_no_resend,),
                ) as response:
                    raw = await response.read()
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
            except (aiohttp.ClientConnectionError, TimeoutError) as exc:
                last_error = exc
                if method not in IDEMPOTENT and not isinstance(exc, aiohttp.ClientConnectorError):
                    # The request may have reached Nuki: repeating a create could do it twice.
                    raise NukiOutcomeUnknown(f"{method} {path}: {exc}") from exc
            else:
                decoded = _decode(raw)
                if status < 400:
                    return decoded
                last_error = NukiError(status, decoded, method, path)
                if status in (423, 429) or (status >= 500 and method in IDEMPOTENT):
                    wait = _retry_after(retry_after, self.retry.max_retry_after)
                else:
                    raise last_error
            if attempt == self.retry.attempts:
                break
            await self.sleep(wait if wait is not None else self._backoff(attempt))
        if isinstance(last_error, NukiError):
            raise last_error
        raise NukiUnavailable(f"{method} {path}: {last_error}") from last_error

    def _backoff(self, attempt: int) -> float:
        delay = min(self.retry.ceiling, self.retry.base * 2.0 ** (attempt - 1))
        return delay * (0.5 + self.rng.random() / 2)  # jitter: half to full delay

    # --- the calls the adapter makes ------------------------------------------------------

    async def smartlocks(self) -> list[dict[str, Any]]:
        return list(await self.request("GET", "/smartlock") or [])

    async def smartlock(self, smartlock_id: int) -> dict[str, Any]:
        return dict(await self.request("GET", f"/smartlock/{smartlock_id}"))

    async def auths(self, smartlock_id: int) -> list[dict[str, Any]]:
        result = await self.request(
            "GET", f"/smartlock/{smartlock_id}/auth", params={"types": "13"}
        )
        return list(result or [])

    async def lock(self, smartlock_id: int, locked: bool) -> None:
        await self.request(
            "POST", f"/smartlock/{smartlock_id}/action/{'lock' if locked else 'unlock'}"
        )

    async def create_auth(self, smartlock_id: int, body: dict[str, Any]) -> None:
        await self.request("PUT", f"/smartlock/{smartlock_id}/auth", body)

    async def update_auth(self, smartlock_id: int, auth_id: str, body: dict[str, Any]) -> None:
        await self.request("POST", f"/smartlock/{smartlock_id}/auth/{auth_id}", body)

    async def delete_auth(self, smartlock_id: int, auth_id: str) -> None:
        await self.request("DELETE", f"/smartlock/{smartlock_id}/auth/{auth_id}")

    async def subscribe(self, url: str, features: list[str]) -> dict[str, Any]:
        body = {"webhookUrl": url, "webhookFeatures": features}
        return dict(await self.request("PUT", "/api/decentralWebhook", body))

    async def unsubscribe(self, webhook_id: int) -> None:
        await self.request("DELETE", f"/api/decentralWebhook/{webhook_id}")


class SendUncertain(aiohttp.ClientConnectionError):
    """The connection broke after a non-idempotent request may have reached Nuki."""


async def _no_resend(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """Stop aiohttp from resending a Nuki PUT (a create) on a dropped pooled connection.

    aiohttp resends "idempotent" methods once (RFC 9112), and PUT is one in HTTP — but in
    Nuki Web a PUT creates, so resending could create twice. Turning the error into another
    type keeps aiohttp's resend loop from catching it.
    """
    try:
        return await handler(request)
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
        if isinstance(exc, aiohttp.ClientConnectorError):
            raise  # never connected: nothing was sent, safe to retry
        raise SendUncertain(str(exc)) from exc


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _retry_after(value: str | None, cap: float) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, min(cap, float(value)))
    except ValueError:
        return None
