"""``nuki-sim adapter serve`` as a real process, in front of ``nuki-sim serve`` in another."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[2]
BANNER_TIMEOUT = 10.0  # seconds for a banner (importing Faker takes a moment)
STOP_TIMEOUT = 10.0
BANNER_END = "Press Ctrl-C to stop."
SIM_LINE = re.compile(r"^nuki-sim serving a demo world \(seed \d+\) on (http://\S+)$")
TOKEN_LINE = re.compile(r"^\s+API token : (\S+)")  # maybe followed by more
ADAPTER_LINE = re.compile(r"^nuki-sim adapter serving (\d+) devices on (http://\S+)$")


async def banner(process: asyncio.subprocess.Process) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or lines[-1] != BANNER_END:
        raw = await process.stdout.readline()
        assert raw, f"the process exited before its banner was complete: {lines}"
        lines.append(raw.decode().rstrip("\n"))
    return lines


@asynccontextmanager
async def running(*args: str) -> AsyncIterator[tuple[asyncio.subprocess.Process, list[str]]]:
    """``python -m nuki_sim *args`` until its banner; always killed afterwards."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "nuki_sim", *args,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process, await asyncio.wait_for(banner(process), BANNER_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
        await process.communicate()


async def interrupt(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), STOP_TIMEOUT)
    assert process.returncode is not None
    assert b"Traceback" not in err, err.decode()
    return process.returncode, out.decode()


async def call(http: aiohttp.ClientSession, method: str, url: str, body: Any = None) -> Any:
    async with http.request(method, url, data=None if body is None else json.dumps(body)) as reply:
        assert reply.status < 300, (method, url, reply.status, await reply.text())
        return json.loads(await reply.read() or b"null")


async def test_adapter_serve_in_front_of_nuki_sim_serve(http: aiohttp.ClientSession):
    """Banner with the URL; an unlock resolves through webhooks between the two processes;
    SIGINT stops the adapter (which unsubscribes) and the simulator, both with exit code 0."""
    async with running("serve", "--port", "0", "--clock", "virtual") as (sim, sim_banner):
        sim_match, token_match = SIM_LINE.match(sim_banner[0]), TOKEN_LINE.match(sim_banner[1])
        assert sim_match, sim_banner
        assert token_match, sim_banner
        sim_url, token = sim_match.group(1), token_match.group(1)
        args = ("adapter", "serve", "--nuki-url", sim_url, "--token", token, "--port", "0")
        async with running(*args) as (adapter, adapter_banner):
            match = ADAPTER_LINE.match(adapter_banner[0])
            assert match, adapter_banner
            assert f"  webhooks  : {match.group(2)}/nuki/webhook" in adapter_banner
            url = match.group(2)
            devices = await call(http, "GET", url + "/devices")
            assert len(devices) == int(match.group(1)) == 3
            body = {"trait": "Lock", "action": "setLocked", "parameters": {"lock": False}}
            action = await call(http, "POST", f"{url}/devices/{devices[0]['id']}/actions", body)
            assert action["status"] == "PENDING"
            await call(http, "POST", sim_url + "/_sim/clock/advance", {"seconds": 10})
            assert (await call(http, "POST", sim_url + "/_sim/webhooks/flush"))["drained"]
            assert (await call(http, "GET", f"{url}/actions/{action['id']}"))[
                "status"
            ] == "RESOLVED"

            code, out = await interrupt(adapter)
            assert code == 0
            assert "stopped" in out
        deletes = await call(http, "GET", sim_url + "/_sim/requests?method=DELETE")
        assert [d["path"].rsplit("/", 1)[0] for d in deletes] == ["/api/decentralWebhook"]
        assert [d["status"] for d in deletes] == [204]
        code, out = await interrupt(sim)
        assert code == 0
