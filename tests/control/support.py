"""Helpers shared by the control-plane tests: a ``/_sim`` client and Nuki's error bodies."""

from __future__ import annotations

from typing import Any

from tests.client import ApiClient, Reply

CONTROL_PREFIX = "/_sim"
ERROR_KEYS = {"detailMessage", "stackTrace", "suppressedExceptions"}


class ControlClient(ApiClient):
    """Talks to ``/_sim``: paths are relative to it and responses are not checked against
    the Nuki OpenAPI document (the control plane is the simulator's own API)."""

    async def request(self, method: str, path: str, **kw: Any) -> Reply:
        kw.setdefault("validate", False)
        return await super().request(method, CONTROL_PREFIX + path, **kw)


def is_detail_error(reply: Reply, status: int) -> bool:
    """True when ``reply`` is a Nuki error with ``status`` and a non-empty ``detailMessage``."""
    return (
        reply.status == status
        and isinstance(reply.body, dict)
        and set(reply.body) == ERROR_KEYS
        and bool(reply.body["detailMessage"])
    )
