"""Bounds on what one client can hold of the server: time, connections, shutdown.

aiohttp has no request-head timeout of its own, but since 3.10 its keep-alive timer starts
when a connection opens and closes it if no whole request has arrived when it fires: set to
:data:`HEADER_TIMEOUT_SECONDS`, it is the header timeout (and the idle timeout between
requests). Connections are capped below the process's file-descriptor limit by a site
whose protocol factory answers 503 and closes at once when the cap is reached, so a flood
of slow clients cannot exhaust descriptors; if the process still runs out (other sockets,
webhook clients), asyncio's accept error is logged once per :data:`FD_LOG_INTERVAL`
instead of one traceback per attempt.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import time
from typing import Any

from aiohttp import web

HEADER_TIMEOUT_SECONDS = 15.0
"""A connection must send a whole request head this soon after opening (or after its last
answer), else it is closed: slow-header clients cannot pile up."""
SHUTDOWN_SECONDS = 2.0
"""How long requests still running at shutdown may finish (a fault's 60 s delay included);
aiohttp then gives them as long again to unwind before cancelling them, so a stop takes at
most about twice this: well inside Docker's 10 s grace between SIGTERM and SIGKILL."""
MAX_CONNECTIONS = 1000
FD_LOG_INTERVAL = 10.0

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 27\r\n\r\ntoo many open connections\r\n"
)
log = logging.getLogger("nuki_sim")


def default_max_connections() -> int:
    """:data:`MAX_CONNECTIONS`, or half the descriptor limit if that is lower (the rest is
    for the state file, webhook deliveries and the interpreter itself)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft // 2))


class _Refuse(asyncio.Protocol):
    """Answers a connection over the cap with 503 and closes it (freeing its descriptor)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(_BUSY)
        transport.close()


class CappedSite(web.SockSite):
    """A :class:`web.SockSite` that serves at most ``max_connections`` connections at once."""

    def __init__(self, runner: web.AppRunner, sock: Any, *, max_connections: int) -> None:
        super().__init__(runner, sock)
        self.max_connections = max_connections

    async def start(self) -> None:
        # SockSite.start with a capped protocol factory (aiohttp offers no connection limit).
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        cap = self.max_connections

        loop = asyncio.get_running_loop()
        # asyncio accepts a whole backlog in one wake-up and registers each connection with
        # the server only when its connection_made runs, a loop turn later: count the ones
        # in between, or a burst would pass the cap before any of them is counted.
        accepted = [0]

        def settled() -> None:
            accepted[0] -= 1

        def factory() -> asyncio.Protocol:
            if len(server.connections) + accepted[0] >= cap:
                return _Refuse()
            accepted[0] += 1
            # Two turns: the transport schedules connection_made after this call returns.
            loop.call_soon(loop.call_soon, settled)
            return server()

        self._server = await loop.create_server(factory, sock=self._sock)


def quiet_fd_exhaustion() -> None:
    """Log "out of file descriptors" once per :data:`FD_LOG_INTERVAL` on the running loop
    (asyncio logs a traceback for each failed accept, megabytes in seconds under a flood)."""
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    if getattr(previous, "quiet_fd_exhaustion", False):
        return
    last = [-FD_LOG_INTERVAL]

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):
            now = time.monotonic()
            if now - last[0] >= FD_LOG_INTERVAL:
                last[0] = now
                log.error("nuki-sim: out of file descriptors; new connections wait (%s)", exc)
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    handler.quiet_fd_exhaustion = True  # type: ignore[attr-defined]  # marks it installed
    loop.set_exception_handler(handler)
