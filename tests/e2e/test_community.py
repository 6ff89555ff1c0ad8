"""Community pages in Chromium: they load cleanly and have no serious accessibility violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "community/",
    "community/support/",
    "community/contributors/",
    "community/quality-gates/",
    "community/events/",
    "notebooks/lightning-demo/",
]


@pytest.mark.parametrize("path", PAGES)
def test_community_page_loads_cleanly_and_is_accessible(page, path):
    response = page.goto(path, wait_until="networkidle")
    assert response.status == 200
    assert page.traffic.outside_requests == [] and page.traffic.console_errors == []
    severe = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert severe == []
