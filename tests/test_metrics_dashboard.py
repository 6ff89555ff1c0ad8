"""The dashboard's figures and charts from catalog entries, history, adopters and contributors.

Catalog entries here are stand-ins with the catalog's attribute names; the build test
checks the page made from the real catalog.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace as NS

from hub.metrics import charts, dashboard, page
from hub.metrics.collectors import by_key
from hub.metrics.history import Attempt, History, Series, Snapshot

TODAY = dt.date(2026, 11, 26)
REPO = "https://github.com/fapilog/fapilog-hub"


def plugin(type_, name, tags=(), tier="core", quality=None, added=None):
    return NS(type=type_, name=name, tags=list(tags), support=NS(tier=tier), quality_tier=quality, date_added=added)


PLUGINS = [
    plugin("sink", "cloudwatch", ["aws", "cloud"]),
    plugin("sink", "stdout_json", ["stdout"]),
    plugin("enricher", "kubernetes", ["kubernetes"]),
    plugin("filter", "kubernetes_only", ["kubernetes"]),  # a filter is not a platform plugin
    plugin("redactor", "string_truncate", ["size"]),  # every redactor counts as compliance
    plugin("processor", "audit_trail", ["audit"], tier="community", added=dt.date(2026, 9, 3)),
    plugin("sink", "sqlite", ["database"], tier="verified", quality="gold", added=dt.date(2026, 11, 26)),
]


def build(history=None, contributors=(), error=None, adopters=()):
    return dashboard.build(
        PLUGINS, "0.18.1", history or History(), list(adopters), TODAY, list(contributors), error, TODAY
    )


def test_catalog_breakdowns_and_classifications():
    d = build()
    assert d.by_type == [("sink", 3), ("enricher", 1), ("redactor", 1), ("processor", 1), ("filter", 1)]
    assert d.by_support == [("core", 5), ("verified", 1), ("community", 1), ("commercial", 0)]
    assert d.by_quality == [("gold", 1), ("silver", 0), ("bronze", 0), ("not evaluated", 6)]
    assert [p.name for p in d.compliance] == ["string_truncate", "audit_trail"]
    assert [p.name for p in d.platform] == ["cloudwatch", "kubernetes"]
    assert d.undated_plugins == 5
    assert d.charts["added"].rows == [("2026-09", 1), ("2026-10", 0), ("2026-11", 1)]


def test_goals_use_real_figures_or_say_not_collected():
    d = build()
    goals = {g.key: g for g in d.goals}
    assert (goals["plugins"].figure.value, goals["plugins"].percent) == (7, 7)
    assert (goals["compliance"].figure.value, goals["platform"].figure.value) == (2, 2)
    assert goals["enterprise"].figure.value == 0 and goals["enterprise"].figure.date == "2026-11-26"
    for key in ("developers", "stars", "downloads"):
        assert goals[key].figure.value is None and goals[key].percent is None
    assert [g.goal for g in d.goals] == [1000, 100, 50, 1000, 10000, 10, 10, 10]


def test_contributors_over_time_is_cumulative_by_first_month():
    people = [
        NS(first=dt.date(2026, 9, 1), last=dt.date(2026, 11, 20)),
        NS(first=dt.date(2026, 11, 2), last=dt.date(2026, 11, 25)),
    ]
    d = build(contributors=people)
    assert d.contributors_figure.value == 2 and d.contributors_figure.date == "2026-11-25"
    assert d.charts["contributors"].rows == [("2026-09", 1), ("2026-10", 1), ("2026-11", 2)]
    failed = build(error="git history unavailable: not a git repository")
    assert failed.contributors_figure.value is None and "not a git repository" in failed.contributors_figure.note


def snap(day: int, value: int, key: str = "github_stars") -> Snapshot:
    at = dt.datetime(2026, 11, day, tzinfo=dt.UTC)
    return Snapshot(collected_at=at, source=by_key(key).url, value=value)


def test_outside_figures_show_the_latest_snapshot_or_the_failure():
    failed = Attempt(at=dt.datetime(2026, 11, 26, tzinfo=dt.UTC), source="x", ok=False, error="not reachable: DNS")
    history = History(
        series={
            "github_stars": Series(description="s", snapshots=[snap(1, 10), snap(8, 14)], last_attempt=failed),
            "pypi_downloads": Series(description="d", last_attempt=failed),
        }
    )
    d = build(history)
    stars = d.outside["stars"]
    assert (stars.value, stars.date, stars.source_url) == (14, "2026-11-08", by_key("github_stars").url)
    assert "a later attempt on 2026-11-26 failed" in stars.note
    downloads = d.outside["downloads"]
    assert downloads.value is None and downloads.note == "last attempt 2026-11-26: not reachable: DNS"
    assert d.charts["stars"].rows == [("2026-11-01", 10), ("2026-11-08", 14)]
    assert d.charts["downloads"] is None  # no snapshot: no trend, no made-up line


def test_one_snapshot_is_a_figure_not_a_trend():
    d = build(History(series={"github_stars": Series(description="s", snapshots=[snap(1, 10)])}))
    assert d.outside["stars"].value == 10 and d.charts["stars"] is None


def test_releases_chart_counts_releases_per_month():
    detail = {
        "releases": [
            {"version": "1", "date": "2026-01-05"},
            {"version": "2", "date": "2026-03-01"},
            {"version": "3", "date": "2026-03-09"},
        ]
    }
    s = Snapshot(collected_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), source="u", value=3, detail=detail)
    d = build(History(series={"fapilog_releases": Series(description="r", snapshots=[s])}))
    assert d.charts["releases"].rows == [("2026-01", 1), ("2026-02", 0), ("2026-03", 2)]


def test_nice_ceiling_and_bar_geometry():
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 14, 26, 101)] == [1, 1, 5, 10, 20, 50, 200]
    c = charts.bar_chart("c", "t", "d", ("a", "b"), [("x", 10), ("y", 5)])
    tall, short = c.bars
    assert tall.height == 2 * short.height and tall.y + tall.height == c.baseline


def test_rendered_page_says_not_collected_yet_and_has_a_table_beside_each_chart():
    people = [NS(first=dt.date(2026, 9, 1), last=dt.date(2026, 11, 20))]
    text = page.render(build(contributors=people), REPO)
    assert text.startswith("---\ntitle: Ecosystem metrics\n")
    assert text.count("not collected yet") >= 6
    figures = re.findall(r'<figure class="hub-chart".*?</figure>', text, flags=re.S)
    assert len(figures) == 2  # plugins added per month, contributors over time
    for figure in figures:
        assert 'role="img"' in figure and "<title id=" in figure and "<desc id=" in figure
        assert "<table><caption>" in figure and "Source:" in figure
    # A bar for each goal with a figure (5); none for developers, stars and downloads.
    assert text.count("<progress ") == 5
    assert "<script" not in text
