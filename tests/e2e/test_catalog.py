"""The catalog page in Chromium: search, filters, shareable addresses, copy buttons, accessibility."""

from __future__ import annotations

import re

import pytest

from catalog_support import BUILTINS, registered
from support import open_page, severe_accessibility_violations

PLUGINS = {(t, n) for t, names in BUILTINS.items() for n in names} | registered()
TOTAL = len(PLUGINS)
SINKS = sum(1 for t, _ in PLUGINS if t == "sink")


@pytest.fixture
def catalog_page(browser, site_url):
    """A page allowed to use the clipboard, as a user's browser asks before letting a site read it."""
    with open_page(browser, base_url=site_url, permissions=["clipboard-read", "clipboard-write"]) as page:
        yield page


def visible_cards(page) -> list[str]:
    return page.locator(".hub-card:visible").evaluate_all("els => els.map(e => e.id)")


def count_text(page) -> str:
    return page.locator("#hub-catalog-count").inner_text()


def test_typing_in_the_search_narrows_the_list(catalog_page):
    page = catalog_page
    page.goto("catalog/", wait_until="networkidle")
    assert len(visible_cards(page)) == TOTAL and count_text(page) == f"{TOTAL} plugins"
    page.locator("#hub-f-query").click()
    page.keyboard.type("mask")
    shown = visible_cards(page)
    assert shown == ["redactor-field_mask", "redactor-regex_mask", "redactor-pii_text"]
    assert count_text(page) == f"3 of {TOTAL} plugins"
    page.keyboard.type(" luhn")  # every word must match
    assert visible_cards(page) == ["redactor-pii_text"]
    page.keyboard.type("zzz")
    assert visible_cards(page) == [] and page.locator(".hub-catalog__empty").is_visible()
    assert page.traffic.console_errors == []


def test_the_type_filter_keeps_only_that_type(catalog_page):
    page = catalog_page
    page.goto("catalog/", wait_until="networkidle")
    page.select_option("#hub-f-type", "sink")
    shown = visible_cards(page)
    assert len(shown) == SINKS and all(card.startswith("sink-") for card in shown)
    assert "sink-sqlite" in shown
    page.select_option("#hub-f-tier", "verified")
    assert visible_cards(page) == ["sink-sqlite"]
    page.locator("#hub-catalog button[type=reset]").click()
    page.wait_for_function(f"document.querySelectorAll('.hub-card:not([hidden])').length === {TOTAL}")
    assert "type=" not in page.evaluate("location.href")


def card_data(page, key: str) -> list[str]:
    return page.locator(".hub-card:visible").evaluate_all(f"els => els.map(e => e.dataset.{key})")


def test_each_sort_order_and_a_shared_sorted_view(catalog_page):
    page = catalog_page
    page.goto("catalog/", wait_until="networkidle")
    as_listed = visible_cards(page)

    page.goto("catalog/?sort=name", wait_until="networkidle")  # a shared address
    assert page.locator("#hub-f-sort").input_value() == "name"
    names = card_data(page, "name")
    assert len(names) == TOTAL and names == sorted(names)

    page.select_option("#hub-f-sort", "quality")
    rank = {"gold": 3, "silver": 2, "bronze": 1, "": 0}
    tiers = [rank[t] for t in card_data(page, "quality")]
    assert {1, 2} <= set(tiers) and 0 in tiers  # the premise: tiers differ in this catalog
    assert tiers == sorted(tiers, reverse=True)

    page.select_option("#hub-f-sort", "added")
    added = card_data(page, "added")
    dated = [d for d in added if d]
    assert dated and added[: len(dated)] == sorted(dated, reverse=True)  # newest first, undated last
    assert "sort=added" in page.url

    page.select_option("#hub-f-sort", "released")
    released = card_data(page, "released")
    dated = [d for d in released if d]
    assert dated and released[: len(dated)] == sorted(dated, reverse=True)

    page.select_option("#hub-f-sort", "")
    assert visible_cards(page) == as_listed
    assert page.traffic.console_errors == []


def test_a_shared_address_restores_the_filter(catalog_page):
    page = catalog_page
    page.goto("catalog/", wait_until="networkidle")
    page.select_option("#hub-f-type", "filter")
    page.locator("#hub-f-query").fill("sampl")
    shared = page.evaluate("location.href")  # the address bar, as a user would copy it
    assert re.search(r"[?&]type=filter", shared) and re.search(r"[?&]query=sampl", shared)

    other = page.context.new_page()
    other.goto(shared, wait_until="networkidle")
    assert other.locator("#hub-f-type").input_value() == "filter"
    assert other.locator("#hub-f-query").input_value() == "sampl"
    # first_occurrence matches too: its description mentions "optional sampling".
    assert visible_cards(other) == [
        "filter-adaptive_sampling",
        "filter-first_occurrence",
        "filter-sampling",
        "filter-trace_sampling",
    ]
    # A value the page does not offer is ignored rather than hiding everything.
    other.goto("catalog/?type=nonsense&compat=compatible", wait_until="networkidle")
    assert other.locator("#hub-f-type").input_value() == "" and len(visible_cards(other)) == TOTAL


def click_and_see_copied(page, button) -> None:
    """Click a copy button and wait until it has said "Copied".

    The clipboard write is a promise and the label reverts after 1.5 s, so the label is
    recorded as it changes instead of read at one moment a loaded machine may miss.
    """
    button.evaluate(
        "b => { window.__labels = []; new MutationObserver(() => window.__labels.push(b.textContent))"
        ".observe(b, {childList: true, characterData: true, subtree: true}); }"
    )
    button.click()
    page.wait_for_function("window.__labels.includes('Copied')")


def test_the_copy_button_copies_the_install_command(catalog_page):
    page = catalog_page
    page.goto("catalog/?query=cloudwatch", wait_until="networkidle")
    button = page.locator("#sink-cloudwatch button.hub-copy")
    click_and_see_copied(page, button)
    assert page.evaluate("navigator.clipboard.readText()") == 'pip install "fapilog[aws]"'
    page.goto("catalog/?query=sqlite", wait_until="networkidle")
    click_and_see_copied(page, page.locator("#sink-sqlite button.hub-copy"))
    assert page.evaluate("navigator.clipboard.readText()") == (
        'pip install "fapilog-sqlite @ git+https://github.com/fapilog/fapilog-hub#subdirectory=examples/plugins/fapilog-sqlite"'
    )


def test_the_catalog_works_from_the_keyboard_alone(catalog_page):
    page = catalog_page
    page.goto("catalog/", wait_until="networkidle")
    page.locator("#hub-f-query").focus()
    page.keyboard.type("postgres")
    page.keyboard.press("Tab")  # to the type filter
    assert page.evaluate("document.activeElement.id") == "hub-f-type"
    assert visible_cards(page) == ["sink-postgres"]
    page.locator("#sink-postgres button.hub-copy").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("navigator.clipboard.readText()") == 'pip install "fapilog[postgres]"'


def test_filters_work_after_instant_navigation(catalog_page):
    """Material swaps pages without reloading; the catalog script must start on the new page."""
    page = catalog_page
    page.goto("", wait_until="networkidle")
    page.locator(".md-tabs__link", has_text="Plugins").click()
    page.wait_for_selector("#hub-catalog")
    page.select_option("#hub-f-type", "processor")
    assert visible_cards(page) == ["processor-size_guard", "processor-zero_copy"]
    assert page.traffic.console_errors == []


@pytest.mark.parametrize("path", ["catalog/", "catalog/redactor/pii_text/", "catalog/sink/cloudwatch/"])
def test_catalog_pages_load_cleanly_and_pass_axe(page, path):
    response = page.goto(path, wait_until="networkidle")
    assert response.status == 200
    assert page.traffic.outside_requests == [] and page.traffic.console_errors == []
    assert severe_accessibility_violations(page) == []


def test_a_large_catalog_lays_out_one_page_of_matches_until_asked(browser, tmp_path):
    """The catalog script alone, on the index markup for 60 plugins (no site build needed)."""
    from pathlib import Path

    from catalog_support import build, entry
    from hub.catalog import render

    registry = {
        f"{n}.yml": entry(
            package=f"fapilog-many-{n}", plugins=[{"type": "filter" if n % 3 else "sink", "name": f"many_{n:02d}"}]
        )
        for n in range(60)
    }
    markdown = render.index_page(build(registry, []).catalog)
    block = markdown[markdown.index('<div class="hub-catalog"') : markdown.index("## Where this data comes from")]
    script = (Path(__file__).resolve().parents[2] / "overrides" / "assets" / "javascripts" / "catalog.js").read_text(
        encoding="utf-8"
    )
    html = f"<!doctype html><html lang=en><title>catalog</title><body>{block}<script>{script}</script></body></html>"
    with open_page(browser) as page:  # hub.test is answered by the route below, never fetched
        page.route("http://hub.test/**", lambda route: route.fulfill(body=html, content_type="text/html"))
        page.goto("http://hub.test/catalog/")
        more = page.locator("button.hub-catalog__more")
        assert len(visible_cards(page)) == 48 and count_text(page) == "60 plugins, showing the first 48"
        assert more.inner_text() == "Show all 60"
        more.click()
        assert len(visible_cards(page)) == 60 and more.is_hidden()
        page.select_option("#hub-f-type", "filter")  # a new filter starts from one page again
        assert len(visible_cards(page)) == 40 and count_text(page) == "40 of 60 plugins"
