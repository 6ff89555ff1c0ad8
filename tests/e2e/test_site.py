"""The built site in Chromium: clean loads, search over notebooks and API, notebook pages, accessibility."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

from hub.notebooks import find_notebooks
from support import ROOT, severe_accessibility_violations

PAGES = {
    "home": "",
    "getting started": "getting-started/",
    "notebook": "tutorials/01-first-steps/",
    "API reference": "reference/entry-points/",
    "guide": "guides/async-best-practices/",  # a Mermaid diagram and included examples
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_loads_cleanly_and_stays_on_127_0_0_1(page, path):
    response = page.goto(path, wait_until="networkidle")
    assert response.status == 200
    assert page.traffic.outside_requests == []
    assert page.traffic.console_errors == []


def pages_containing(site_dir: Path, word: str) -> set[str]:
    """Pages whose search-index entries contain word, from the index the site ships."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {
        doc["location"].split("#")[0]
        for doc in index["docs"]
        if word.lower() in (doc["title"] + " " + doc["text"]).lower()
    }


def search(page, word: str) -> list[str]:
    # Opened as a shared search link (search.share): one query for the whole word. Typing
    # sends a query per keystroke, and a prefix's results may be on screen when read.
    page.goto(f"?q={quote(word)}", wait_until="networkidle")
    assert page.locator("input.md-search__input").input_value() == word
    page.wait_for_selector(".md-search-result__item")
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def notebook_pages() -> tuple[str, ...]:
    return tuple(p.relative_to(ROOT).with_suffix("").as_posix() + "/" for p in find_notebooks())


# Words chosen because each appears on one kind of page only; the test checks that
# premise against the site's own search index before searching.
@pytest.mark.parametrize(
    ("word", "kind"),
    [("setuptools", "notebook"), ("ProtocolViolationError", "API reference")],
    ids=["notebook-only word", "API-only word"],
)
def test_search_finds_words_from_notebooks_and_the_api_reference(page, built_site, word, kind):
    prefixes = notebook_pages() if kind == "notebook" else ("reference/",)
    containing = pages_containing(built_site.site_dir, word)
    assert containing, f"{word!r} is on no page"
    assert all(loc.startswith(prefixes) for loc in containing), f"{word!r} is not only on {kind} pages: {containing}"
    hrefs = search(page, word)
    assert hrefs, f"searching {word!r} found nothing"
    assert all(any(p in href for p in prefixes) for href in hrefs), hrefs
    assert page.traffic.console_errors == []


def test_notebook_page_shows_outputs_and_offers_the_notebook(page, built_site):
    page.goto("tutorials/01-first-steps/", wait_until="networkidle")
    assert page.get_by_text("no secret in the output").count() >= 1  # a stored cell output
    assert page.get_by_text("'order placed',").count() >= 1
    link = page.get_by_role("link", name="Download notebook")
    notebook = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert notebook.status == 200
    served = notebook.json()
    source = Path(__file__).resolve().parents[2] / "tutorials" / "01-first-steps.ipynb"
    assert served == json.loads(source.read_text(encoding="utf-8"))
    assert page.get_by_text("Verified against fapilog").count() == 1


@pytest.mark.parametrize(
    "path",
    ["", "tutorials/01-first-steps/", "reference/entry-points/", "guides/enterprise-compliance/"],
    ids=["home", "notebook", "API", "guide"],
)
def test_no_serious_or_critical_accessibility_violations(page, path):
    page.goto(path, wait_until="networkidle")
    assert severe_accessibility_violations(page) == []


def test_instant_navigation_renders_a_notebook_page(page):
    # navigation.instant swaps page content without a full load; notebook pages carry
    # their own inline styles, which must survive the swap.
    page.goto("getting-started/", wait_until="networkidle")
    page.evaluate("window.__same_document = true")
    page.get_by_role("link", name="first-steps tutorial").click()
    # A pattern on the path alone: navigation.tracking may add the heading in view as a
    # #fragment right after the swap, and a glob on the whole address then never matches.
    page.wait_for_url(re.compile(r"/tutorials/01-first-steps/(#[^/]*)?$"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__same_document === true"), "the click was a full page load, not instant navigation"
    prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    assert prompt.inner_text().startswith("In")
    assert prompt.evaluate("e => getComputedStyle(e).textAlign") == "right"  # the notebook's CSS applies
    assert page.get_by_role("link", name="Download notebook").count() == 1
    assert page.traffic.console_errors == []


VENDORED_MERMAID = "/assets/javascripts/vendor/mermaid-"


def mermaid_fetches(page) -> list[str]:
    return [url for url in page.traffic.requests if VENDORED_MERMAID in url]


def diagram_height(page) -> float:
    page.wait_for_function("() => document.querySelector('div.mermaid')?.getBoundingClientRect().height > 20")
    return page.locator("div.mermaid").first.evaluate("e => e.getBoundingClientRect().height")


def test_mermaid_diagram_renders_offline(page):
    page.goto("", wait_until="networkidle")
    assert diagram_height(page) > 20
    assert page.traffic.outside_requests == [] and page.traffic.console_errors == []
    assert mermaid_fetches(page), "the diagram was drawn by a Mermaid the site did not serve"


def test_a_page_without_a_diagram_does_not_load_mermaid(page):
    page.goto("getting-started/", wait_until="networkidle")
    assert page.locator("pre.mermaid, div.mermaid").count() == 0  # the premise: no diagram here
    assert mermaid_fetches(page) == []


def test_instant_navigation_to_a_page_with_a_diagram_draws_it(page):
    """Mermaid loads on the first diagram, also when the page arrives by instant navigation."""
    page.goto("getting-started/", wait_until="networkidle")
    page.evaluate("window.__same_document = true")
    page.locator(".md-tabs__link", has_text="Home").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__same_document === true"), "the click was a full page load, not instant navigation"
    assert diagram_height(page) > 20
    assert mermaid_fetches(page)
    assert page.traffic.outside_requests == [] and page.traffic.console_errors == []
