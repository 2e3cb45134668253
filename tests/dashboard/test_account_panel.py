"""The dashboard's Account panel in headless Chromium: account users, API keys, addresses and
their reservations, read through the Nuki API with the page's token.

An account user created through the API reaches the open page by the server-sent events
alone. The API-key and address routes may not be served by every build: a 404 there is
"none", never an error of the page; where Chromium is made to answer them (``page.route``,
the browser's own network layer) the panel shows the fields of Nuki's Swagger shapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from nuki_sim.simulator.domain.config import SimConfig
from tests.dashboard.support import Sim, simulator

WAIT_MS = 10_000
NOT_SERVED = {"detailMessage": "Not found", "stackTrace": [], "suppressedExceptions": []}
# Swagger 4.18.0 shapes, as a real Nuki Web would answer them.
API_KEYS = [
    {"apiKeyId": 42, "accountId": 1, "description": "Booking sync",
     "redirectUris": ["https://example.com/cb"], "creationDate": "2026-01-05T09:00:00.000Z"},
]  # fmt: skip
ADDRESSES = [
    {"addressId": 7, "accountId": 1, "name": "Harbour flat", "smartlockIds": [1, 2],
     "timeZone": "Europe/Berlin", "creationDate": "2026-01-05T09:00:00.000Z",
     "updateDate": "2026-01-05T09:00:00.000Z"},
    {"addressId": 8, "accountId": 1, "name": "Empty studio", "smartlockIds": [],
     "creationDate": "2026-01-05T09:00:00.000Z", "updateDate": "2026-01-05T09:00:00.000Z"},
]  # fmt: skip
RESERVATIONS = [
    {"id": "65a1b2c3d4e5f60718293a4b", "addressId": 7, "accountId": 1,
     "email": "guest@example.com", "name": "Ada Guest", "guests": 2, "guestsIssued": 0,
     "keypadIssued": False, "state": "ACCEPTED", "automation": 0,
     "startDate": "2026-01-06T15:00:00.000Z", "endDate": "2026-01-08T10:00:00.000Z",
     "updateDate": "2026-01-05T09:00:00.000Z", "isCurrentlyIssuingAuth": False,
     "isCurrentlyRevokingAuth": False, "hasCustomAccessTimes": False},
]  # fmt: skip


@pytest.fixture
def sim() -> Iterator[Sim]:
    with simulator(config=SimConfig(push_delay=0)) as running:
        yield running


def answer(page: Page, pattern: str, status: int, body: object) -> None:
    """Chromium answers requests matching ``pattern`` itself, as a server would."""

    def fulfil(route: Route) -> None:
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))

    page.route(pattern, fulfil)


def open_dashboard(page: Page, sim: Sim) -> None:
    page.goto(sim.page_url())
    expect(page.locator("#live")).to_have_text("live", timeout=WAIT_MS)
    expect(page.locator("#account-users li").first).to_be_visible(timeout=WAIT_MS)


def test_an_account_user_created_through_the_api_appears(page: Page, sim: Sim) -> None:
    open_dashboard(page, sim)
    user = sim.call(
        "PUT", "/account/user", {"email": "tina@example.com", "name": "Tina", "language": "de"}
    )
    row = page.locator(f'#account-users li[data-account-user="{user["accountUserId"]}"]')
    expect(row.locator(".name")).to_have_text("Tina", timeout=WAIT_MS)
    expect(row).to_contain_text("tina@example.com")
    expect(row).to_contain_text("user · de")
    expect(page.locator("#error")).to_be_hidden()


def test_routes_that_answer_404_show_none_and_no_error(page: Page, sim: Sim) -> None:
    answer(page, "**/api/key?*", 404, NOT_SERVED)
    answer(page, "**/address?*", 404, NOT_SERVED)
    open_dashboard(page, sim)
    expect(page.locator("#api-keys li")).to_have_text(["none"], timeout=WAIT_MS)
    expect(page.locator("#addresses li")).to_have_text(["none"])
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("article.lock").first).to_be_visible()


def test_api_keys_addresses_and_reservations_show_nukis_fields(page: Page, sim: Sim) -> None:
    answer(page, "**/api/key?*", 200, API_KEYS)
    answer(page, "**/address?*", 200, ADDRESSES)
    answer(page, "**/address/7/reservation?*", 200, RESERVATIONS)
    answer(page, "**/address/8/reservation?*", 404, NOT_SERVED)
    open_dashboard(page, sim)
    key = page.locator('#api-keys li[data-api-key="42"]')
    expect(key.locator(".name")).to_have_text("Booking sync", timeout=WAIT_MS)
    expect(key).to_contain_text("2026-01-05 09:00:00 UTC")
    expect(key).to_contain_text("1 redirect URI")
    flat = page.locator('#addresses li[data-address="7"]')
    expect(flat.locator(":scope > .name")).to_have_text("Harbour flat")
    expect(flat).to_contain_text("2 locks · Europe/Berlin")
    stay = flat.locator('li[data-reservation="65a1b2c3d4e5f60718293a4b"]')
    expect(stay.locator(".name")).to_have_text("Ada Guest")
    expect(stay).to_contain_text("ACCEPTED · Tue 2026-01-06 15:00:00 UTC → Thu 2026-01-08")
    expect(stay).to_contain_text("2 guests")
    studio = page.locator('#addresses li[data-address="8"]')
    expect(studio.locator("ul.reservations li")).to_have_text(["no reservations"])
    expect(page.locator("#error")).to_be_hidden()
