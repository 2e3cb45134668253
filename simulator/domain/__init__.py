"""The pure domain core: no aiohttp, no asyncio, no wall clock (ruff's TID251 enforces it)."""
