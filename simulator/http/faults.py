"""Fault injection: make matching requests fail the way real networks and servers do.

A rule matches a method and a path glob and then answers with a status and Nuki body, a 429
with ``Retry-After``, a dropped connection, or a delay before the real answer. Rules are
scoped by a count and/or a probability drawn from the world's seed, so a flaky run replays.
The delay is the one place the simulator really waits: it exists to trip a client's timeout,
which only real time can do.

A connection can be dropped at two moments. ``drop: true`` drops it before the request runs
(nothing happens). ``drop: "after"`` lets the real handler run — the write is applied and
journaled — and then aborts the connection without sending the answer: the client cannot
tell whether its request arrived, so a client that blindly resends it really does it twice.
"""

from __future__ import annotations

import asyncio
import fnmatch
import random
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

from nuki_sim.simulator.domain.control_shapes import SimFault
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.http import respond
from nuki_sim.simulator.http.errors import Handler
from nuki_sim.simulator.http.parse import obj

MAX_DELAY_SECONDS = 60.0
FAULTS: web.AppKey[Faults] = web.AppKey("faults")
DROP_BEFORE = "before"
DROP_AFTER = "after"
# what a rule's ``drop`` may say → when the connection is dropped (true keeps its old meaning)
DROP_WHEN: dict[bool | str, str | None] = {
    False: None, True: DROP_BEFORE, DROP_BEFORE: DROP_BEFORE, DROP_AFTER: DROP_AFTER,
}  # fmt: skip
# when a rule drops the connection → what ``/_sim/faults`` shows (true keeps its old meaning)
_DROP_SHOWN: dict[str | None, Literal[False, True, "after"]] = {
    None: False, DROP_BEFORE: True, DROP_AFTER: "after",
}  # fmt: skip


@dataclass
class Fault:
    id: int
    path: str
    method: str | None
    status: int | None
    body: Any
    delay: float
    retry_after: int | None
    drop: str | None  # None, DROP_BEFORE or DROP_AFTER
    remaining: int | None
    probability: float

    def json(self) -> SimFault:
        return {
            "id": self.id,
            "path": self.path,
            "method": self.method,
            "status": self.status,
            "body": self.body,
            "delaySeconds": self.delay,
            "retryAfter": self.retry_after,
            "drop": _DROP_SHOWN[self.drop],
            "remaining": self.remaining,
            "probability": self.probability,
        }


class Faults:
    def __init__(self, seed: int) -> None:
        self.rules: list[Fault] = []
        self.seed = f"faults:{seed}"
        self.rng = random.Random(self.seed)
        self.next_id = 1
        self.fired = 0

    def add(self, raw: object) -> Fault:
        data = obj(raw)
        path = data.get("path", "*")
        method = data.get("method")
        status = data.get("status")
        retry_after = data.get("retryAfter")
        delay = data.get("delaySeconds", 0)
        count = data.get("count")
        probability = data.get("probability", 1.0)
        drop = data.get("drop", False)
        if not isinstance(path, str) or (method is not None and not isinstance(method, str)):
            raise BadParameter("path (a glob such as /smartlock/*/auth) and method are strings")
        if status is not None and (not _int(status) or not 400 <= status <= 599):
            raise BadParameter("status is an HTTP error status from 400 to 599")
        if retry_after is not None and (not _int(retry_after) or retry_after < 0):
            raise BadParameter("retryAfter is a whole number of seconds")
        if not _num(delay) or not 0 <= delay <= MAX_DELAY_SECONDS:
            raise BadParameter(f"delaySeconds is from 0 to {MAX_DELAY_SECONDS}")
        if count is not None and (not _int(count) or count < 1):
            raise BadParameter("count is a whole number, 1 or more")
        if not _num(probability) or not 0 < probability <= 1:
            raise BadParameter("probability is a number in (0, 1]")
        when = DROP_WHEN.get(drop) if isinstance(drop, bool | str) else None
        if when is None and drop is not False:
            raise BadParameter('drop is false, true (the same as "before") or "after"')
        if when == DROP_AFTER and (status is not None or retry_after is not None):
            raise BadParameter('drop: "after" answers with the real handler; it takes no status')
        if retry_after is not None and status is None:
            status = 429
        if status is None and not when and not delay:
            raise BadParameter('a fault needs a status, drop (true or "after") or a delaySeconds')
        fault = Fault(
            self.next_id, path, method.upper() if method else None, status, data.get("body"),
            float(delay), retry_after, when, count, float(probability),
        )  # fmt: skip
        self.next_id += 1
        self.rules.append(fault)
        return fault

    def clear(self) -> None:
        """Drop every rule and rewind the seeded draws, so a reset replays the same faults."""
        self.rules.clear()
        self.rng.seed(self.seed)

    def pick(self, method: str, path: str) -> Fault | None:
        for fault in self.rules:
            if fault.method not in (None, method) or not fnmatch.fnmatchcase(path, fault.path):
                continue
            if fault.probability < 1 and self.rng.random() >= fault.probability:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.rules.remove(fault)
            self.fired += 1
            return fault
        return None


def _abort(request: web.Request) -> None:
    if request.transport is not None:
        request.transport.abort()


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _num(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


async def inject(request: web.Request, handler: Handler, faults: Faults) -> web.StreamResponse:
    """Apply the first matching rule (called by :mod:`~nuki_sim.simulator.http.front` for
    Nuki's routes while a rule exists, inside the journal: it records the outcome)."""
    fault = faults.pick(request.method, request.path)
    if fault is None:
        return await handler(request)
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop == DROP_AFTER:
        try:
            return await handler(request)  # journaled with the answer the client never gets
        finally:
            _abort(request)
    if fault.drop == DROP_BEFORE:
        _abort(request)
        return web.Response(status=499)  # never reaches the client: the connection is gone
    if fault.status is None:
        return await handler(request)
    headers = {"X-Nuki-Sim-Fault": str(fault.id)}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    body = fault.body
    if body is None:
        body = {
            "detailMessage": f"Injected fault {fault.id}",
            "stackTrace": [],
            "suppressedExceptions": [],
        }
    return respond.json_response(body, status=fault.status, headers=headers)
