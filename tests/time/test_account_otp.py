"""One-time passwords follow the simulator's clock in both time modes: a code computed from
the secret and the simulator's present enables OTP; the same code, five minutes later, is
wrong (401) and changes nothing."""

from __future__ import annotations

from nuki_sim.simulator.domain import totp
from tests.time.helpers import Rig


async def test_a_code_is_valid_only_around_its_own_30_seconds(rig: Rig):
    created = await rig.api.put("/account/otp")
    assert created.status == 200
    secret = created.body
    stale = totp.code(secret, await rig.now())
    await rig.advance(5 * 60)
    wrong = await rig.api.post("/account/otp", {"otp": stale})
    assert (wrong.status, wrong.detail) == (401, "One-time password wrong")
    assert "config" not in (await rig.api.get("/account")).body
    now = await rig.now()
    assert (await rig.api.post("/account/otp", {"otp": totp.code(secret, now)})).status == 204
    enabled = (await rig.api.get("/account")).body["config"]["otpEnabledDate"]
    assert enabled.startswith(now.strftime("%Y-%m-%dT%H:%M"))
