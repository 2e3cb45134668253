"""The dashboard over plain HTTP: what is served, what is not, and when the stream speaks."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest

from nuki_sim.simulator.cli import banner
from nuki_sim.simulator.http.dashboard.live import PAGE_HEADER
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator

QUIET_SECONDS = 0.5  # how long "no event" is watched for (five debounce intervals)
EVENT_TIMEOUT = 5.0
ASSETS = ("/_dashboard/", "/_dashboard/static/dashboard.js", "/_dashboard/static/dashboard.css")


async def next_event(stream: aiohttp.ClientResponse) -> tuple[str, str]:
    """The next server-sent event's name and data (comments and ``retry`` skipped)."""
    name, data = "message", ""
    while True:
        line = (await stream.content.readline()).decode().rstrip("\n")
        if line.startswith("event:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("data:"):
            data = line.partition(":")[2].strip()
        elif not line and data:
            return name, data


async def test_page_and_assets_are_served_from_the_package(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    """Three files, each from the simulator's own origin: no CDN, no address elsewhere."""
    for path in ASSETS:
        async with http.get(nuki_sim.url + path) as reply:
            assert reply.status == 200, path
            assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
            text = await reply.text()
        assert not re.search(r"https?://", text), f"{path} points outside the simulator"
    async with http.get(nuki_sim.url + "/_dashboard/") as reply:
        assert reply.content_type == "text/html"
        page = await reply.text()
    assert 'src="static/dashboard.js"' in page
    assert 'href="static/dashboard.css"' in page


async def test_redirects_and_refusals(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(nuki_sim.url + "/_dashboard?token=t", allow_redirects=False) as reply:
        assert reply.status == 302
        assert reply.headers["Location"] == "/_dashboard/?token=t"
    async with http.get(nuki_sim.url + "/_dashboard/static/other.js") as reply:
        assert reply.status == 404
    async with http.post(nuki_sim.url + "/_dashboard/") as reply:
        assert reply.status == 405


async def test_the_page_is_not_a_journaled_request(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(nuki_sim.url + "/_dashboard/") as reply:
        assert reply.status == 200
    async with http.get(nuki_sim.url + "/_sim/requests") as reply:
        assert await reply.json() == []


async def test_without_the_control_plane_there_is_no_dashboard(http: aiohttp.ClientSession) -> None:
    sim = await start_simulator(control_plane=False)
    try:
        async with http.get(sim.url + "/_dashboard/") as reply:
            assert reply.status == 404
        assert "  dashboard : off (it needs the control plane)" in banner(sim).splitlines()
    finally:
        await sim.close()


async def test_the_banner_links_the_dashboard_with_the_demo_token(
    nuki_sim: RunningSimulator,
) -> None:
    line = f"  dashboard : {nuki_sim.url}/_dashboard/?token={nuki_sim.token}"
    assert line in banner(nuki_sim).splitlines()


@pytest.mark.nuki_sim(control_token="c0ntrol")
async def test_with_a_control_token_the_banner_says_to_add_it(nuki_sim: RunningSimulator) -> None:
    line = next(ln for ln in banner(nuki_sim).splitlines() if ln.startswith("  dashboard :"))
    assert line.endswith("/_dashboard/?token=" + nuki_sim.token + " (add &control=<control token>)")


async def test_events_follow_other_clients_not_the_pages_own_reads(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    """One ``changed`` at once; none for the page's tagged reads (they only catch the clock
    up); one for another client's write."""
    token = {"Authorization": f"Bearer {nuki_sim.token}"}
    async with http.get(nuki_sim.url + "/_dashboard/events") as stream:
        assert stream.content_type == "text/event-stream"
        assert await asyncio.wait_for(next_event(stream), EVENT_TIMEOUT) == ("changed", "0")

        page_read = {**token, PAGE_HEADER: "1"}
        for path in ("/smartlock", "/smartlock/auth", "/_sim/clock"):
            async with http.get(nuki_sim.url + path, headers=page_read) as reply:
                assert reply.status == 200
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(next_event(stream), QUIET_SECONDS)

        async with http.post(nuki_sim.url + "/_sim/clock/advance", json={"seconds": 60}) as reply:
            assert reply.status == 200
        assert await asyncio.wait_for(next_event(stream), EVENT_TIMEOUT) == ("changed", "1")
