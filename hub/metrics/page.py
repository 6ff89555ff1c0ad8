"""Gather the dashboard's inputs from the repository and render the page's Markdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from hub import contributors, rendering
from hub.metrics import adopters as adopters_file
from hub.metrics import dashboard
from hub.metrics import history as history_file

PAGE = "catalog/metrics.md"  # beside the catalog: its plugin links are ../<type>/<name>/


def render(data: dashboard.Dashboard, repo_url: str) -> str:
    return rendering.page(
        "metrics/dashboard.md.j2",
        d=data,
        repo_url=repo_url,
        compliance_tags=sorted(dashboard.COMPLIANCE_TAGS),
        platform_tags=sorted(dashboard.PLATFORM_TAGS),
    )


def build_page(plugins: Sequence[Any], fapilog_version: str, repo_url: str, today: dt.date | None = None) -> str:
    git = contributors.read_history()  # commit authors and Co-authored-by trailers
    adopters = adopters_file.load()
    data = dashboard.build(
        plugins=plugins,
        fapilog_version=fapilog_version,
        history=history_file.load(),
        adopters=adopters.adopters,
        adopters_as_of=adopters.as_of,
        contributors=git.contributors,
        contributors_error=git.error,
        today=today or dt.date.today(),
    )
    return render(data, repo_url.rstrip("/"))
