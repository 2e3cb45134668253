"""Browser-test plumbing: Playwright and Debian's Chromium, and a simulator on a thread.

The simulator runs in its own event loop on a background thread, so the tests can drive
Chromium with Playwright's synchronous API from the main thread and still call the Nuki API
themselves (plain urllib, as an outside client would).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web

from nuki_sim.simulator.domain.codes import AuthType
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.http.server import RunningSimulator, start_simulator

T = TypeVar("T")
CHROMIUM = os.environ.get("NUKI_SIM_CHROMIUM", "/usr/bin/chromium")
# Headless in a sandboxed container with no route out: no GPU, no sandbox (root), and none
# of Chromium's own calls home (each would be refused by the closed network).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
START_TIMEOUT = 10.0  # real seconds for the simulator thread to start or stop
INSTALL_TIMEOUT = 900  # real seconds for apt-get to fetch and install Chromium
HOOK_PATH = "/nuki/webhook"


def ensure_playwright() -> None:
    """Import Playwright, installing it with this interpreter's pip when it is missing."""
    try:
        importlib.import_module("playwright.sync_api")
        return
    except ImportError:
        pass
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "playwright"]
    done = subprocess.run(pip, capture_output=True, text=True, check=False)
    importlib.invalidate_caches()
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError:
        raise RuntimeError(
            "The dashboard's browser tests need Playwright and could not install it "
            f"({' '.join(pip)} said: {done.stderr.strip()[-500:]}). "
            "Install the test extra: pip install -e '.[test]'."
        ) from None


def ensure_chromium() -> str:
    """The Chromium binary; as root, installs Debian's ``chromium`` package when missing."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "chromium"]):
            subprocess.run(step, env=env, capture_output=True, timeout=INSTALL_TIMEOUT, check=False)
        if Path(CHROMIUM).exists():
            return CHROMIUM
    raise RuntimeError(
        f"The dashboard's browser tests need Chromium at {CHROMIUM} and could not install it. "
        "Install the distribution's package (sudo apt-get install chromium) or point "
        "NUKI_SIM_CHROMIUM at a Chromium binary. (Playwright's own browser download is not "
        "used: these tests drive the system's Chromium.)"
    )


class Background:
    """An event loop running on a daemon thread; coroutines are handed over and awaited."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(START_TIMEOUT)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(START_TIMEOUT)
        self.loop.close()


@dataclass
class Sim:
    """A running simulator seen from the test thread."""

    running: RunningSimulator
    background: Background
    control_token: str | None = None

    @property
    def url(self) -> str:
        return self.running.url

    @property
    def token(self) -> str:
        return self.running.token

    def lock_ids(self) -> list[int]:
        return [lock.smartlock_id for lock in self.running.demo.locks]

    def seeded_code(self, smartlock_id: int) -> int:
        """A keypad code the demo put on the lock (read before the page runs anything)."""
        lock = self.running.world.locks[smartlock_id]
        return next(
            int(a.code)
            for a in lock.device.auths.values()
            if a.type == AuthType.KEYPAD_CODE and a.code is not None
        )

    def page_url(self, *, control: bool = True) -> str:
        query = {"token": self.token}
        if control and self.control_token:
            query["control"] = self.control_token
        return f"{self.url}/_dashboard/?{urlencode(query)}"

    def call(self, method: str, path: str, body: object = None) -> Any:
        """One request as an outside client makes it; refusals raise with Nuki's answer."""
        token = self.control_token if path.startswith("/_sim") else self.token
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=START_TIMEOUT) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()!r}") from None
        return json.loads(raw) if raw else None

    def create_code(self, smartlock_id: int, code: int, name: str) -> None:
        body = {"type": int(AuthType.KEYPAD_CODE), "name": name, "code": code}
        self.call("PUT", f"/smartlock/{smartlock_id}/auth", body)


@contextmanager
def simulator(
    *, control_token: str | None = None, config: SimConfig | None = None
) -> Iterator[Sim]:
    """A seeded demo simulator on 127.0.0.1 with a virtual clock, on a background thread."""
    background = Background()
    try:
        running = background.run(
            start_simulator(seed=0, locks=3, config=config, control_token=control_token)
        )
        try:
            yield Sim(running, background, control_token)
        finally:
            background.run(running.close())
    finally:
        background.close()


async def _receiver() -> web.AppRunner:
    async def hook(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="thanks")

    app = web.Application()
    app.router.add_post(HOOK_PATH, hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


@contextmanager
def webhook_receiver(sim: Sim) -> Iterator[str]:
    """A webhook receiver answering 200, in the simulator's loop; yields its URL."""
    runner = sim.background.run(_receiver())
    try:
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}{HOOK_PATH}"
    finally:
        sim.background.run(runner.cleanup())
