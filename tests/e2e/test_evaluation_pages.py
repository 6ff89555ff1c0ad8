"""Evaluation results on the built site: the quality page and a plugin page load cleanly,
show their tables, and have no serious accessibility violations."""

from __future__ import annotations

import pytest

from support import severe_accessibility_violations

PAGES = {"quality page": "catalog/quality/", "plugin page": "catalog/redactor/field_mask/", "catalog": "catalog/"}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_evaluation_pages_load_cleanly_and_are_accessible(page, path):
    response = page.goto(path, wait_until="networkidle")
    assert response.status == 200
    assert page.traffic.outside_requests == []
    assert page.traffic.console_errors == []
    assert severe_accessibility_violations(page) == []


def test_plugin_page_shows_its_evaluation(page):
    page.goto("catalog/redactor/field_mask/", wait_until="networkidle")
    assert page.get_by_role("heading", name="Evaluation").count() == 1
    assert page.get_by_text("Compliance scorecard").count() == 1
    assert page.locator(".hub-eval .hub-badge").count() >= 1  # the quality tier


def test_catalog_compares_benchmarks_per_type(page):
    page.goto("catalog/", wait_until="networkidle")
    assert page.get_by_role("heading", name="Compare plugins by type").count() == 1
    assert page.get_by_text("the reference against itself").count() == 5  # one table per type
