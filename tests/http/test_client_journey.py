"""A Nuki Web client's day, end to end over HTTP: the acceptance criterion as one story.

"A Nuki Web client that takes a base URL (bearer token, JSON, 204 on writes, detailMessage on
errors) can list locks, lock/unlock, create/update/delete keypad codes and read logs." Only
HTTP is used, plus ``world.advance`` to let simulated time pass.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

PUSH_DELAY = timedelta(seconds=3)  # SimConfig.push_delay: the lock receives queued commands
MOTOR = timedelta(seconds=2)  # SimConfig.motor_seconds: one turn of the motor
LOCKED, UNLOCKING, UNLOCKED, LOCKING = 1, 2, 3, 4
UNLOCK, LOCK = 1, 2
TRIGGER_WEB, SUCCESS = 4, 0
KEYPAD_CODE = 13
DOG_WALKER_CODE = 456789
SATURDAY = 2  # allowedWeekDays bit (Monday 64 … Sunday 1)


class Journey:
    """The client under test: one base URL, one token, Nuki's verbs."""

    def __init__(self, api: ApiClient, sim: RunningSimulator) -> None:
        self.api = api
        self.sim = sim

    def wait(self, duration: timedelta) -> None:
        self.sim.world.advance(duration)

    async def read(self, path: str, **params: str) -> Any:
        reply = await self.api.get(path, params=params)
        assert reply.status == 200, reply.body
        return reply.body

    async def write(self, method: str, path: str, body: Any = None) -> None:
        reply = await self.api.request(method, path, json_body=body)
        assert (reply.status, reply.body) == (204, None), reply.body

    async def state(self, lock_id: int) -> int:
        return int((await self.read(f"/smartlock/{lock_id}"))["state"]["state"])

    async def code_named(self, lock_id: int, name: str) -> dict[str, Any] | None:
        codes = await self.read(f"/smartlock/{lock_id}/auth", types=str(KEYPAD_CODE))
        return next((c for c in codes if c["name"] == name), None)


async def test_a_client_manages_a_lock_and_its_keypad_codes(
    api: ApiClient, nuki_sim: RunningSimulator
):
    """List, unlock, lock, create/update/delete a code and read the log, all over HTTP."""
    client = Journey(api, nuki_sim)

    # The client lists the account's locks and picks the first one with a keypad.
    locks = await client.read("/smartlock")
    door = next(lk for lk in locks if lk["config"]["keypadPaired"])
    lock_id = door["smartlockId"]
    assert door["state"]["state"] == LOCKED

    # Unlocking answers 204 at once; the lock turns after the push delay, through "unlocking".
    await client.write("POST", f"/smartlock/{lock_id}/action/unlock")
    assert await client.state(lock_id) == LOCKED
    client.wait(PUSH_DELAY)
    assert await client.state(lock_id) == UNLOCKING
    client.wait(MOTOR)
    assert await client.state(lock_id) == UNLOCKED

    # Locking walks back through "locking" to "locked".
    await client.write("POST", f"/smartlock/{lock_id}/action", {"action": LOCK})
    client.wait(PUSH_DELAY)
    assert await client.state(lock_id) == LOCKING
    client.wait(MOTOR)
    assert await client.state(lock_id) == LOCKED

    # A mistyped code is refused with a detailMessage the client can show to its user.
    typo = await api.put(
        f"/smartlock/{lock_id}/auth", {"name": "Dog walker", "type": KEYPAD_CODE, "code": 45678}
    )
    assert typo.status == 400
    assert typo.detail == "The supplied value '45678' for parameter 'code' is not valid"

    # Creating a code answers 204 without an id: the client syncs, then finds it by name.
    new_code = {"name": "Dog walker", "type": KEYPAD_CODE, "code": DOG_WALKER_CODE}
    await client.write("PUT", f"/smartlock/{lock_id}/auth", new_code)
    assert await client.code_named(lock_id, "Dog walker") is None
    await client.write("POST", f"/smartlock/{lock_id}/sync")
    created = await client.code_named(lock_id, "Dog walker")
    assert created is not None
    assert (created["code"], created["enabled"]) == (DOG_WALKER_CODE, True)

    # Updating it (Saturdays only) shows after the next sync.
    change = {"name": "Dog walker (Sat)", "code": DOG_WALKER_CODE, "allowedWeekDays": SATURDAY}
    await client.write("POST", f"/smartlock/{lock_id}/auth/{created['id']}", change)
    await client.write("POST", f"/smartlock/{lock_id}/sync")
    updated = await client.read(f"/smartlock/{lock_id}/auth/{created['id']}")
    assert (updated["name"], updated["allowedWeekDays"]) == ("Dog walker (Sat)", SATURDAY)

    # Deleting it removes it from the listing after the next sync.
    await client.write("DELETE", f"/smartlock/{lock_id}/auth/{created['id']}")
    await client.write("POST", f"/smartlock/{lock_id}/sync")
    assert await client.code_named(lock_id, "Dog walker (Sat)") is None

    # The activity log shows both web actions, newest first.
    log = await client.read(f"/smartlock/{lock_id}/log", limit="2")
    assert [(e["action"], e["trigger"], e["state"]) for e in log] == [
        (LOCK, TRIGGER_WEB, SUCCESS),
        (UNLOCK, TRIGGER_WEB, SUCCESS),
    ]
