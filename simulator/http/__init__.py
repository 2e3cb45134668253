"""The HTTP surface: aiohttp lives here and nowhere in the domain core."""
