"""A small Nuki Web client for tests: real HTTP, and every response checked against OpenAPI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests import openapi_check


@dataclass
class Reply:
    status: int
    body: Any  # decoded JSON, or None for an empty body
    headers: dict[str, str]

    @property
    def detail(self) -> str | None:
        return self.body.get("detailMessage") if isinstance(self.body, dict) else None


class ApiClient:
    """Talks to a simulator like any Nuki Web client: bearer token, JSON, Nuki's verbs."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str | None) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.token = token

    def with_token(self, token: str | None) -> ApiClient:
        return ApiClient(self.session, self.base_url, token)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | str | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        validate: bool = True,
    ) -> Reply:
        all_headers = dict(headers or {})
        if self.token is not None:
            all_headers.setdefault("Authorization", f"Bearer {self.token}")
        if json_body is not None:
            data = json.dumps(json_body)
            all_headers.setdefault("Content-Type", "application/json")
        async with self.session.request(
            method, self.base_url + path, data=data, params=params, headers=all_headers
        ) as response:
            raw = await response.read()
            body = json.loads(raw) if raw else None
            reply = Reply(response.status, body, dict(response.headers))
        if validate:
            openapi_check.check(method, path, reply.status, body)
        return reply

    async def get(self, path: str, **kw: Any) -> Reply:
        return await self.request("GET", path, **kw)

    async def put(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.request("PUT", path, json_body=body, **kw)

    async def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.request("POST", path, json_body=body, **kw)

    async def delete(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.request("DELETE", path, json_body=body, **kw)
