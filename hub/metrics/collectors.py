"""One collector per outside figure: where it is fetched from and how its answer is read.

The HTTP layer is a parameter (``fetch``), so the tests feed each collector a recorded
response in the API's documented format instead of the network. A collector never
guesses: an answer it cannot read is a failed collection, not a zero.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

PACKAGE = "fapilog"
# fapilog's own repository, as its PyPI page lists it (project_urls["Repository"]).
FAPILOG_REPOSITORY = "chris-haste/fapilog"
USER_AGENT = "fapilog-hub-metrics (+https://github.com/fapilog/fapilog-hub)"
TIMEOUT_SECONDS = 20

Fetch = Callable[[str, Mapping[str, str]], Any]


class CollectionFailed(Exception):
    """The source could not be reached or its answer could not be read."""


def fetch_json(url: str, headers: Mapping[str, str]) -> Any:
    """The real HTTP layer: GET url and decode JSON, or raise CollectionFailed saying why."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - https URLs above
            return json.load(response)
    except urllib.error.HTTPError as exc:
        raise CollectionFailed(f"not reachable: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise CollectionFailed(f"not reachable: {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise CollectionFailed(f"not reachable: {exc}") from exc
    except ValueError as exc:
        raise CollectionFailed(f"the answer is not JSON ({exc})") from exc


def _count(payload: Any, *path: str) -> int:
    """The non-negative integer at path in payload, or CollectionFailed naming what is missing."""
    node = payload
    for key in path:
        if not isinstance(node, dict) or key not in node:
            raise CollectionFailed(f"the answer has no {'.'.join(path)} (has the API changed?)")
        node = node[key]
    if not isinstance(node, int) or isinstance(node, bool) or node < 0:
        raise CollectionFailed(f"{'.'.join(path)} is {node!r}, not a count")
    return node


@dataclass(frozen=True)
class Collector:
    key: str
    description: str
    url: str
    read: Callable[[Any], tuple[int, dict[str, Any]]]
    headers: Callable[[Mapping[str, str]], dict[str, str]] = field(default=lambda env: {})
    docs: str = ""


def read_pypi_releases(payload: Any) -> tuple[int, dict[str, Any]]:
    """PyPI JSON API: every release with at least one file not yanked, dated by its first upload."""
    if not isinstance(payload, dict) or not isinstance(payload.get("releases"), dict):
        raise CollectionFailed("the answer has no releases mapping (has the API changed?)")
    releases = []
    for version, files in payload["releases"].items():
        live = [f for f in files if isinstance(f, dict) and not f.get("yanked")]
        if not live:
            continue
        try:
            uploaded = min(f["upload_time_iso_8601"] for f in live)
        except KeyError as exc:
            raise CollectionFailed(f"release {version} has a file without {exc.args[0]}") from exc
        releases.append({"version": version, "date": uploaded[:10]})
    releases.sort(key=lambda r: (r["date"], r["version"]))
    latest = payload.get("info", {}).get("version")
    return len(releases), {"latest": latest, "releases": releases}


def read_pypistats_recent(payload: Any) -> tuple[int, dict[str, Any]]:
    """pypistats.org /recent: downloads in the last day, week and month, mirrors excluded."""
    return _count(payload, "data", "last_month"), {
        "last_week": _count(payload, "data", "last_week"),
        "last_day": _count(payload, "data", "last_day"),
        "counts": "downloads from PyPI in the last 30 days, mirrors excluded (pypistats.org)",
    }


def read_github_repository(payload: Any) -> tuple[int, dict[str, Any]]:
    """GitHub REST API GET /repos/{owner}/{repo}: stargazers_count."""
    return _count(payload, "stargazers_count"), {
        "repository": payload.get("full_name"),
        "forks": _count(payload, "forks_count"),
    }


def read_ecosystems_package(payload: Any) -> tuple[int, dict[str, Any]]:
    """ecosyste.ms packages API: repositories and packages that depend on the package."""
    return _count(payload, "dependent_repos_count"), {
        "dependent_packages": _count(payload, "dependent_packages_count"),
    }


def github_headers(env: Mapping[str, str]) -> dict[str, str]:
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    # Unauthenticated calls work too (60 an hour); CI passes its GITHUB_TOKEN for more.
    if env.get("GITHUB_TOKEN"):
        headers["Authorization"] = f"Bearer {env['GITHUB_TOKEN']}"
    return headers


COLLECTORS: tuple[Collector, ...] = (
    Collector(
        key="fapilog_releases",
        description="fapilog releases on PyPI",
        url=f"https://pypi.org/pypi/{PACKAGE}/json",
        read=read_pypi_releases,
        docs="https://docs.pypi.org/api/json/",
    ),
    Collector(
        key="pypi_downloads",
        description="fapilog downloads from PyPI in the last 30 days (mirrors excluded)",
        url=f"https://pypistats.org/api/packages/{PACKAGE}/recent",
        read=read_pypistats_recent,
        docs="https://pypistats.org/api/",
    ),
    Collector(
        key="github_stars",
        description=f"GitHub stars of {FAPILOG_REPOSITORY}",
        url=f"https://api.github.com/repos/{FAPILOG_REPOSITORY}",
        read=read_github_repository,
        headers=github_headers,
        docs="https://docs.github.com/en/rest/repos/repos#get-a-repository",
    ),
    # GitHub's "Used by"/dependents graph has no documented API; ecosyste.ms publishes
    # dependent counts for PyPI packages through a documented, keyless one.
    Collector(
        key="dependents",
        description="public repositories that depend on fapilog (ecosyste.ms)",
        url=f"https://packages.ecosyste.ms/api/v1/registries/pypi.org/packages/{PACKAGE}",
        read=read_ecosystems_package,
        docs="https://packages.ecosyste.ms/docs",
    ),
)


def by_key(key: str) -> Collector:
    return next(c for c in COLLECTORS if c.key == key)


def environment() -> Mapping[str, str]:
    return os.environ
