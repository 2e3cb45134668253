"""The dashboard in headless Chromium: click its buttons, read its DOM, never reload.

Every change a test makes from outside (a code created through the Nuki API) must reach the
open page through the server-sent events alone. Waits are bounded (``expect(...)`` retries
until its timeout); nothing sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from nuki_sim.simulator.domain.config import SimConfig
from tests.dashboard.screenshot import populate
from tests.dashboard.support import Sim, simulator

WAIT_MS = 10_000  # the longest any one expectation waits (real time)
CODE = 482_913
LATE_CODE = 736_158
CONTROL_TOKEN = "control-s3cret"


@pytest.fixture
def sim() -> Iterator[Sim]:
    """The demo world; commands reach an online lock at once (no fast-sync delay), so
    'on the device at once' needs no clock move. The daily sync is untouched."""
    with simulator(config=SimConfig(push_delay=0)) as running:
        yield running


def open_dashboard(page: Page, sim: Sim) -> None:
    page.goto(sim.page_url())
    expect(page.locator("#live")).to_have_text("live", timeout=WAIT_MS)
    for lock_id in sim.lock_ids():
        expect(card(page, lock_id)).to_be_visible(timeout=WAIT_MS)


def card(page: Page, lock_id: int) -> Locator:
    return page.locator(f'article.lock[data-lock="{lock_id}"]')


def code_row(page: Page, lock_id: int, code: int) -> Locator:
    return card(page, lock_id).locator(f'tr[data-code="{code}"]')


def test_a_new_code_is_on_the_device_at_once_and_in_the_cloud_after_a_day(
    page: Page, sim: Sim
) -> None:
    """Created through the API: the device column has it at once, the cloud column only after
    "+1 day" (the daily sync), and the row is highlighted while they differ."""
    lock_id = sim.lock_ids()[0]
    open_dashboard(page, sim)

    sim.create_code(lock_id, CODE, "Plumber")

    row = code_row(page, lock_id, CODE)
    expect(row.locator("td.device")).to_have_text("present", timeout=WAIT_MS)
    expect(row.locator("td.cloud")).to_have_text("not listed")
    expect(row).to_have_class(re.compile(r"\bdevice-only\b"))
    expect(card(page, lock_id).locator(".codes-summary")).to_contain_text("1 difference")

    page.click("#advance-day")

    expect(row.locator("td.cloud")).to_have_text("listed", timeout=WAIT_MS)
    expect(row.locator("td.device")).to_have_text("present")
    expect(row).to_have_class(re.compile(r"\bsame\b"))
    expect(card(page, lock_id).locator(".codes-summary")).to_have_text("Device and cloud agree.")


def test_offline_lock_fills_its_queue_and_drains_it_on_reconnect(page: Page, sim: Sim) -> None:
    """Offline, a new code waits in the pending queue; back online, the lock takes it."""
    lock_id = sim.lock_ids()[2]
    open_dashboard(page, sim)
    lock = card(page, lock_id)
    queue = lock.locator("ol.queue li.command")
    expect(lock.locator(".queue-count")).to_have_text("0")

    lock.locator('button[data-action="connectivity"]').click()
    expect(lock.locator(".badge.connectivity")).to_have_text("offline", timeout=WAIT_MS)

    sim.create_code(lock_id, LATE_CODE, "Late guest")
    expect(lock.locator(".queue-count")).to_have_text("1", timeout=WAIT_MS)
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("CreateAuth Late guest")
    expect(code_row(page, lock_id, LATE_CODE)).to_have_count(0)  # neither lock nor cloud has it

    lock.locator('button[data-action="connectivity"]').click()
    expect(lock.locator(".badge.connectivity")).to_have_text("online", timeout=WAIT_MS)
    expect(lock.locator(".queue-count")).to_have_text("0", timeout=WAIT_MS)
    expect(queue).to_have_count(0)
    expect(code_row(page, lock_id, LATE_CODE).locator("td.device")).to_have_text("present")


def test_keypad_entry_shows_granted_or_why_not(page: Page, sim: Sim) -> None:
    """A known code opens (the lock shows its transitional state), an unknown one and one
    outside its daily window are denied with the reason."""
    lock_id = sim.lock_ids()[0]
    known = sim.seeded_code(lock_id)
    evening = {"allowedFromTime": 18 * 60, "allowedUntilTime": 20 * 60}  # it is 10:00 in Berlin
    body = {"type": 13, "name": "Evening", "code": 918_273, **evening}
    open_dashboard(page, sim)
    lock = card(page, lock_id)
    result = lock.locator(".keypad-result")

    def enter(code: int) -> None:
        lock.locator(".keypad-input").fill(str(code))
        lock.locator(".keypad-form button").click()

    enter(known)
    expect(result).to_have_text("granted", timeout=WAIT_MS)
    expect(lock.locator(".badge.state")).to_have_text("unlocking…", timeout=WAIT_MS)
    page.click("#advance-minute")
    expect(lock.locator(".badge.state")).to_have_text("unlocked", timeout=WAIT_MS)

    enter(111_111)
    expect(result).to_have_text("denied: unknown code", timeout=WAIT_MS)

    sim.call("PUT", f"/smartlock/{lock_id}/auth", body)
    expect(code_row(page, lock_id, 918_273).locator("td.device")).to_have_text(
        "present", timeout=WAIT_MS
    )
    enter(918_273)
    expect(result).to_have_text(
        "denied: outside the daily window at 10:01 local time", timeout=WAIT_MS
    )


def test_with_a_control_token_the_page_asks_for_it(page: Page) -> None:
    """Against ``--control-token``: without it the page says what is missing; given it, the
    page shows the locks and moves the clock through the guarded control plane."""
    with simulator(control_token=CONTROL_TOKEN) as sim:
        page.goto(sim.page_url(control=False))
        expect(page.locator("#error")).to_contain_text("enter the control token", timeout=WAIT_MS)

        page.fill("#control-token", CONTROL_TOKEN)
        page.click("#tokens button[type=submit]")
        for lock_id in sim.lock_ids():
            expect(card(page, lock_id)).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#error")).to_be_hidden(timeout=WAIT_MS)
        expect(page.locator("#clock-now")).to_have_text("Mon 2026-01-05 09:00:00 UTC")
        page.click("#advance-hour")
        expect(page.locator("#clock-now")).to_have_text(
            "Mon 2026-01-05 10:00:00 UTC", timeout=WAIT_MS
        )


def test_a_populated_page_renders_webhooks_and_the_journal(page: Page, tmp_path: Path) -> None:
    """The screenshot's world: deliveries with retries and payloads, and a filterable journal."""
    with simulator() as sim:
        populate(sim)
        open_dashboard(page, sim)
        deliveries = page.locator("#deliveries li[data-delivery]")
        expect(deliveries.first).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#deliveries")).to_contain_text("retry 1")
        expect(page.locator("#deliveries")).to_contain_text("200 delivered")
        expect(page.locator("#subscriptions tr")).to_have_count(2)

        deliveries.first.locator("summary").click()
        expect(deliveries.first.locator("pre.payload")).to_contain_text('"feature"')

        rows = page.locator("#journal-rows tr.entry")
        expect(rows.first).to_be_visible(timeout=WAIT_MS)
        page.select_option("#journal-filter select[name=method]", "PUT")
        expect(rows).not_to_have_count(0, timeout=WAIT_MS)
        others = page.locator("#journal-rows td.method").filter(has_not_text="PUT")
        expect(others).to_have_count(0, timeout=WAIT_MS)
        page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def test_each_lock_card_names_its_model_and_keypad(page: Page, sim: Sim) -> None:
    """The badges show the device model and the paired keypad's model (docs: device models)."""
    open_dashboard(page, sim)
    first, bare, third = sim.lock_ids()
    expect(card(page, first).locator(".badge.model")).to_have_text("Smart Lock 3.0 Pro")
    expect(card(page, first).locator(".badge.keypad")).to_have_text("Keypad")
    expect(card(page, bare).locator(".badge.keypad")).to_have_text("no keypad")
    expect(card(page, third).locator(".badge.model")).to_have_text("Smart Lock 4.0 Pro")
    expect(card(page, third).locator(".badge.keypad")).to_have_text("Keypad 2")
