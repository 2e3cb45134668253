"""``--state FILE`` made durable: every acknowledged write is on disk before its answer leaves.

Mechanism: a write-through snapshot with group commit. After a request that may have
changed the world (any method but GET/HEAD/OPTIONS, answered below 400), the answer waits
until a snapshot taken *after* that request has been written to a temporary file, fsynced,
renamed over the state file and the directory fsynced. Requests that arrive while one save
is being written share the next save, so concurrent writers pay for one fsync, not one each.
A background task also saves every :data:`SAVE_INTERVAL` seconds when the world changed by
itself (webhook deliveries and their retries, the system clock's due jobs).

Why not a journal of accepted requests replayed at start? The world is deterministic given
(seed, clock, commands), but its commands are not only requests: webhook outcomes come from
real receivers, the system clock runs due jobs between requests, faults and the dashboard
act too. A replay would have to reproduce each of those exactly; the snapshot is lossless by
construction (a Hypothesis property proves ``restore(snapshot(w))`` behaves like ``w``), so
"the last acknowledged state is on disk" needs no second model of the world. The price is a
save that grows with the size of the world, paid only with ``--state`` (without it nothing
here is installed) and shared by concurrent writers; ``benchmarks/durability.py`` measures it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.world import World
from nuki_sim.simulator.http.errors import Handler

log = logging.getLogger("nuki_sim.state")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SAVE_INTERVAL = 2.0
"""Real seconds between checks for changes no request made (webhook outcomes, due jobs)."""


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash at any moment leaves the old or the new
    file, never a mix: write a temporary file, fsync it, rename it, fsync the directory."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class StateFile:
    """Keeps ``path`` equal to the world as of the last acknowledged write."""

    def __init__(self, world: World, path: Path) -> None:
        self.world = world
        self.path = path
        self._changes = 0  # writes seen so far
        self._saved = 0  # writes included in the file
        self._written = ""  # the file's text, to skip saves that would change nothing
        self._lock = asyncio.Lock()
        # A write runs in a thread that outlives a cancelled commit (shutdown): the file lock
        # keeps two writers off the temporary file, and generations keep an older snapshot
        # from landing after a newer one.
        self._file_lock = threading.Lock()
        self._generation = 0
        self._written_generation = 0

    def save_now(self) -> None:
        """Save synchronously (at start, proving the file writable, and at the end)."""
        self._write(json.dumps(snapshot.snapshot(self.world)), self._next_generation())

    def _next_generation(self) -> int:
        self._generation += 1
        return self._generation

    def _write(self, text: str, generation: int) -> None:
        with self._file_lock:
            if generation < self._written_generation:
                return  # a newer snapshot is already on disk
            if text != self._written:
                write_atomic(self.path, text)
                self._written = text
            self._written_generation = generation

    async def commit(self) -> None:
        """Return once the file holds the world as it is now (shared with concurrent callers)."""
        self._changes += 1
        wanted = self._changes
        async with self._lock:
            if self._saved >= wanted:
                return  # a save that began after our change has already landed
            included = self._changes
            data = snapshot.snapshot(self.world)  # on the loop: one consistent instant
            generation = self._next_generation()
            await asyncio.get_running_loop().run_in_executor(
                None, self._dump_and_write, data, generation
            )
            self._saved = included

    def _dump_and_write(self, data: object, generation: int) -> None:
        self._write(json.dumps(data), generation)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Hold each successful write's answer until the world it produced is on disk."""
        response = await handler(request)
        if request.method not in SAFE_METHODS and response.status < 400:
            await self.commit()
        return response

    async def saver(self, app: web.Application) -> AsyncIterator[None]:
        """A cleanup context: save what changed without a request, every few seconds."""
        task = asyncio.create_task(self._save_periodically())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _save_periodically(self) -> None:
        while True:
            await asyncio.sleep(SAVE_INTERVAL)
            try:
                await self.commit()
            except Exception:  # a full disk, say: say so, keep the world, try again later
                log.exception(
                    "saving the state file %s failed; retrying in %ss", self.path, SAVE_INTERVAL
                )

    async def close(self) -> None:
        """The final save, after any save in flight."""
        async with self._lock:
            self.save_now()
