"""Refuse to start under freezegun when the event loop's clock is frozen too.

``freeze_time(...)`` without ``real_asyncio=True`` freezes ``time.monotonic``, which asyncio's
loop reads for every timer: the first ``asyncio.sleep`` or aiohttp timeout then waits forever.
Say so at once, instead of letting a test hang until CI kills it.
"""

from __future__ import annotations

import asyncio
import time


class FrozenLoopError(RuntimeError):
    """The running event loop's clock is frozen by freezegun."""


def loop_clock_frozen(loop: asyncio.AbstractEventLoop) -> bool:
    """True when freezegun froze ``time.monotonic`` and the loop still reads it."""
    frozen_monotonic = getattr(time.monotonic, "__module__", "").startswith("freezegun")
    loop_time = getattr(type(loop), "time", None)
    return frozen_monotonic and loop_time is asyncio.BaseEventLoop.time


def check_loop_clock() -> None:
    if loop_clock_frozen(asyncio.get_running_loop()):
        raise FrozenLoopError(
            "freezegun froze time.monotonic without real_asyncio=True, so the event loop's "
            "timers would never fire and the simulator would hang. Use "
            "freeze_time(..., real_asyncio=True), then tick()/move_to() to move the simulator."
        )
