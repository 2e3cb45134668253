"""Helpers of the hostile-input tests: Nuki's error shapes, world snapshots and raw requests."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import Reply

DETAIL_KEYS = {"detailMessage", "stackTrace", "suppressedExceptions"}
RESTLET_KEYS = {"code", "description", "homeRef", "reasonPhrase", "uri"}
NOT_AUTHORIZED = "Your access token is not authorized"


def assert_nuki_error(reply: Reply | RawReply, status: int) -> None:
    """``reply`` is ``status`` with Nuki's body: a ``detailMessage`` (Restlet's for 422)."""
    assert reply.status == status, (reply.status, reply.body)
    content_type = reply.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), (content_type, reply.body)
    body = reply.body
    assert isinstance(body, dict)
    if status == 422:
        assert set(body) == RESTLET_KEYS
        assert body["code"] == status
        return
    assert set(body) == DETAIL_KEYS
    assert isinstance(body["detailMessage"], str)
    assert body["detailMessage"].strip()
    assert body["stackTrace"] == []
    assert body["suppressedExceptions"] == []


def world_state(sim: RunningSimulator) -> dict[str, Any]:
    """Everything the world holds (the request journal and fault rules are not part of it)."""
    return snapshot.snapshot(sim.world)


@dataclass(frozen=True)
class RawReply:
    status: int
    headers: dict[str, str]
    body: Any


async def raw_request(sim: RunningSimulator, method: str, target: str, token: str) -> RawReply:
    """Send ``method target`` byte for byte, so no client normalizes ``..`` or ``%2F`` first."""
    reader, writer = await asyncio.open_connection("127.0.0.1", sim.port)
    try:
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        )
        writer.write(head.encode("latin-1"))
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    decoded = (
        json.loads(body) if headers.get("Content-Type", "").startswith("application/json") else body
    )
    return RawReply(int(status_line.split()[1]), headers, decoded)
