"""``state_file``: the world is saved on close and comes back, queued work included, at start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from nuki_sim.simulator.domain.snapshot import FORMAT
from nuki_sim.simulator.http.server import RunningSimulator, StateFileError, start_simulator
from tests.client import ApiClient
from tests.control.support import ControlClient

FIRST_SEED = 7
OTHER_SEED = 99
GUEST_CODE = 345_678
QUEUED_CODE = 456_789
QUEUED_NAME = "Queued guest"
KEYPAD = 13
HOURS_LATER = 5 * 3_600  # time passes between the changes and the save


def clients(
    sim: RunningSimulator, http: aiohttp.ClientSession, token: str
) -> tuple[ApiClient, ControlClient]:
    return ApiClient(http, sim.url, token), ControlClient(http, sim.url, None)


async def listings(api: ApiClient, lock_ids: list[int]) -> dict[int, Any]:
    replies = {lock_id: await api.get(f"/smartlock/{lock_id}/auth") for lock_id in lock_ids}
    assert all(reply.status == 200 for reply in replies.values())
    return {lock_id: reply.body for lock_id, reply in replies.items()}


async def build_first_world(
    path: Path, http: aiohttp.ClientSession
) -> tuple[str, list[int], dict[str, Any], dict[int, Any]]:
    """Codes on an online lock (synced) and queued on an offline one, time moved, then closed.

    Returns the API token, the lock ids, the last snapshot and the listings before close.
    """
    sim = await start_simulator(seed=FIRST_SEED, state_file=path)
    token = sim.token
    api, control = clients(sim, http, token)
    online, offline = sim.demo.locks[0].smartlock_id, sim.demo.locks[2].smartlock_id
    lock_ids = [lock.smartlock_id for lock in sim.demo.locks]
    try:
        code = {"type": KEYPAD, "name": "Guest", "code": GUEST_CODE}
        assert (await api.put(f"/smartlock/{online}/auth", code)).status == 204
        assert (await control.post(f"/smartlocks/{online}/sync")).status == 200
        await control.post(f"/smartlocks/{offline}/connectivity", {"online": False})
        queued = {"type": KEYPAD, "name": QUEUED_NAME, "code": QUEUED_CODE}
        assert (await api.put(f"/smartlock/{offline}/auth", queued)).status == 204
        await control.post("/clock/advance", {"seconds": HOURS_LATER})
        queue = (await control.get(f"/smartlocks/{offline}/device")).body["queue"]
        assert [entry["name"] for entry in queue] == [QUEUED_NAME]
        taken = (await control.get("/snapshot")).body
        listed = await listings(api, lock_ids)
    finally:
        await sim.close()
    return token, lock_ids, taken, listed


async def test_close_writes_the_state_file(tmp_path: Path, http: aiohttp.ClientSession):
    """close() leaves a valid JSON snapshot (and no partial file) that equals the last snapshot."""
    path = tmp_path / "world.json"
    _, _, taken, _ = await build_first_world(path, http)
    assert path.exists()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["format"] == FORMAT
    assert saved == taken
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


async def test_a_new_simulator_resumes_the_saved_world(tmp_path: Path, http: aiohttp.ClientSession):
    """Started again (another seed even) on the same file: same snapshot, listings and queue."""
    path = tmp_path / "world.json"
    token, lock_ids, taken, listed = await build_first_world(path, http)
    offline = lock_ids[2]

    sim = await start_simulator(seed=OTHER_SEED, state_file=path)
    try:
        api, control = clients(sim, http, token)
        assert (await control.get("/snapshot")).body == taken
        assert await listings(api, lock_ids) == listed
        queue = (await control.get(f"/smartlocks/{offline}/device")).body["queue"]
        assert [entry["name"] for entry in queue] == [QUEUED_NAME]

        back = await control.post(f"/smartlocks/{offline}/connectivity", {"online": True})
        assert [(d["command"], d["error"]) for d in back.body["delivered"]] == [
            ("CreateAuth", None)
        ]
        assert (await api.post(f"/smartlock/{offline}/sync")).status == 204
        names = [auth["name"] for auth in (await listings(api, [offline]))[offline]]
        assert QUEUED_NAME in names
        assert QUEUED_NAME not in [auth["name"] for auth in listed[offline]]
    finally:
        await sim.close()


async def test_the_resumed_simulator_offers_a_working_token(
    tmp_path: Path, http: aiohttp.ClientSession
):
    """RunningSimulator.token (what the CLI banner prints) opens the restored world's API."""
    path = tmp_path / "world.json"
    await build_first_world(path, http)
    sim = await start_simulator(seed=OTHER_SEED, state_file=path)
    try:
        reply = await ApiClient(http, sim.url, sim.token).get("/smartlock")
        assert reply.status == 200, "the advertised token is not in the restored world"
        assert sorted(lock["smartlockId"] for lock in reply.body) == sorted(sim.world.locks)
    finally:
        await sim.close()


@pytest.mark.parametrize("content", ["{not json", '{"format": "nuki-sim/0"}'])
async def test_a_damaged_state_file_is_refused_at_start(tmp_path: Path, content: str):
    """A state file that is no snapshot stops the start with an error naming the problem."""
    path = tmp_path / "world.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StateFileError, match="state file"):
        await start_simulator(state_file=path)
    assert path.read_text(encoding="utf-8") == content
