"""A review as the build uses it (pydantic), and the aggregate a plugin page and catalog.json show."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Literal
from urllib.parse import urlsplit

from packaging.version import InvalidVersion, Version
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# The aggregate lives in the catalog's model: it is what catalog.json carries per plugin.
from hub.catalog.models import ReviewSummary
from hub.names import GITHUB_HANDLE

Deployment = Literal[
    "kubernetes", "container", "serverless", "virtual-machine", "bare-metal", "paas", "desktop", "other"
]
DEPLOYMENTS: tuple[str, ...] = Deployment.__args__
PLUGIN_ID = r"^(sink|enricher|redactor|processor|filter)/[a-z][a-z0-9_]{0,63}$"


def pep440(value: str) -> str:
    try:
        Version(value)
    except InvalidVersion as exc:
        raise ValueError(f"{value!r} is not a version number like 1.2.0") from exc
    return value


def web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"'`\\]", value):
        raise ValueError(f"{value!r} is not an http:// or https:// URL")
    return value


def not_in_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(f"{value} is in the future")
    return value


Version440 = Annotated[str, AfterValidator(pep440)]


class Workload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    events_per_second: int = Field(ge=0, le=10_000_000)
    deployment: Deployment


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    plugin: str = Field(pattern=PLUGIN_ID)
    reviewer: str = Field(pattern=GITHUB_HANDLE)
    date: Annotated[dt.date, AfterValidator(not_in_future)]
    plugin_version: Version440
    fapilog_version: Version440
    workload: Workload
    rating: int = Field(ge=1, le=5)
    text: str = Field(min_length=20, max_length=5000)
    source: Annotated[str, AfterValidator(web_url)] | None = None


def summarise(reviews: Iterable[Review]) -> ReviewSummary:
    """Count, average (2 decimals, None without reviews) and how many reviews gave each rating."""
    ratings = [r.rating for r in reviews]
    distribution = {str(star): ratings.count(star) for star in range(1, 6)}
    if not ratings:
        return ReviewSummary(count=0, average=None, distribution=distribution)
    return ReviewSummary(count=len(ratings), average=round(sum(ratings) / len(ratings), 2), distribution=distribution)


def newest_first(reviews: Iterable[Review]) -> list[Review]:
    return sorted(reviews, key=lambda r: (r.date, r.reviewer), reverse=True)
