"""An account user's DELETE is asynchronous in both time modes: 204 at once, the user stays
(with its operationId, writes 423) until the push delay has passed, then it is gone."""

from __future__ import annotations

from tests.time.helpers import CFG, Rig


async def test_deleted_user_goes_after_the_push_delay(rig: Rig):
    created = await rig.api.put("/account/user", {"email": "ada@example.com", "name": "Ada"})
    assert created.status == 200
    path = f"/account/user/{created.body['accountUserId']}"
    assert (await rig.api.delete(path)).status == 204
    await rig.advance(CFG.push_delay / 2)
    still = await rig.api.get(path)
    assert (still.status, "operationId" in still.body) == (200, True)
    assert (await rig.api.post(path, {"name": "Ada L."})).status == 423
    await rig.advance(CFG.push_delay)
    assert (await rig.api.get(path)).status == 404
