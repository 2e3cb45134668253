"""The dashboard names the world's profile, and under nuki-docs a new code reaches the cloud
column after the propagation delay (a minute here), not at the daily sync."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from nuki_sim.simulator.domain.config import SimConfig
from tests.dashboard.support import simulator
from tests.dashboard.test_page import WAIT_MS, card, code_row, open_dashboard

CODE = 482_913


def test_nuki_docs_is_shown_and_lists_a_code_after_the_delay(page: Page) -> None:
    config = SimConfig(push_delay=0, profile="nuki-docs", propagation_seconds=45)
    with simulator(config=config) as sim:
        open_dashboard(page, sim)
        badge = page.locator("#profile")
        expect(badge).to_have_text("profile nuki-docs", timeout=WAIT_MS)
        expect(badge).to_have_attribute("title", re.compile(r"45 s after the lock"))
        lock_id = sim.lock_ids()[0]

        sim.create_code(lock_id, CODE, "Plumber")
        row = code_row(page, lock_id, CODE)
        expect(row.locator("td.device")).to_have_text("present", timeout=WAIT_MS)
        expect(row.locator("td.cloud")).to_have_text("not listed")

        page.click("#advance-minute")

        expect(row.locator("td.cloud")).to_have_text("listed", timeout=WAIT_MS)
        expect(card(page, lock_id).locator(".codes-summary")).to_have_text(
            "Device and cloud agree."
        )


def test_the_default_world_shows_seed(page: Page) -> None:
    with simulator() as sim:
        open_dashboard(page, sim)
        expect(page.locator("#profile")).to_have_text("profile seed", timeout=WAIT_MS)
