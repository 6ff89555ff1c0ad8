"""Which fapilog releases a plugin is checked against, and the matrix of outcomes.

A plugin's declared range (its ``Requires-Dist: fapilog ...``) admits some releases; the
conformance suite runs against the newest release of each of the three newest minor
versions it admits. Built-ins are the plugins of that fapilog release itself.
"""

from __future__ import annotations

import json
import urllib.request

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

RELEASES_URL = "https://pypi.org/pypi/fapilog/json"
MINORS = 3


def fetch_releases(timeout: float = 20.0) -> list[str]:
    """fapilog's released versions from PyPI (called by the refresh, never by the build)."""
    with urllib.request.urlopen(RELEASES_URL, timeout=timeout) as response:  # noqa: S310 - fixed https URL
        releases = json.loads(response.read())["releases"]
    return sorted((v for v, files in releases.items() if files and not Version(v).is_prerelease), key=Version)


def newest_minors(releases: list[str], specifier: str = "", count: int = MINORS) -> list[str]:
    """Newest admitted release of each minor version, newest first, at most `count` of them."""
    admitted = SpecifierSet(specifier or "")
    best: dict[tuple[int, int], Version] = {}
    for raw in releases:
        try:
            version = Version(raw)
        except InvalidVersion:
            continue
        if version.is_prerelease or version not in admitted:
            continue
        minor = (version.major, version.minor)
        if minor not in best or version > best[minor]:
            best[minor] = version
    return [str(best[m]) for m in sorted(best, reverse=True)[:count]]


def matrix(entries: list[dict], plugin_id: str) -> dict[str, str]:
    """fapilog version -> 'passed' / 'failed' / 'absent' / failure reason, for one plugin."""
    cells: dict[str, str] = {}
    for entry in entries:
        plugin = entry.get("plugins", {}).get(plugin_id)
        if plugin is not None:
            cells[entry["fapilog_version"]] = plugin["status"]
    return dict(sorted(cells.items(), key=lambda kv: Version(kv[0]), reverse=True))
