"""Latest releases from PyPI, recorded in registry/releases.json.

Only ``nox -s catalog`` (``python -m hub.catalog refresh``) calls PyPI's JSON API; the
build and the tests read the recorded file, so they need no network. Each record says
where it came from and on which day.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from hub.catalog.models import Release, ReleaseData
from hub.project import ROOT

RELEASES_FILE = ROOT / "registry" / "releases.json"
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
NOTE = (
    "Latest release of each package, read from PyPI's JSON API by `nox -s catalog`. "
    "'recorded' is the day of that reading; staleness is judged as of that day."
)

Fetch = Callable[[str], "tuple[int, dict[str, Any] | None]"]


def load(path: Path = RELEASES_FILE) -> ReleaseData:
    if not path.exists():
        return ReleaseData(note=NOTE, packages={})
    return ReleaseData.model_validate_json(path.read_text(encoding="utf-8"))


def fetch_pypi(url: str, timeout: float = 20) -> tuple[int, dict[str, Any] | None]:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "fapilog-hub catalog refresh"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed https URL
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, None


def release_from_pypi(name: str, status: int, data: dict[str, Any] | None, today: dt.date) -> Release:
    url = PYPI_JSON.format(name=name)
    if status == 404:
        return Release(status="not-on-pypi", source=url, recorded=today)
    if status != 200 or data is None:
        raise RuntimeError(f"{url} answered HTTP {status}")
    version = data["info"]["version"]
    files = data.get("urls") or data.get("releases", {}).get(version, [])
    uploads = sorted(f["upload_time_iso_8601"] for f in files if f.get("upload_time_iso_8601"))
    date = dt.date.fromisoformat(uploads[0][:10]) if uploads else None
    return Release(status="published", version=version, date=date, source=url, recorded=today)


def refresh(
    names: Iterable[str], path: Path = RELEASES_FILE, fetch: Fetch = fetch_pypi, today: dt.date | None = None
) -> ReleaseData:
    """Read every package's latest release from PyPI and write the records file.

    A package PyPI cannot answer for keeps its previous record (and the error is
    raised after the others are written), so one outage never erases known dates.
    """
    today = today or dt.date.today()
    previous = load(path).packages
    packages: dict[str, Release] = {}
    failures = []
    for name in sorted(set(names)):
        try:
            status, data = fetch(PYPI_JSON.format(name=name))
            packages[name] = release_from_pypi(name, status, data, today)
        except (OSError, RuntimeError, KeyError, ValueError) as exc:
            failures.append(f"{name}: {exc}")
            if name in previous:
                packages[name] = previous[name]
    result = ReleaseData(note=NOTE, packages=packages)
    path.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if failures:
        raise RuntimeError("PyPI could not be read for: " + "; ".join(failures))
    return result
