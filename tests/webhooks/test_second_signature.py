"""The quirk second-signature-header: webhooks also carry ``X-Nuki-Signature``.

Nuki's delivery log sample shows a second signature header beside ``X-Nuki-Signature-SHA256``
with another hex value and no documented algorithm. With the quirk on, the simulator sends it
as the lowercase hex HMAC-SHA1 of the exact raw body keyed with the subscription's secret (its
own choice, said so in docs/behaviour.md#quirks), and the delivery log shows it; off (the
default) only the SHA-256 header is sent, as before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import pytest

from nuki_sim.simulator.domain import quirks
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import flush, rename, subscribe

SECOND = "X-Nuki-Signature"
SHA256 = "X-Nuki-Signature-SHA256"
LOWER_HEX_SHA1 = re.compile(r"[0-9a-f]{40}")
WRONG_SECRET = "0" * 40
ON = pytest.mark.nuki_sim(
    config=SimConfig(quirks=quirks.chosen(on=[quirks.SECOND_SIGNATURE_HEADER]))
)


def hmac_sha1(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), raw, hashlib.sha1).hexdigest()


async def one_delivery(api: ApiClient, sim: RunningSimulator, receiver: Receiver) -> str:
    """Subscribe, rename the first lock (one DEVICE_MASTERDATA) and deliver; the secret."""
    hook = await subscribe(api, receiver.url, ["DEVICE_MASTERDATA"])
    await rename(api, sim.demo.locks[0].smartlock_id, "Haustür Süd")
    assert await flush(api)
    assert len(receiver.deliveries) == 1
    return str(hook["secret"])


async def sent_headers(api: ApiClient, sim: RunningSimulator) -> dict[str, str]:
    reply = await api.get(f"/api/key/{sim.demo.token.api_key_id}/webhook/logs")
    assert reply.status == 200
    (entry,) = reply.body
    return dict(entry["response"]["headers"])


@ON
async def test_with_the_quirk_each_post_carries_a_verifiable_sha1_signature(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """``X-Nuki-Signature`` is the HMAC-SHA1 of the raw bytes with the secret: a receiver can
    verify it, a wrong secret cannot; the SHA-256 header is there as always; the log shows
    both as sent."""
    secret = await one_delivery(api, nuki_sim, receiver)
    (delivery,) = receiver.deliveries
    given = delivery.headers[SECOND]
    assert LOWER_HEX_SHA1.fullmatch(given)
    assert hmac.compare_digest(given, hmac_sha1(secret, delivery.raw))
    assert not hmac.compare_digest(given, hmac_sha1(WRONG_SECRET, delivery.raw))
    assert delivery.signed_with(secret)
    assert given != delivery.headers[SHA256]
    logged = await sent_headers(api, nuki_sim)
    assert (logged[SECOND], logged[SHA256]) == (given, delivery.headers[SHA256])
    assert json.loads(delivery.raw)["feature"] == "DEVICE_MASTERDATA"


async def test_without_the_quirk_only_the_sha256_signature_is_sent(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """The default: no ``X-Nuki-Signature``, on the wire or in the log."""
    secret = await one_delivery(api, nuki_sim, receiver)
    (delivery,) = receiver.deliveries
    assert SECOND not in delivery.headers
    assert delivery.signed_with(secret)
    assert SECOND not in await sent_headers(api, nuki_sim)
