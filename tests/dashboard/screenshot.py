"""A populated dashboard, for the browser tests and for ``docs/dashboard.png``.

``python -m tests.dashboard.screenshot [PATH]`` starts a simulator, fills it through the
public API and the control plane only, opens the page in headless Chromium, clicks the keypad
and writes a full-page screenshot (default: docs/dashboard.png).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.dashboard.support import (
    CHROMIUM_ARGS,
    Sim,
    ensure_chromium,
    ensure_playwright,
    simulator,
    webhook_receiver,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"
WAIT_MS = 10_000


def closed_port_url() -> str:
    """An http URL on loopback where nothing listens (a receiver that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/down"


def subscribe(sim: Sim, url: str, features: list[str]) -> None:
    sim.call("PUT", "/api/decentralWebhook", {"webhookUrl": url, "webhookFeatures": features})


def advance(sim: Sim, seconds: int) -> None:
    sim.call("POST", "/_sim/clock/advance", {"seconds": seconds})
    sim.call("POST", "/_sim/webhooks/flush", {"timeoutSeconds": 5})


@contextmanager
def populated(sim: Sim) -> Iterator[None]:
    """Two webhook subscriptions (one receiver up, one down), a code the cloud does not list
    yet, an offline lock with a queued code and a low battery."""
    front, back, garage = sim.lock_ids()
    with webhook_receiver(sim) as receiver:
        subscribe(sim, receiver, ["DEVICE_STATUS", "DEVICE_AUTHS", "DEVICE_LOGS"])
        subscribe(sim, closed_port_url(), ["DEVICE_STATUS"])
        sim.create_code(front, 482_913, "Plumber")
        sim.call("POST", f"/_sim/smartlocks/{garage}/connectivity", {"online": False})
        sim.create_code(garage, 736_158, "Late guest")
        sim.call("POST", f"/_sim/smartlocks/{back}/battery", {"charge": 14})
        advance(sim, 60)
        advance(sim, 60)
        yield


def populate(sim: Sim) -> None:
    """``populated`` for a test that needs no receiver afterwards."""
    with populated(sim):
        pass


def main(argv: list[str]) -> int:
    ensure_playwright()
    from playwright.sync_api import expect, sync_playwright

    target = Path(argv[0]) if argv else DOCS
    with simulator() as sim, populated(sim), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(sim.page_url())
        front, back, _ = sim.lock_ids()
        for lock_id, code in ((front, sim.seeded_code(front)), (back, 424_242)):
            lock = page.locator(f'article.lock[data-lock="{lock_id}"]')
            expect(lock).to_be_visible(timeout=WAIT_MS)
            if lock.locator(".keypad-input").is_enabled():
                lock.locator(".keypad-input").fill(str(code))
                lock.locator(".keypad-form button").click()
                expect(lock.locator(".keypad-result")).not_to_have_text("", timeout=WAIT_MS)
        garage = page.locator("article.lock").nth(2)
        garage.locator(".keypad-input").fill("000000")
        garage.locator(".keypad-form button").click()
        expect(garage.locator(".keypad-result")).to_have_text("denied: unknown code")
        page.locator("#deliveries li[data-delivery] summary").first.click()
        expect(page.locator("#live")).to_have_text("live", timeout=WAIT_MS)
        page.screenshot(path=target, full_page=True)
        browser.close()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
