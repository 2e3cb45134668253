"""``nuki-sim serve --profile`` and ``--propagation-seconds``: the world follows them, the
banner and ``GET /_sim/config`` say so, and a bad value stops the start (exit 2, one line)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from nuki_sim.simulator.cli import build_parser, main
from tests.client import ApiClient
from tests.control.test_cli import BANNER_TIMEOUT, KEYPAD, REPO, command, serving

CODE = 345_678


def profile_line(banner: list[str]) -> str:
    (line,) = [line for line in banner if line.split()[:2] == ["profile", ":"]]
    return line.split(":", 1)[1].strip()


async def test_nuki_docs_lists_a_new_code_after_the_propagation_delay(
    http: aiohttp.ClientSession,
):
    """serve --profile nuki-docs --propagation-seconds 5: the banner and /_sim/config name
    it, and a created code is listed 5 s after the lock applied it (not before)."""
    args = ("--clock", "virtual", "--profile", "nuki-docs", "--propagation-seconds", "5")
    async with serving(*args) as served:
        assert profile_line(served.banner) == (
            "nuki-docs (API changes listed 5 s after the lock applied them)"
        )
        api = ApiClient(http, served.url, served.token)
        settings = await api.get("/_sim/config")
        assert (settings.body["profile"], settings.body["propagationSeconds"]) == ("nuki-docs", 5)
        lock = (await api.get("/smartlock")).body[0]["smartlockId"]
        body = {"type": KEYPAD, "name": "CLI guest", "code": CODE}
        assert (await api.put(f"/smartlock/{lock}/auth", body)).status == 204
        again = await api.put(f"/smartlock/{lock}/auth", {**body, "name": "Copy"})
        assert again.status == 409  # the pending code counts at once

        async def listed() -> list[int]:
            reply = await api.get(f"/smartlock/{lock}/auth", params={"types": "13"})
            return [a["code"] for a in reply.body]

        assert (await api.post("/_sim/clock/advance", {"seconds": 3 + 4})).status == 200
        assert CODE not in await listed()
        assert (await api.post("/_sim/clock/advance", {"seconds": 1})).status == 200
        assert CODE in await listed()


async def test_the_default_profile_is_seed():
    async with serving() as served:
        assert profile_line(served.banner) == "seed (API changes listed at the lock's daily sync)"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--propagation-seconds", "-1"), "--propagation-seconds must be a number from 0 to 3600"),
        (("--propagation-seconds", "nan"), "--propagation-seconds must be a number from 0 to 3600"),
        (("--profile", "nuki"), "argument --profile: invalid choice: 'nuki'"),
    ],
)
def test_a_bad_value_exits_2_naming_the_flag(
    args: tuple[str, ...], expected: str, capsys: pytest.CaptureFixture[str]
):
    try:
        code = main(["serve", *args])
    except SystemExit as exited:  # argparse's own refusals
        code = int(exited.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_the_flags_default_to_the_specification_of_record():
    args = build_parser().parse_args(["serve"])
    assert (args.profile, args.propagation_seconds) == ("seed", 30.0)


async def test_a_real_process_refuses_a_bad_delay_before_serving():
    process = await asyncio.create_subprocess_exec(
        *command("--propagation-seconds", "3601"), cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), BANNER_TIMEOUT)
    assert process.returncode == 2
    assert err.decode().splitlines() == [
        "nuki-sim: --propagation-seconds must be a number from 0 to 3600, got 3601.0"
    ]
    assert out == b""
