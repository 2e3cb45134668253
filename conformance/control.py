"""HTTP clients the kit uses: the simulator's control plane and the raw Nuki Web API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


async def call(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: Any = None,
    params: dict[str, str] | None = None,
) -> Answer:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    async with session.request(
        method, url, data=data, headers=headers, params=params, middlewares=(_send_once,)
    ) as reply:
        raw = await reply.read()
        try:
            decoded = json.loads(raw) if raw else None
        except ValueError:
            decoded = raw.decode("utf-8", "replace")
        return Answer(reply.status, decoded, dict(reply.headers))


class NoAnswer(aiohttp.ClientConnectionError):
    """The connection broke after the request was sent: it may or may not have been applied."""


async def _send_once(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """Keep aiohttp from resending a PUT/DELETE by itself on a dropped connection.

    The kit counts what reached Nuki Web, so it must send exactly what a step says: a Nuki PUT
    creates, and aiohttp's own resend of "idempotent" methods would create twice.
    """
    try:
        return await handler(request)
    except aiohttp.ServerDisconnectedError as exc:
        raise NoAnswer(f"{request.method} {request.url.path}: {exc}") from exc


def served_profile(nuki_url: str, control_token: str | None = None) -> str | None:
    """The profile a simulator at ``nuki_url`` runs (``GET /_sim/config``), or None when it has
    no such control plane (a real account, an older simulator). Synchronous: the kit needs it
    while collecting scenarios, before its event loop runs."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(nuki_url.rstrip("/") + "/_sim/config")
    if control_token:
        request.add_header("Authorization", f"Bearer {control_token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            body = json.loads(reply.read())
    except (OSError, ValueError):  # refused, 404, not JSON: nothing to read
        return None
    profile = body.get("profile") if isinstance(body, dict) else None
    return profile if isinstance(profile, str) else None


class ControlClient:
    """``/_sim``: time, device events, journal and webhooks of a simulator."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str | None = None):
        self.session = session
        self.base = base_url.rstrip("/") + "/_sim"
        self.token = token

    async def _do(
        self, method: str, route: str, body: Any = None, params: dict[str, str] | None = None
    ) -> Any:
        answer = await call(
            self.session, method, self.base + route, token=self.token, body=body, params=params
        )
        if answer.status >= 400:
            raise RuntimeError(f"control plane {method} {route} → {answer.status}: {answer.body}")
        return answer.body

    async def available(self) -> bool:
        try:
            answer = await call(self.session, "GET", self.base + "/clock", token=self.token)
        except aiohttp.ClientError:
            return False
        return answer.status == 200

    async def reset(self) -> Any:
        return await self._do("POST", "/reset")

    async def settings(self) -> dict[str, Any]:
        """``GET /_sim/config``: the profile, the propagation delay and every setting."""
        return dict(await self._do("GET", "/config"))

    async def clock(self) -> dict[str, Any]:
        return dict(await self._do("GET", "/clock"))

    async def advance(self, seconds: float) -> Any:
        return await self._do("POST", "/clock/advance", {"seconds": seconds})

    async def create_lock(self, account_id: int, name: str, *, keypad: bool) -> dict[str, Any]:
        body = {"accountId": account_id, "name": name, "keypad": keypad}
        return dict(await self._do("POST", "/smartlocks", body))

    async def connectivity(self, lock_id: int, online: bool) -> Any:
        return await self._do("POST", f"/smartlocks/{lock_id}/connectivity", {"online": online})

    async def battery(self, lock_id: int, charge: int) -> Any:
        return await self._do("POST", f"/smartlocks/{lock_id}/battery", {"charge": charge})

    async def jam(self, lock_id: int, jammed: bool) -> Any:
        return await self._do("POST", f"/smartlocks/{lock_id}/jam", {"jammed": jammed})

    async def keypad(self, lock_id: int, code: str) -> dict[str, Any]:
        return dict(await self._do("POST", f"/smartlocks/{lock_id}/keypad", {"code": code}))

    async def sync(self, lock_id: int) -> Any:
        return await self._do("POST", f"/smartlocks/{lock_id}/sync")

    async def device(self, lock_id: int) -> dict[str, Any]:
        return dict(await self._do("GET", f"/smartlocks/{lock_id}/device"))

    async def requests(self, **filters: str) -> list[dict[str, Any]]:
        return list(await self._do("GET", "/requests", params=filters))

    async def journal_position(self) -> int:
        entries = await self.requests(includeControl="true", limit="1")
        return int(entries[-1]["seq"]) if entries else 0

    async def webhooks(self) -> list[dict[str, Any]]:
        """Every webhook subscription: id, secret, webhookUrl, webhookFeatures, accountId, ..."""
        return list(await self._do("GET", "/webhooks"))

    async def add_fault(self, rule: dict[str, Any]) -> dict[str, Any]:
        """Add a fault rule (``POST /_sim/faults``: method, path glob, status, drop, count...)."""
        return dict(await self._do("POST", "/faults", rule))

    async def flush_webhooks(self) -> Any:
        return await self._do("POST", "/webhooks/flush", {"timeoutSeconds": 10})


class NukiApi:
    """The Nuki Web API, answering raw (status, body, headers) so steps can check them."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self.session = session
        self.base = base_url.rstrip("/")
        self.token = token

    async def request(
        self, method: str, path: str, body: Any = None, *, token: str | None = None,
        params: dict[str, str] | None = None,
    ) -> Answer:  # fmt: skip
        return await call(
            self.session, method, self.base + path, token=token or self.token, body=body,
            params=params,
        )  # fmt: skip
