"""Browser checks for the metrics dashboard and a plugin's review section.

The dashboard and the empty review state are checked on the shared site build. The review
list is checked on a second build whose reviews folder (HUB_REVIEWS_DIR) is a temporary
folder holding two TEST FIXTURE reviews: the repository itself has no reviews yet.
"""

from __future__ import annotations

import pytest
import yaml

from support import build_site, free_port, open_page, serve, severe_accessibility_violations

DASHBOARD = "catalog/metrics/"
PLUGIN = "catalog/sink/stdout_json/"
# Markup a review might carry: it must show as text and never run.
HOSTILE = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> & done'
FIXTURE_REVIEWS = [
    {
        "plugin": "sink/stdout_json",
        "reviewer": "fixture-reviewer",
        "date": "2026-11-02",
        "plugin_version": "0.18.1",
        "fapilog_version": "0.18.1",
        "workload": {"events_per_second": 2500, "deployment": "kubernetes"},
        "rating": 5,
        "text": "TEST FIXTURE, not a real review.\n" + HOSTILE,
    },
    {
        "plugin": "sink/stdout_json",
        "reviewer": "another-fixture",
        "date": "2026-10-15",
        "plugin_version": "0.17.0",
        "fapilog_version": "0.17.0",
        "workload": {"events_per_second": 40, "deployment": "desktop"},
        "rating": 2,
        "text": "TEST FIXTURE, not a real review: an older version.",
    },
]


# --- the dashboard (shared build) --------------------------------------------------------


def test_dashboard_renders_cleanly_offline(page):
    response = page.goto(DASHBOARD, wait_until="networkidle")
    assert response.status == 200
    assert page.get_by_role("heading", name="Ecosystem metrics", level=1).count() == 1
    assert page.traffic.console_errors == []
    assert page.traffic.outside_requests == []


def test_every_dashboard_chart_has_a_text_alternative_and_a_table(page):
    page.goto(DASHBOARD, wait_until="networkidle")
    charts = page.locator("figure.hub-chart")
    assert charts.count() >= 2  # at least plugins added per month and contributors over time
    for i in range(charts.count()):
        figure = charts.nth(i)
        svg = figure.locator("svg[role=img]")
        assert svg.count() == 1
        labelled = svg.get_attribute("aria-labelledby").split()
        texts = [page.locator(f"#{ident}").text_content().strip() for ident in labelled]
        assert len(texts) == 2 and all(texts), texts  # a title and a description
        assert svg.evaluate("e => e.getBoundingClientRect().height") > 50  # it really draws
        table = figure.locator("table")
        assert table.count() == 1 and table.locator("tbody tr").count() >= 1
        assert "Source:" in figure.locator("figcaption").inner_text()


def test_goals_have_accessible_progress_bars_or_say_not_collected(page):
    page.goto(DASHBOARD, wait_until="networkidle")
    goals = page.locator(".hub-goal")
    assert goals.count() == 8
    for i in range(goals.count()):
        goal = goals.nth(i)
        bar = goal.get_by_role("progressbar")
        if bar.count():
            label = goal.locator(".hub-goal__label").inner_text()
            assert page.get_by_role("progressbar", name=label, exact=True).count() == 1
        else:
            assert "not collected yet" in goal.inner_text()
    # Developers have no collector: the page says so instead of inventing a number.
    assert "not collected yet" in page.locator("#goal-developers").inner_text()


def test_dashboard_has_no_serious_accessibility_violations(page):
    page.goto(DASHBOARD, wait_until="networkidle")
    assert severe_accessibility_violations(page) == []


def test_plugin_without_reviews_invites_one(page):
    page.goto(PLUGIN, wait_until="networkidle")
    section = page.locator("#hub-reviews")
    assert "No reviews yet" in section.inner_text()
    link = section.get_by_role("link", name="Write the first review")
    assert "template=plugin-review.yml" in link.get_attribute("href")
    assert "plugin=sink%2Fstdout_json" in link.get_attribute("href")
    assert page.traffic.console_errors == []


# --- a build with fixture reviews ----------------------------------------------------------


@pytest.fixture(scope="module")
def reviewed_site(tmp_path_factory):
    reviews = tmp_path_factory.mktemp("reviews")
    for review in FIXTURE_REVIEWS:
        path = reviews / review["plugin"] / f"{review['date']}-{review['reviewer']}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(review, allow_unicode=True), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}/"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUB_REVIEWS_DIR", str(reviews))
        build = build_site(tmp_path_factory.mktemp("reviewed") / "site", site_url=url)
    with serve(build) as served:
        yield served


@pytest.fixture
def reviewed_page(browser, reviewed_site):
    with open_page(browser, base_url=reviewed_site) as page:
        yield page


def test_reviews_show_aggregate_newest_first_with_text_escaped(reviewed_page):
    page = reviewed_page
    page.goto(PLUGIN, wait_until="networkidle")
    section = page.locator("#hub-reviews")
    assert "3.5 out of 5, from 2 reviews." in section.inner_text()
    assert page.get_by_role("progressbar", name="5 of 5: 1 of 2 reviews").count() == 1
    reviews = section.locator(".hub-review")
    assert reviews.count() == 2
    assert "@fixture-reviewer" in reviews.nth(0).inner_text()  # 2026-11-02 before 2026-10-15
    assert "@another-fixture" in reviews.nth(1).inner_text()
    text = reviews.nth(0).locator(".hub-review__text")
    assert HOSTILE in text.inner_text()  # shown literally, as text
    assert text.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.traffic.console_errors == []


def test_reviews_filter_by_plugin_version(reviewed_page):
    page = reviewed_page
    page.goto(PLUGIN, wait_until="networkidle")
    select = page.get_by_label("Plugin version")
    assert select.is_visible()  # the script reveals the filter
    select.select_option("0.17.0")
    visible = page.locator(".hub-review:visible")
    assert visible.count() == 1 and "@another-fixture" in visible.inner_text()
    assert page.get_by_role("status").filter(has_text="of version 0.17.0").count() == 1
    select.select_option("")
    assert page.locator(".hub-review:visible").count() == 2
    assert severe_accessibility_violations(page) == []


def test_catalog_json_carries_the_aggregate_and_the_index_sorts_by_rating(reviewed_page):
    page = reviewed_page
    catalog = page.request.get("catalog/catalog.json").json()
    by_id = {p["id"]: p for p in catalog["plugins"]}
    assert by_id["sink/stdout_json"]["reviews"] == {
        "count": 2,
        "average": 3.5,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
    }
    assert by_id["sink/loki"]["reviews"] == {
        "count": 0,
        "average": None,
        "distribution": {str(i): 0 for i in range(1, 6)},
    }
    page.goto("catalog/", wait_until="networkidle")
    first = page.locator(".hub-card:visible").first
    assert first.get_attribute("id") != "sink-stdout_json"  # listed order first
    page.get_by_label("Sort").select_option("rating")
    first = page.locator(".hub-card:visible").first
    assert first.get_attribute("id") == "sink-stdout_json"
    assert "Rated 3.5 out of 5 (2 reviews)" in first.inner_text()
    assert "sort=rating" in page.url
    assert page.traffic.console_errors == []
