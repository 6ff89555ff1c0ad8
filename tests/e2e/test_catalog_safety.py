"""Registry text is untrusted: a catalog built from hostile entries runs none of their code.

The site is built (strict, like CI) from a temporary registry holding the real entries
plus entries whose every free-text field carries script and attribute-injection
payloads. Each payload tries to set window.__hub_xss or open a dialog; the pages, the
catalog's own search box and Material's site search are then exercised in Chromium.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml

from catalog_support import BUILTINS, registered
from support import ROOT, build_site, free_port, open_page, serve

PAYLOADS = {
    "script": "<script>window.__hub_xss='script'</script>",
    "attribute": '"><img src=x onerror="window.__hub_xss=\'attribute\'">',
    "svg": "<svg/onload=window.__hub_xss='svg'>",
    "single": "' onmouseover='window.__hub_xss=1' x='",
    "markdown-link": "[click me](javascript:window.__hub_xss='markdown')",
    "iframe": "<iframe srcdoc=\"<script>parent.__hub_xss='iframe'</script>\"></iframe>",
    "dialog": "<script>alert('xss')</script>",
}


def hostile_entry(n: int, key: str, payload: str) -> dict:
    return {
        "package": f"hub-hostile-{n}",
        "description": f"Hostile entry {key}: {payload}"[:160],
        "plugins": [{"type": "sink", "name": f"hostile_{n}"}],
        "repository": "https://example.org/hostile",
        # URLs cannot carry payloads: the registry refuses anything but plain http(s)
        # (tests/test_catalog_registry.py); every free-text field carries one here.
        "documentation": "https://example.org/docs",
        "maintainers": [{"name": payload[:100], "url": "https://example.org/maintainer"}],
        "license": payload[:64],
        "tags": ["hostile"],
        "date_added": "2026-11-20",
        "support": {
            "tier": "commercial",
            "vendor": payload[:100],
            "contact": f"javascript:window.__hub_xss='{key}'",
            "sla_url": "https://example.org/sla",
        },
        "pricing": "paid",
        "funding": ["https://example.org/fund"],
        "compatibility": {"fapilog": ">=0.18"},
    }


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    registry = tmp_path_factory.mktemp("hostile-registry")
    for path in (ROOT / "registry" / "plugins").glob("*.yml"):
        shutil.copy(path, registry)  # the installed plugins must stay registered
    for n, (key, payload) in enumerate(PAYLOADS.items()):
        data = hostile_entry(n, key, payload)
        (registry / f"{data['package']}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HUB_CATALOG_REGISTRY", str(registry))
    try:
        build = build_site(
            tmp_path_factory.mktemp("hostile-site") / "site", site_url=f"http://127.0.0.1:{free_port()}/"
        )
    finally:
        mp.undo()
    assert build.returncode == 0, build.log
    assert [line for line in build.log.splitlines() if line.startswith("WARNING")] == []
    return build


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with serve(hostile_site) as url:
        yield url


@pytest.fixture
def watched(browser, hostile_url):
    with open_page(browser, base_url=hostile_url) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs
        yield page


def assert_nothing_ran(page):
    page.mouse.move(5, 5)
    for element in page.locator(".hub-card:visible, .hub-table td:visible, .hub-plugin-summary:visible").all()[:60]:
        element.hover()  # would fire any injected onmouseover
    assert page.evaluate("typeof window.__hub_xss") == "undefined"
    assert page.dialogs == []


def test_the_catalog_index_shows_payloads_as_text(watched):
    page = watched
    page.goto("catalog/", wait_until="networkidle")
    real = len({(t, n) for t, names in BUILTINS.items() for n in names} | registered())
    assert page.locator(".hub-card").count() == real + len(PAYLOADS)
    assert page.get_by_text(PAYLOADS["script"]).count() >= 1  # visible, as text
    page.locator("#hub-f-query").fill("onerror")  # the catalog's own search over payload text
    assert page.locator(".hub-card:visible").count() >= 1
    assert_nothing_ran(page)


@pytest.mark.parametrize("n", range(len(PAYLOADS)), ids=list(PAYLOADS))
def test_plugin_pages_run_no_injected_code(watched, n):
    page = watched
    response = page.goto(f"catalog/sink/hostile_{n}/", wait_until="networkidle")
    assert response.status == 200
    assert page.locator("iframe").count() == 0 and page.locator("img[src=x]").count() == 0
    hrefs = page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href') || '')")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    assert_nothing_ran(page)


def test_site_search_results_run_no_injected_code(watched):
    page = watched
    # One query for the whole word, as a shared search link opens it (typing would query
    # each prefix); every hostile entry's description starts with the word.
    page.goto("?q=hostile", wait_until="networkidle")
    # A plugin page per payload, all on Material's first screen of results (ten)
    page.wait_for_function(f"document.querySelectorAll('.md-search-result__item').length >= {len(PAYLOADS)}")
    assert "hostile" in page.locator(".md-search-result__item").first.inner_text().lower()
    assert_nothing_ran(page)


def test_machine_readable_files_carry_payloads_as_data(hostile_site):
    catalog = json.loads((hostile_site.site_dir / "catalog" / "catalog.json").read_text(encoding="utf-8"))
    summaries = {p["summary"] for p in catalog["plugins"]}
    assert f"Hostile entry script: {PAYLOADS['script']}" in summaries
    feed = ET.fromstring((hostile_site.site_dir / "catalog" / "feed.xml").read_text(encoding="utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert f"Hostile entry script: {PAYLOADS['script']}" in {
        e.findtext("a:summary", namespaces=ns) for e in feed.findall("a:entry", ns)
    }
