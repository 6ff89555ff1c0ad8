"""A real browser (Debian's Chromium, driven by Playwright) against the built site on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import CHROMIUM, CHROMIUM_ARGS, open_page, serve


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


# Module scope, not session: Playwright's sync API keeps an asyncio loop running on the
# main thread while it is open, and every later test calling asyncio.run() would fail.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set HUB_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    with open_page(browser, base_url=site_url) as page:
        yield page
