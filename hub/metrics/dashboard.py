"""The metrics dashboard page: figures from the catalog, the git history and the outside
world (history file, adopters file), progress toward the v3.1 goals, and charts.

Every figure carries its source and date; a figure nobody has collected is ``None`` and
the page says "not collected yet" instead of a number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hub.metrics import charts
from hub.metrics.adopters import Adopter
from hub.metrics.collectors import by_key
from hub.metrics.history import History, Series
from hub.names import PLUGIN_TYPES

# How the dashboard classifies catalog plugins (stated on the page too).
COMPLIANCE_TAGS = frozenset({"compliance", "gdpr", "hipaa", "pci-dss", "soc2", "audit"})
PLATFORM_TAGS = frozenset({"cloud", "aws", "gcp", "azure", "kubernetes", "loki", "grafana", "datadog", "splunk"})
SUPPORT_TIERS = ("core", "verified", "community", "commercial")
QUALITY_TIERS = ("gold", "silver", "bronze")


@dataclass(frozen=True)
class Figure:
    """One number with where and when it came from; value None means not collected yet."""

    value: int | None
    source: str
    source_url: str | None = None
    date: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Goal:
    key: str
    label: str
    goal: int
    measured_as: str
    figure: Figure

    @property
    def percent(self) -> int | None:
        if self.figure.value is None:
            return None
        return min(100, round(100 * self.figure.value / self.goal))


@dataclass
class Dashboard:
    built: str
    goals: list[Goal]
    catalog_figure: Figure
    by_type: list[tuple[str, int]]
    by_support: list[tuple[str, int]]
    by_quality: list[tuple[str, int]]
    compliance: list[Any]
    platform: list[Any]
    outside: dict[str, Figure]
    adopters: list[Adopter]
    adopters_figure: Figure
    contributors_figure: Figure
    # Every chart the page may show; None until there is data for it.
    charts: dict[str, charts.Chart | None] = field(
        default_factory=lambda: dict.fromkeys(("added", "contributors", "releases", "stars", "downloads", "dependents"))
    )
    releases: list[dict[str, str]] = field(default_factory=list)
    undated_plugins: int = 0


def is_compliance(plugin: Any) -> bool:
    return plugin.type == "redactor" or bool(COMPLIANCE_TAGS & set(plugin.tags))


def is_platform(plugin: Any) -> bool:
    return plugin.type in ("sink", "enricher") and bool(PLATFORM_TAGS & set(plugin.tags))


def counted(values: Iterable[str], order: Sequence[str]) -> list[tuple[str, int]]:
    counts = Counter(values)
    rows = [(key, counts.pop(key, 0)) for key in order]
    return rows + sorted(counts.items())


def months_between(first: dt.date, last: dt.date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def per_month(dates: Iterable[dt.date], until: dt.date | None = None) -> list[tuple[str, int]]:
    """How many dates fall in each month, every month from the first to the last (or until) listed."""
    dates = sorted(dates)
    if not dates:
        return []
    counts = Counter(f"{d.year:04d}-{d.month:02d}" for d in dates)
    return [(m, counts.get(m, 0)) for m in months_between(dates[0], max(until or dates[-1], dates[-1]))]


def cumulative(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    total, out = 0, []
    for label, value in rows:
        total += value
        out.append((label, total))
    return out


def outside_figure(series: Series | None, key: str, source_name: str) -> Figure:
    url = by_key(key).url
    if series is None or series.latest is None:
        note = ""
        if series and series.last_attempt and not series.last_attempt.ok:
            note = f"last attempt {series.last_attempt.at.date()}: {series.last_attempt.error}"
        return Figure(None, source_name, url, None, note)
    latest = series.latest
    note = ""
    if series.last_attempt and not series.last_attempt.ok:
        failed = series.last_attempt
        note = f"a later attempt on {failed.at.date()} failed ({failed.error}); this is the last figure collected"
    return Figure(latest.value, source_name, latest.source, latest.collected_at.date().isoformat(), note)


def snapshot_chart(series: Series | None, chart_id: str, title: str, unit: str) -> charts.Chart | None:
    """A line over the snapshots once there are two or more (one point is a figure, not a trend)."""
    if series is None or len(series.snapshots) < 2:
        return None
    rows = [(s.collected_at.date().isoformat(), s.value) for s in series.snapshots]
    first, last = rows[0], rows[-1]
    description = f"{unit} from {first[1]:,} on {first[0]} to {last[1]:,} on {last[0]}, {len(rows)} snapshots."
    return charts.line_chart(chart_id, title, description, ("Collected", unit), rows)


def build(
    plugins: Sequence[Any],
    fapilog_version: str,
    history: History,
    adopters: list[Adopter],
    adopters_as_of: dt.date,
    contributors: Sequence[Any],
    contributors_error: str | None,
    today: dt.date,
) -> Dashboard:
    built = today.isoformat()
    catalog_source = f"the plugin catalog built for fapilog {fapilog_version} (catalog.json)"
    catalog_figure = Figure(len(plugins), catalog_source, None, built)
    compliance = [p for p in plugins if is_compliance(p)]
    platform = [p for p in plugins if is_platform(p)]

    git_source = "this repository's git history: commit authors and Co-authored-by trailers"
    last_commit = max((c.last for c in contributors if c.last), default=None)
    contributors_figure = (
        Figure(None, git_source, note=contributors_error)
        if contributors_error
        else Figure(len(contributors), git_source, None, last_commit.isoformat() if last_commit else built)
    )

    series = history.series
    outside = {
        "downloads": outside_figure(series.get("pypi_downloads"), "pypi_downloads", "pypistats.org"),
        "stars": outside_figure(series.get("github_stars"), "github_stars", "GitHub REST API"),
        "dependents": outside_figure(series.get("dependents"), "dependents", "ecosyste.ms packages API"),
        "releases": outside_figure(series.get("fapilog_releases"), "fapilog_releases", "PyPI JSON API"),
    }
    adopters_figure = Figure(
        len(adopters), "data/metrics/adopters.yml (each entry links public evidence)", None, adopters_as_of.isoformat()
    )
    no_source = Figure(
        None,
        "no collector",
        note="no public source counts the developers who use fapilog; "
        "downloads and dependents below are the closest signals",
    )

    repository = by_key("github_stars").url.rsplit("/repos/", 1)[1]
    compliance_figure = Figure(len(compliance), catalog_source, None, built)
    platform_figure = Figure(len(platform), catalog_source, None, built)
    # The v3.1 goals, as the ecosystem issue states them.
    goals = [
        Goal("developers", "Developers", 1000, "people using fapilog", no_source),
        Goal("plugins", "Plugins", 100, "plugins in the catalog, built-in and external", catalog_figure),
        Goal("contributors", "Contributors", 50, "people in this repository's history", contributors_figure),
        Goal("stars", "GitHub stars", 1000, f"stars of {repository}", outside["stars"]),
        Goal("downloads", "Downloads", 10000, "PyPI downloads in the last 30 days", outside["downloads"]),
        Goal("enterprise", "Enterprise customers", 10, "public adopters with evidence", adopters_figure),
        Goal("compliance", "Compliance plugins", 10, "redactors and plugins tagged for compliance", compliance_figure),
        Goal("platform", "Platform plugins", 10, "cloud and platform sinks and enrichers", platform_figure),
    ]

    dated = [p.date_added for p in plugins if p.date_added]
    added = per_month(dated, until=today)
    dashboard = Dashboard(
        built=built,
        goals=goals,
        catalog_figure=catalog_figure,
        by_type=counted((p.type for p in plugins), PLUGIN_TYPES),
        by_support=counted((p.support.tier for p in plugins), SUPPORT_TIERS),
        by_quality=counted((p.quality_tier or "not evaluated" for p in plugins), (*QUALITY_TIERS, "not evaluated")),
        compliance=compliance,
        platform=platform,
        outside=outside,
        adopters=adopters,
        adopters_figure=adopters_figure,
        contributors_figure=contributors_figure,
        undated_plugins=len(plugins) - len(dated),
    )

    if added:
        total = sum(v for _, v in added)
        dashboard.charts["added"] = charts.bar_chart(
            "chart-added", "Plugins added to the catalog per month",
            f"{total} plugins with a date added, from {added[0][0]} to {added[-1][0]}; "
            f"the most in one month: {max(v for _, v in added)}.",
            ("Month", "Plugins added"), added,
        )  # fmt: skip
    firsts = [c.first for c in contributors if c.first]
    if firsts:
        grown = cumulative(per_month(firsts, until=last_commit))
        dashboard.charts["contributors"] = charts.line_chart(
            "chart-contributors", "Contributors over time",
            f"Contributors so far, by month of their first commit or co-authored commit: "
            f"{grown[0][1]} in {grown[0][0]}, {grown[-1][1]} by {grown[-1][0]}.",
            ("Month", "Contributors so far"), grown,
        )  # fmt: skip
    releases_series = series.get("fapilog_releases")
    if releases_series and releases_series.latest:
        dashboard.releases = releases_series.latest.detail.get("releases", [])
        dates = [dt.date.fromisoformat(r["date"]) for r in dashboard.releases]
        monthly = per_month(dates)
        if monthly:
            dashboard.charts["releases"] = charts.bar_chart(
                "chart-releases", "fapilog releases per month",
                f"{len(dates)} releases on PyPI from {monthly[0][0]} to {monthly[-1][0]}; the most in one month: "
                f"{max(v for _, v in monthly)}.",
                ("Month", "Releases"), monthly,
            )  # fmt: skip
    dashboard.charts["stars"] = snapshot_chart(
        series.get("github_stars"), "chart-stars", "GitHub stars over time", "Stars"
    )
    dashboard.charts["downloads"] = snapshot_chart(
        series.get("pypi_downloads"), "chart-downloads", "PyPI downloads (30-day window) over time", "Downloads"
    )
    dashboard.charts["dependents"] = snapshot_chart(
        series.get("dependents"), "chart-dependents", "Dependent repositories over time", "Repositories"
    )
    return dashboard
