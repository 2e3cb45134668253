"""The request journal: what clients asked and what the simulator answered, newest last."""

from __future__ import annotations

import fnmatch
from collections import deque
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from aiohttp import web

from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.control_shapes import SimRequest
from nuki_sim.simulator.domain.errors import BadParameter

CONTROL_PREFIX = "/_sim"
BODY_PREVIEW = 2048
JOURNAL: web.AppKey[Journal] = web.AppKey("journal")


class Entry(NamedTuple):
    """One journal line (a named tuple: recording it is on every request's path)."""

    seq: int
    at: datetime  # formatted when the journal is read, not on every request
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    body: str

    def json(self) -> SimRequest:
        return {
            "seq": self.seq,
            "at": isoformat(self.at),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "durationMs": self.duration_ms,
            "body": self.body,
        }


class Journal:
    """The last ``size`` requests, control-plane ones included but filtered out by default."""

    def __init__(self, size: int = 5000) -> None:
        self.entries: deque[Entry] = deque(maxlen=size)
        self.seq = 0

    def add(
        self, at: datetime, method: str, path: str, query: str, status: int,
        duration_ms: float, body: str,
    ) -> None:  # fmt: skip
        self.seq += 1
        self.entries.append(Entry(self.seq, at, method, path, query, status, duration_ms, body))

    def clear(self) -> None:
        self.entries.clear()

    def select(self, query: Mapping[str, str]) -> list[Entry]:
        method = query.get("method", "").upper() or None
        pattern = query.get("path") or None
        status = query.get("status") or None
        control = query.get("includeControl", "false").lower() == "true"
        since = query.get("since") or None
        try:
            limit = int(query.get("limit", "1000"))
            since_seq = int(since) if since else 0
        except ValueError:
            raise BadParameter("limit and since are integers") from None
        picked = [
            e
            for e in self.entries
            if (control or not e.path.startswith(CONTROL_PREFIX))
            and (method is None or e.method == method)
            and (pattern is None or fnmatch.fnmatchcase(e.path, pattern))
            and (status is None or str(e.status) == status or f"{str(e.status)[0]}xx" == status)
            and e.seq > since_seq
        ]
        return picked[-limit:] if limit > 0 else []
