"""One-time passwords as authenticator apps compute them (RFC 6238: TOTP over RFC 4226 HOTP).

Nuki's ``/account/otp`` hands out a base32 secret and then wants a code from it: six digits,
HMAC-SHA1, a new code every 30 seconds. The simulator computes them on its own clock, so a
test (or a client under a virtual clock) derives the same code from the secret and
``world.now()``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import secrets
import struct
from datetime import datetime

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation: 32 base32 characters
DRIFT_STEPS = 1  # RFC 6238 §5.2: accept the neighbouring steps for clock drift


def new_secret(rng: random.Random, *, unpredictable: bool = False) -> str:
    """A base32 secret without padding: from the world's seeded RNG, or (``unpredictable``,
    the world's ``random_secrets`` off loopback) from :mod:`secrets`. The seeded one is drawn
    either way, so every later id stays the same."""
    raw = rng.getrandbits(SECRET_BYTES * 8).to_bytes(SECRET_BYTES, "big")
    if unpredictable:
        raw = secrets.token_bytes(SECRET_BYTES)
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def code(secret: str, at: datetime, *, steps: int = 0) -> str:
    """The code for instant ``at`` (``steps`` periods later or, negative, earlier)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = int(at.timestamp()) // STEP_SECONDS + steps
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def verify(secret: str, candidate: str, at: datetime) -> bool:
    """Whether ``candidate`` is the code of ``at`` or of a neighbouring period."""
    candidate = candidate.strip()
    return any(
        hmac.compare_digest(code(secret, at, steps=s), candidate)
        for s in range(-DRIFT_STEPS, DRIFT_STEPS + 1)
    )
