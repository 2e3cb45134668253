"""Realistic identifiers, all drawn from the world's one seeded RNG.

* ``smartlockId``: the device type digit followed by the 8-hex-digit Nuki ID
  (0x4_42B03074 = 18298712180 for a Smart Lock 3.0).
* authorization, log and operation ids: 24-hex MongoDB ObjectIds (4 bytes of seconds since
  the epoch, then 8 random bytes), so they sort by creation time as the real ones do.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime


def smartlock_id(rng: random.Random, device_type: int = 4) -> int:
    nuki_id = rng.randrange(0x1000_0000, 0x1_0000_0000)
    return (device_type << 32) | nuki_id


def object_id(rng: random.Random, at: datetime) -> str:
    seconds = int(at.timestamp()) & 0xFFFF_FFFF
    return f"{seconds:08x}{rng.getrandbits(64):016x}"


def token(rng: random.Random) -> str:
    """An API token: 80 hex characters, like the ones Nuki Web shows once."""
    return f"{rng.getrandbits(320):080x}"


def random_token() -> str:
    """An API token nobody can derive from the seed (for a simulator bound off loopback)."""
    return secrets.token_hex(40)
