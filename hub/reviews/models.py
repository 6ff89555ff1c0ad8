"""A review as the build uses it (pydantic), and the aggregate a plugin page and catalog.json show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from packaging.version import InvalidVersion, Version
from pydantic import AfterValidator, Field

# The aggregate lives in the catalog's model: it is what catalog.json carries per plugin.
from hub.catalog.models import ReviewSummary, Submitted, TextDate, WebUrl
from hub.names import GITHUB_HANDLE, PLUGIN_TYPES

Deployment = Literal[
    "kubernetes", "container", "serverless", "virtual-machine", "bare-metal", "paas", "desktop", "other"
]
DEPLOYMENTS: tuple[str, ...] = Deployment.__args__
PLUGIN_ID = rf"^({'|'.join(PLUGIN_TYPES)})/[a-z][a-z0-9_]{{0,63}}$"
VERSION_FORM = r"^[0-9][0-9A-Za-z.+!-]{0,39}$"


def pep440(value: str) -> str:
    try:
        Version(value)
    except InvalidVersion as exc:
        raise ValueError(f"{value!r} is not a version number like 1.2.0") from exc
    return value


def not_in_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(f"{value} is in the future")
    return value


Version440 = Annotated[str, Field(pattern=VERSION_FORM), AfterValidator(pep440)]


class Workload(Submitted):
    """What the plugin handled."""

    events_per_second: int = Field(
        ge=0,
        le=10_000_000,
        description="Typical log events per second through the plugin, a whole number from 0 to 10000000.",
    )
    deployment: Deployment = Field(
        description="Where it ran: kubernetes, container, serverless, virtual-machine, bare-metal, paas, desktop "
        "or other."
    )


class Review(Submitted):
    """One user's review of one fapilog plugin. One YAML file per review in
    registry/reviews/<type>/<name>/<date>-<reviewer>.yml, usually written by the review
    workflow from a 'Plugin review' issue."""

    plugin: str = Field(
        pattern=PLUGIN_ID,
        description="The plugin reviewed, as '<type>/<name>' exactly as its catalog page shows it, "
        "e.g. sink/stdout_json.",
    )
    reviewer: str = Field(
        pattern=GITHUB_HANDLE,
        description="The reviewer's GitHub handle, without the @ (the workflow takes it from the issue's author).",
    )
    date: Annotated[TextDate, AfterValidator(not_in_future)] = Field(
        description="The day the review was submitted, as YYYY-MM-DD."
    )
    plugin_version: Version440 = Field(
        description="The version of the plugin (its package) the review is about, e.g. 0.18.1 or 1.2.0."
    )
    fapilog_version: Version440 = Field(description="The fapilog version the plugin ran with, e.g. 0.18.1.")
    workload: Workload = Field(description="What the plugin handled.")
    rating: int = Field(ge=1, le=5, description="The rating, a whole number from 1 (poor) to 5 (excellent).")
    text: str = Field(
        min_length=20,
        max_length=5000,
        description="The review in the reviewer's words, 20 to 5000 characters (plain text; shown escaped).",
    )
    source: WebUrl | None = Field(
        default=None, description="Where the review was submitted: the GitHub issue's http(s) URL."
    )


def summarise(reviews: Iterable[Review]) -> ReviewSummary:
    """Count, average (2 decimals, None without reviews) and how many reviews gave each rating."""
    ratings = [r.rating for r in reviews]
    distribution = {str(star): ratings.count(star) for star in range(1, 6)}
    if not ratings:
        return ReviewSummary(count=0, average=None, distribution=distribution)
    return ReviewSummary(count=len(ratings), average=round(sum(ratings) / len(ratings), 2), distribution=distribution)


def newest_first(reviews: Iterable[Review]) -> list[Review]:
    return sorted(reviews, key=lambda r: (r.date, r.reviewer), reverse=True)
