"""A real browser (Debian's Chromium, driven by Playwright) against the built site on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import CHROMIUM, CHROMIUM_ARGS, serve


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


@dataclass
class Traffic:
    """What a page did: console errors, page errors and requests that left 127.0.0.1."""

    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    # Generous: a loaded 2-core CI machine takes seconds to swap a large notebook page.
    page.set_default_timeout(60_000)
    traffic = Traffic()
    page.on("console", lambda m: m.type == "error" and traffic.console_errors.append(m.text))
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))

    def on_request(request):
        if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            traffic.outside_requests.append(request.url)

    page.on("request", on_request)
    page.traffic = traffic
    yield page
    context.close()
