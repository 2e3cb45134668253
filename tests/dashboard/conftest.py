"""Fixtures of the dashboard's browser tests: Playwright driving Debian's Chromium, headless.

Playwright is installed with pip if it is missing; Chromium (the distribution's package, not
Playwright's download) with apt-get when running as root. When neither works the tests fail
and say what to install: they are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.dashboard.support import CHROMIUM_ARGS, ensure_chromium, ensure_playwright

ensure_playwright()  # before the test modules import it

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module (Playwright's sync API owns the main thread's
    event loop while it runs, so it is not kept across modules that run asyncio tests)."""
    from playwright.sync_api import sync_playwright

    try:
        executable = ensure_chromium()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()
