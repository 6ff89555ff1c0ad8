"""Where the catalog comes from: the published catalog.json, a cached copy, or a file.

One job: hand the commands a validated :class:`~fapilog_hub_cli.catalog_model.Catalog`
and say where it came from and how old it is.

- A URL is fetched over HTTP(S) and cached in the user's cache folder (platformdirs;
  ``FAPILOG_HUB_CACHE`` overrides it) together with its fetch date and the server's
  validators (ETag, Last-Modified). The next run sends them back (If-None-Match,
  If-Modified-Since): a 304 answer keeps the cached copy without downloading it again.
- When the server cannot be reached the cached copy is used, and the warning says how
  old it is; with no cached copy the command fails with :class:`CatalogUnavailable`.
- A cached copy that does not parse or validate is reported and fetched again (without
  validators, so the server cannot answer 304 to a copy we cannot use).
- A local path is read as it is, never cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fapilog_hub_cli import __version__
from fapilog_hub_cli.catalog_model import Catalog, CatalogInvalid, parse

# The site build writes catalog/catalog.json under mkdocs.yml's site_url.
DEFAULT_URL = "https://fapilog.github.io/fapilog-hub/catalog/catalog.json"
CACHE_ENV = "FAPILOG_HUB_CACHE"
TIMEOUT_S = 15.0


class CatalogUnavailable(Exception):
    """No usable catalog: not reachable and not cached, or invalid; the message says what to do."""


@dataclass(frozen=True)
class Loaded:
    catalog: Catalog
    source: str  # the URL or path it was read from
    fetched: dt.datetime | None  # when its content was downloaded (None for a local file)
    how: str  # "downloaded", "not modified (304)", "cached (offline)", "file"
    notes: tuple[str, ...] = ()  # what the user should know: offline, refetched after corruption

    def age(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        if self.fetched is None:
            return None
        return (now or dt.datetime.now(dt.timezone.utc)) - self.fetched

    @property
    def site_url(self) -> str | None:
        """The site's root, for links to plugin pages (the catalog sits at catalog/catalog.json)."""
        suffix = "catalog/catalog.json"
        return self.source[: -len(suffix)] if self.source.endswith(suffix) and "://" in self.source else None


def cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("fapilog-hub", appauthor=False))


def describe_age(delta: dt.timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} old"
    return "less than a minute old"


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def load(source: str | None = None, offline: bool = False, timeout: float = TIMEOUT_S) -> Loaded:
    """The catalog from `source` (a URL or a path; default: the published catalog)."""
    source = source or DEFAULT_URL
    if not _is_url(source):
        return _load_file(Path(source))
    return UrlCache(source, cache_dir()).load(offline=offline, timeout=timeout)


def _load_file(path: Path) -> Loaded:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogUnavailable(f"cannot read the catalog file {path}: {exc.strerror or exc}") from exc
    return Loaded(_parse_text(text, str(path)), str(path), None, "file")


def _parse_text(text: str, origin: str) -> Catalog:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise CatalogInvalid(f"{origin} is not JSON: {exc}") from exc
    return parse(document, origin)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class UrlCache:
    """One URL's cached copy: catalog-<hash>.json and its metadata beside it."""

    def __init__(self, url: str, folder: Path):
        self.url = url
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
        self.data_file = folder / f"catalog-{key}.json"
        self.meta_file = folder / f"catalog-{key}.meta.json"

    # ------------------------------------------------------------------ the cached copy

    def read(self) -> tuple[Catalog, dict[str, Any]] | None:
        """The cached catalog and its metadata; None when there is none.

        Raises CatalogInvalid when a copy is there but unusable (corrupt or another format).
        """
        if not self.data_file.exists():
            return None
        try:
            meta = json.loads(self.meta_file.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or not isinstance(meta.get("fetched"), str):
                raise ValueError("no fetch date")
            dt.datetime.fromisoformat(meta["fetched"])
        except (OSError, ValueError) as exc:
            raise CatalogInvalid(f"the cache record {self.meta_file} is unreadable ({exc})") from exc
        try:
            text = self.data_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CatalogInvalid(f"the cached catalog {self.data_file} is unreadable ({exc})") from exc
        return _parse_text(text, f"the cached catalog {self.data_file}"), meta

    def write(self, text: str, headers: Any) -> dict[str, Any]:
        meta = {
            "url": self.url,
            "fetched": _now().isoformat(),
            "etag": headers.get("ETag"),
            "last_modified": headers.get("Last-Modified"),
        }
        self.data_file.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed: a run interrupted half-way leaves the old copy.
        for path, content in ((self.data_file, text), (self.meta_file, json.dumps(meta, indent=2) + "\n")):
            partial = path.with_name(path.name + ".partial")
            partial.write_text(content, encoding="utf-8")
            os.replace(partial, path)
        return meta

    # ------------------------------------------------------------------ fetching

    def load(self, offline: bool = False, timeout: float = TIMEOUT_S) -> Loaded:
        notes: list[str] = []
        cached: tuple[Catalog, dict[str, Any]] | None = None
        corrupt: str | None = None
        try:
            cached = self.read()
        except CatalogInvalid as exc:
            corrupt = str(exc)
        if offline:
            if cached is None:
                raise CatalogUnavailable(self._no_catalog("--offline was given", corrupt))
            return self._from_cache(cached, "cached (offline)", ["--offline: the catalog was not checked for updates"])
        request = urllib.request.Request(self.url, headers={"User-Agent": f"fapilog-hub-cli/{__version__}"})
        if cached is not None:
            meta = cached[1]
            if meta.get("etag"):
                request.add_header("If-None-Match", meta["etag"])
            if meta.get("last_modified"):
                request.add_header("If-Modified-Since", meta["last_modified"])
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                body = response.read()
                headers = response.headers
        except urllib.error.HTTPError as exc:
            if exc.code == 304 and cached is not None:
                return self._from_cache(cached, "not modified (304)", [])
            return self._fallback(cached, corrupt, f"{self.url} answered HTTP {exc.code} {exc.reason}")
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", None) or exc
            return self._fallback(cached, corrupt, f"cannot reach {self.url} ({reason})")
        try:
            text = body.decode("utf-8")
            catalog = _parse_text(text, self.url)
        except (UnicodeDecodeError, CatalogInvalid) as exc:
            # The server sent something unusable: keep the cache (and say so) rather than overwrite it.
            if cached is None:
                raise CatalogUnavailable(
                    f"{exc}\nNothing was cached. If the catalog's format is newer than this command, upgrade it "
                    "(pip install --upgrade fapilog-hub-cli); otherwise pass --catalog PATH_OR_URL"
                ) from exc
            return self._fallback(cached, corrupt, f"{self.url} sent a catalog this command cannot read ({exc})")
        if corrupt:
            notes.append(f"{corrupt}; fetched a fresh copy")
        try:
            fetched = dt.datetime.fromisoformat(self.write(text, headers)["fetched"])
        except OSError as exc:
            # The catalog itself is fine: use it, and say why the next run downloads it again.
            notes.append(f"cannot write the cache in {self.data_file.parent} ({exc.strerror or exc}); set {CACHE_ENV}")
            fetched = _now()
        return Loaded(catalog, self.url, fetched, "downloaded", tuple(notes))

    def _from_cache(self, cached: tuple[Catalog, dict[str, Any]], how: str, notes: list[str]) -> Loaded:
        catalog, meta = cached
        fetched = dt.datetime.fromisoformat(meta["fetched"])
        return Loaded(catalog, self.url, fetched, how, tuple(notes))

    def _fallback(self, cached: tuple[Catalog, dict[str, Any]] | None, corrupt: str | None, why: str) -> Loaded:
        if cached is None:
            raise CatalogUnavailable(self._no_catalog(why, corrupt))
        fetched = dt.datetime.fromisoformat(cached[1]["fetched"])
        note = (
            f"{why}: using the cached catalog fetched {fetched:%Y-%m-%d %H:%M} UTC ({describe_age(_now() - fetched)})"
        )
        return self._from_cache(cached, "cached (offline)", [note])

    def _no_catalog(self, why: str, corrupt: str | None) -> str:
        if corrupt:
            return (
                f"{why}, and {corrupt}. Delete {self.data_file} and run again when the network works, "
                "or pass --catalog PATH_OR_URL"
            )
        return (
            f"{why}, and there is no cached copy in {self.data_file.parent}. Run again with network access, "
            "or pass --catalog PATH_OR_URL (a downloaded catalog.json)"
        )
