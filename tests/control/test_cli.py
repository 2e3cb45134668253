"""``nuki-sim serve`` as a real process: banner, real requests, SIGINT, --state, --control, a busy port."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from nuki_sim.simulator.cli import banner, exposure_warning
from nuki_sim.simulator.http.server import start_simulator
from tests.client import ApiClient
from tests.control.support import ControlClient, is_detail_error

REPO = Path(__file__).resolve().parents[2]
BANNER_TIMEOUT = 10.0  # seconds to wait for the banner (importing Faker takes a moment)
STOP_TIMEOUT = 5.0
SEED = 3
DEMO_LOCKS = 3
KEYPAD = 13
GUEST_CODE = 345_678
GUEST_NAME = "CLI guest"
URL_LINE = re.compile(r"^nuki-sim serving a demo world \(seed (\d+)\) on (http://\S+)$")
TOKEN_LINE = re.compile(r"^\s+API token : (\S+)$")
BANNER_END = "Press Ctrl-C to stop."


@dataclass
class Served:
    process: asyncio.subprocess.Process
    url: str
    token: str
    banner: list[str]


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nuki_sim.simulator", "serve", "--port", "0", *args]


async def read_banner(process: asyncio.subprocess.Process) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or lines[-1] != BANNER_END:
        raw = await process.stdout.readline()
        assert raw, f"nuki-sim exited before its banner was complete: {lines}"
        lines.append(raw.decode().rstrip("\n"))
    return lines


@asynccontextmanager
async def serving(*args: str) -> AsyncIterator[Served]:
    """Start ``nuki-sim serve --port 0 *args``; the process is always killed afterwards."""
    process = await asyncio.create_subprocess_exec(
        *command(*args), cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        banner = await asyncio.wait_for(read_banner(process), BANNER_TIMEOUT)
        url_match = URL_LINE.match(banner[0])
        token_match = TOKEN_LINE.match(banner[1])
        assert url_match, banner
        assert token_match, banner
        yield Served(process, url_match.group(2), token_match.group(1), banner)
    finally:
        if process.returncode is None:
            process.kill()
        await process.communicate()


async def interrupt(served: Served) -> tuple[int, str]:
    """Send SIGINT; return the exit code and what it printed after the banner."""
    served.process.send_signal(signal.SIGINT)
    out, _ = await asyncio.wait_for(served.process.communicate(), STOP_TIMEOUT)
    assert served.process.returncode is not None
    return served.process.returncode, out.decode()


async def test_serve_answers_real_requests_and_stops_on_sigint(http: aiohttp.ClientSession):
    """The banner shows URL and token, GET /smartlock answers 3 locks, SIGINT exits 0 with "stopped"."""
    async with serving("--clock", "virtual", "--seed", str(SEED)) as served:
        assert URL_LINE.match(served.banner[0]).group(1) == str(SEED)
        reply = await ApiClient(http, served.url, served.token).get("/smartlock")
        assert reply.status == 200
        assert len(reply.body) == DEMO_LOCKS
        code, out = await interrupt(served)
    assert code == 0
    assert "stopped" in out


async def test_same_seed_same_token():
    """Two runs with one seed print the same token; another seed prints another."""
    tokens = []
    for seed in (SEED, SEED, SEED + 1):
        async with serving("--clock", "virtual", "--seed", str(seed)) as served:
            tokens.append(served.token)
            assert (await interrupt(served))[0] == 0
    assert tokens[0] == tokens[1]
    assert tokens[2] != tokens[0]


async def test_state_file_survives_a_restart(tmp_path: Path, http: aiohttp.ClientSession):
    """With --state, a code created and synced before SIGINT is listed after a restart."""
    state = tmp_path / "world.json"
    args = ("--clock", "virtual", "--seed", str(SEED), "--state", str(state))
    async with serving(*args) as served:
        api = ApiClient(http, served.url, served.token)
        locks = (await api.get("/smartlock")).body
        lock_id = next(lk["smartlockId"] for lk in locks if lk["config"]["keypadPaired"])
        body = {"type": KEYPAD, "name": GUEST_NAME, "code": GUEST_CODE}
        assert (await api.put(f"/smartlock/{lock_id}/auth", body)).status == 204
        assert (await api.post(f"/smartlock/{lock_id}/sync")).status == 204
        assert (await interrupt(served))[0] == 0
    assert state.exists()

    async with serving(*args) as served:
        api = ApiClient(http, served.url, served.token)
        listed = (await api.get(f"/smartlock/{lock_id}/auth")).body
        assert GUEST_NAME in [auth["name"] for auth in listed]
        assert (await interrupt(served))[0] == 0


async def test_control_off_hides_the_control_plane(http: aiohttp.ClientSession):
    """--control off: /_sim/clock is 404 and the banner says so; Nuki's routes still answer."""
    async with serving("--clock", "virtual", "--control", "off") as served:
        assert any(line.split() == ["control", ":", "off"] for line in served.banner)
        reply = await ControlClient(http, served.url, None).get("/clock")
        assert is_detail_error(reply, 404)
        assert (await ApiClient(http, served.url, served.token).get("/account")).status == 200
        assert (await interrupt(served))[0] == 0


async def test_a_busy_port_exits_1_with_a_clear_message():
    """--port already in use → exit code 1 and one line on stderr naming the address."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "nuki_sim.simulator", "serve", "--port", str(port),
            cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            out, err = await asyncio.wait_for(process.communicate(), BANNER_TIMEOUT)
        finally:
            if process.returncode is None:
                process.kill()
                await process.communicate()
    assert process.returncode == 1
    message = err.decode()
    assert f"cannot listen on 127.0.0.1:{port}" in message
    assert "in use" in message
    assert "Traceback" not in message
    assert out == b""


# --- exposure off loopback (issue "[2/5] Hardening", 6) -------------------------------------


@pytest.mark.parametrize(
    ("host", "control_plane", "control_token", "warns"),
    [
        ("127.0.0.1", True, False, False),
        ("::1", True, False, False),
        ("localhost", True, False, False),
        ("0.0.0.0", True, False, True),
        ("::", True, False, True),
        ("192.168.1.20", True, False, True),
        ("0.0.0.0", True, True, False),
        ("0.0.0.0", False, False, False),
    ],
)
def test_the_banner_warns_when_the_control_plane_is_open_off_loopback(
    host: str, control_plane: bool, control_token: bool, warns: bool
):
    """Off loopback, an unguarded /_sim is warned about; loopback, a token or --control off is quiet."""
    warning = exposure_warning(host, control_plane=control_plane, control_token=control_token)
    assert (warning is not None) == warns
    if warning:
        assert host in warning
        assert "--control-token" in warning


async def test_all_interfaces_warn_and_draw_tokens_that_the_seed_does_not_tell(
    http: aiohttp.ClientSession,
):
    """--host 0.0.0.0 prints the warning and a random token (not seed 3's); it works via 127.0.0.1."""
    seeded = await start_simulator(seed=SEED)
    seeded_token = seeded.token
    await seeded.close()
    async with serving("--host", "0.0.0.0", "--clock", "virtual", "--seed", str(SEED)) as served:
        assert any("WARNING" in line and "0.0.0.0" in line for line in served.banner)
        assert served.token != seeded_token
        local = served.url.replace("0.0.0.0", "127.0.0.1")
        assert (await ApiClient(http, local, served.token).get("/account")).status == 200
        assert (await ApiClient(http, local, seeded_token).get("/account")).status == 401
        assert (await interrupt(served))[0] == 0


async def test_webhook_secrets_are_random_off_loopback_unless_the_token_is_given(
    http: aiohttp.ClientSession,
):
    """Bound to 0.0.0.0, --token is kept but webhook secrets are not the seeded ones."""
    body = {"webhookUrl": "https://hooks.example.invalid/nuki", "webhookFeatures": ["DEVICE_LOGS"]}
    secrets = []
    for host in ("127.0.0.1", "0.0.0.0"):
        sim = await start_simulator(seed=SEED, host=host, token="given-token")
        try:
            assert sim.token == "given-token"
            api = ApiClient(http, sim.url.replace("0.0.0.0", "127.0.0.1"), sim.token)
            secrets.append((await api.put("/api/decentralWebhook", body)).body["secret"])
            assert "WARNING" in banner(sim) if host == "0.0.0.0" else "WARNING" not in banner(sim)
        finally:
            await sim.close()
    assert secrets[0] != secrets[1]


@pytest.mark.parametrize("flag", ["--token", "--control-token"])
async def test_a_token_that_cannot_travel_in_a_header_exits_2(flag: str):
    """A --token or --control-token with a space or a newline is refused before serving (exit 2)."""
    process = await asyncio.create_subprocess_exec(
        *command(flag, "bad token\n"), cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), BANNER_TIMEOUT)
    assert process.returncode == 2
    assert flag in err.decode()
    assert out == b""


# --- quirks (issue 15) ----------------------------------------------------------------------


async def test_quirk_flags_reach_the_world_and_the_banner(http: aiohttp.ClientSession):
    """--quirk rapid-update-lost --no-quirk partial-update-clears-times: the banner lists the
    one quirk on, and a second rapid update of a code is answered 204 (not 423)."""
    args = ("--clock", "virtual", "--quirk", "rapid-update-lost",
            "--no-quirk", "partial-update-clears-times")  # fmt: skip
    async with serving(*args) as served:
        assert any(line.split() == ["quirks", ":", "rapid-update-lost"] for line in served.banner)
        api = ApiClient(http, served.url, served.token)
        locks = (await api.get("/smartlock")).body
        lock_id = next(lk["smartlockId"] for lk in locks if lk["config"]["keypadPaired"])
        codes = (await api.get(f"/smartlock/{lock_id}/auth", params={"types": "13"})).body
        auth_id = codes[0]["id"]
        path = f"/smartlock/{lock_id}/auth/{auth_id}"
        statuses = [(await api.post(path, {"name": name})).status for name in ("A", "B", "C")]
        assert statuses == [204, 204, 423]
        assert (await interrupt(served))[0] == 0


async def test_a_quirk_switched_on_and_off_exits_2():
    """The same quirk after --quirk and --no-quirk is refused before serving, in one line."""
    process = await asyncio.create_subprocess_exec(
        *command("--quirk", "rapid-update-lost", "--no-quirk", "rapid-update-lost"), cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), BANNER_TIMEOUT)
    assert process.returncode == 2
    assert err.decode().splitlines() == [
        "nuki-sim: quirk 'rapid-update-lost' is switched both on and off"
    ]
    assert out == b""
