"""``--state FILE`` is durable: every acknowledged write survives kill -9, and SIGTERM is quick.

The simulator runs as a real ``nuki-sim serve`` process; kill -9 gives it no chance to save
on exit, so whatever comes back was on disk before the write was answered.
"""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import aiohttp

from nuki_sim.simulator.cli import main
from nuki_sim.simulator.http.limits import SHUTDOWN_SECONDS
from nuki_sim.simulator.http.server import start_simulator
from tests.client import ApiClient
from tests.control.support import ControlClient
from tests.control.test_cli import Served, serving

KEYPAD = 13
CODES = (345_678, 456_789, 567_891, 678_912, 789_123)
HANGING_DELAY = 60  # seconds a faulted request would hang
DOCKER_GRACE = 10.0  # seconds Docker waits between SIGTERM and SIGKILL
POLL = 0.05


def state_args(path: Path, *more: str) -> tuple[str, ...]:
    return ("--clock", "virtual", "--seed", "5", "--state", str(path), *more)


async def world_of(served: Served, http: aiohttp.ClientSession) -> dict[str, Any]:
    """The whole world as the control plane's snapshot shows it."""
    reply = await ControlClient(http, served.url, None).get("/snapshot")
    assert reply.status == 200
    return reply.body


async def many_writes(served: Served, http: aiohttp.ClientSession) -> None:
    """Creates, an update, a lock rename, an offline lock's queued create and moved time."""
    api = ApiClient(http, served.url, served.token)
    control = ControlClient(http, served.url, None)
    locks = (await api.get("/smartlock")).body
    keypad = next(lk["smartlockId"] for lk in locks if lk["config"]["keypadPaired"])
    other = next(lk["smartlockId"] for lk in locks if lk["smartlockId"] != keypad)
    for i, code in enumerate(CODES[:3]):
        body = {"type": KEYPAD, "name": f"Guest {i}", "code": code}
        assert (await api.put(f"/smartlock/{keypad}/auth", body)).status == 204
    assert (await control.post("/clock/advance", {"seconds": 3_600})).status == 200
    assert (await api.post(f"/smartlock/{keypad}/sync")).status == 204
    listed = (await api.get(f"/smartlock/{keypad}/auth")).body
    guest = next(a for a in listed if a["name"] == "Guest 0")
    renamed = {"name": "Renamed guest"}
    assert (await api.post(f"/smartlock/{keypad}/auth/{guest['id']}", renamed)).status == 204
    assert (await api.post(f"/smartlock/{other}", {"name": "Garage"})).status == 204
    offline = {"online": False}
    assert (await control.post(f"/smartlocks/{keypad}/connectivity", offline)).status == 200
    queued = {"type": KEYPAD, "name": "Queued", "code": CODES[3]}
    assert (await api.put(f"/smartlock/{keypad}/auth", queued)).status == 204
    assert (await control.post("/clock/advance", {"seconds": 86_400})).status == 200


async def test_acknowledged_writes_survive_kill_9(tmp_path: Path, http: aiohttp.ClientSession):
    """After API and control-plane writes and moved time, kill -9 and a restart give the same world."""
    path = tmp_path / "world.json"
    async with serving(*state_args(path)) as served:
        await many_writes(served, http)
        before = await world_of(served, http)
        served.process.kill()
        await served.process.wait()
    async with serving(*state_args(path)) as served:
        after = await world_of(served, http)
    assert after == before


async def test_concurrent_writes_all_survive_kill_9(tmp_path: Path, http: aiohttp.ClientSession):
    """Writes answered while others are being saved (one shared save) are all on disk."""
    path = tmp_path / "world.json"
    async with serving(*state_args(path)) as served:
        api = ApiClient(http, served.url, served.token)
        locks = (await api.get("/smartlock")).body
        keypad = next(lk["smartlockId"] for lk in locks if lk["config"]["keypadPaired"])
        bodies = [{"type": KEYPAD, "name": f"Burst {i}", "code": c} for i, c in enumerate(CODES)]
        replies = await asyncio.gather(*(api.put(f"/smartlock/{keypad}/auth", b) for b in bodies))
        assert [r.status for r in replies] == [204] * len(CODES)
        served.process.kill()
        await served.process.wait()
    async with serving(*state_args(path)) as served:
        queue = await ControlClient(http, served.url, None).get(f"/smartlocks/{keypad}/device")
        names = {entry["name"] for entry in queue.body["queue"]}
    assert names == {b["name"] for b in bodies}


async def test_sigterm_with_a_hanging_request_stops_within_the_grace(
    tmp_path: Path, http: aiohttp.ClientSession
):
    """A request held by a 60 s delay fault does not hold SIGTERM: exit 0 well inside 10 s, saved."""
    path = tmp_path / "world.json"
    async with serving(*state_args(path)) as served:
        api = ApiClient(http, served.url, served.token)
        control = ControlClient(http, served.url, None)
        assert (await control.post("/clock/advance", {"seconds": 600})).status == 200
        fault = {"path": "/smartlock", "delaySeconds": HANGING_DELAY, "count": 1}
        assert (await control.post("/faults", fault)).status in (200, 201)
        hanging = asyncio.create_task(api.get("/smartlock"))
        while (await control.get("/faults")).body:  # the rule is gone once the request holds it
            await asyncio.sleep(POLL)
        clock = (await control.get("/clock")).body
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(served.process.wait(), DOCKER_GRACE)
        took = time.monotonic() - started
        hanging.cancel()
        await asyncio.gather(hanging, return_exceptions=True)
    assert served.process.returncode == 0
    assert took < 2 * SHUTDOWN_SECONDS + 2, f"SIGTERM took {took:.1f} s"
    async with serving(*state_args(path)) as served:
        assert (await ControlClient(http, served.url, None).get("/clock")).body == clock


def test_a_missing_state_directory_fails_at_start(tmp_path: Path, capsys: Any):
    """--state in a directory that does not exist: exit 1 at start with one line naming it."""
    path = tmp_path / "no-such-dir" / "world.json"
    code = main(["serve", "--port", "0", "--state", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"nuki-sim: state file {path}: the directory {path.parent} does not exist"
    ]


def test_a_new_state_file_is_written_at_start(tmp_path: Path):
    """The state file exists as soon as the simulator has started, before any write."""
    path = tmp_path / "world.json"

    async def start_and_stop() -> None:
        sim = await start_simulator(state_file=path)
        try:
            assert path.exists()
        finally:
            await sim.close()

    asyncio.run(start_and_stop())
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
