"""Serving until asked to stop: both ``nuki-sim serve`` and ``nuki-sim adapter serve``."""

from __future__ import annotations

import asyncio
import signal


async def until_stopped() -> None:
    """Wait for SIGINT (Ctrl-C) or SIGTERM, then return so the caller can close cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
