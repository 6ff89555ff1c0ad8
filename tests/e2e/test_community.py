"""Community pages in Chromium: they load cleanly and have no serious accessibility violations."""

from __future__ import annotations

import pytest

from support import severe_accessibility_violations

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
    assert severe_accessibility_violations(page) == []
