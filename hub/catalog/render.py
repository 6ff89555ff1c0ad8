"""Catalog pages and machine-readable files from a :class:`Catalog`, through Jinja2.

Rendered by hub.rendering (autoescape on for every template: registry text and plugin
metadata are untrusted, and Markdown passes raw HTML through). The few values that go into
code blocks pass the ``fence`` filter instead, and every link goes through ``url``, which
admits only http(s). What the templates show is computed here (HELPERS); they only loop
and branch.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from hub import rendering
from hub.catalog import composer
from hub.catalog.models import Catalog, CatalogEntry, web_url

NEW_FOR_DAYS = 60


def contact_url(contact: str) -> str | None:
    if re.fullmatch(r"[^@\s<>\"'/:]+@[^@\s<>\"'/]+\.[A-Za-z]{2,}", contact):
        return f"mailto:{contact}"
    try:
        return web_url(contact)
    except ValueError:
        return None


def search_text(p: CatalogEntry) -> str:
    """What the search box matches against, lower-cased once here instead of per keystroke."""
    parts = [p.name, p.type, p.package, p.summary, *p.tags, *p.aliases, p.support.tier]
    return " ".join(parts).lower()


def release_line(p: CatalogEntry) -> str:
    r = p.release
    if p.origin == "builtin":
        latest = f"; the latest fapilog release is {r.version} ({r.date})" if r.status == "published" else ""
        return f"Ships with fapilog {p.package_version}{latest}"
    if r.status == "published":
        return f"Latest release {r.version} ({r.date})" if r.date else f"Latest release {r.version}"
    if r.status == "not-on-pypi":
        return "Not published on PyPI: installs from its repository"
    return "Release not recorded yet"


def state_label(p: CatalogEntry) -> str:
    labels = {"not-on-pypi": "not on PyPI", "not-recorded": "release not recorded"}
    return labels.get(p.release.status, p.release.state) if p.release.state == "unknown" else p.release.state


@dataclass(frozen=True)
class Badge:
    kind: str  # the CSS modifier: hub-badge--<kind>
    text: str
    title: str = ""


def badges(p: CatalogEntry, *, card: bool, new: bool = False) -> list[Badge]:
    """The badge row of a plugin: its card in the index (card=True) or its page.

    The card shows the release state only when it warns (inactive, archived) and marks new
    plugins; the page always shows the state.
    """
    row = [Badge("type", p.type), Badge(p.support.tier, p.support.tier, "Support tier")]
    if p.quality_tier:
        row.append(Badge(p.quality_tier, p.quality_tier, "Quality tier"))
    if not card:
        row.append(Badge(p.release.state, state_label(p), p.release.state_reason))
    elif p.release.state in ("inactive", "archived"):
        row.append(Badge(p.release.state, p.release.state, p.release.state_reason))
    if card and new:
        row.append(Badge("new", "new"))
    if p.compatibility.status != "compatible":
        against = p.compatibility.checked_against if card else f"fapilog {p.compatibility.checked_against}"
        row.append(Badge("warn", f"{p.compatibility.status} with {against}"))
    return row


def card_data(p: CatalogEntry) -> dict[str, str]:
    """The card's data-* attributes, which the catalog's filters and sort orders read."""
    return {
        "type": p.type,
        "tags": " ".join(p.tags),
        "tier": p.support.tier,
        "compat": p.compatibility.status,
        "search": search_text(p),
        "name": p.name,
        "quality": p.quality_tier or "",
        "added": str(p.date_added or ""),
        "released": str(p.release.date or ""),
        "rating": "" if not p.reviews or p.reviews.average is None else str(p.reviews.average),
        "reviews": str(p.reviews.count if p.reviews else 0),
    }


def rating_line(p: CatalogEntry) -> str:
    if not (p.reviews and p.reviews.count):
        return "No reviews yet"
    count = p.reviews.count
    return f"Rated {p.reviews.average:.1f} out of 5 ({count} review{'s' if count != 1 else ''})"


@dataclass(frozen=True)
class ConfigRow:
    name: str
    type: str
    default: str | None
    description: str
    required: bool


def config_rows(p: CatalogEntry) -> list[ConfigRow]:
    config = p.configuration
    schema = (config.schema_ if config else None) or {}
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return []
    defaults = (config.defaults if config else None) or {}
    required = set(schema.get("required") or [])
    rows = []
    for name, prop in properties.items():
        prop = prop if isinstance(prop, dict) else {}
        kind = prop.get("type", "")
        kind = " or ".join(map(str, kind)) if isinstance(kind, list) else str(kind)
        if "enum" in prop:
            kind = "one of " + ", ".join(json.dumps(v) for v in prop["enum"])
        default = defaults.get(name, prop.get("default"))
        rows.append(
            ConfigRow(
                name=str(name),
                type=kind,
                default=None if default is None and name not in defaults else json.dumps(default, ensure_ascii=False),
                description=" ".join(str(prop.get("description", "")).split()),
                required=name in required,
            )
        )
    return rows


def facets(catalog: Catalog) -> dict[str, list[tuple[str, int]]]:
    counts = {
        "type": Counter(p.type for p in catalog.plugins),
        "tag": Counter(t for p in catalog.plugins for t in p.tags),
        "tier": Counter(p.support.tier for p in catalog.plugins),
        "compat": Counter(p.compatibility.status for p in catalog.plugins),
    }
    return {name: sorted(counter.items()) for name, counter in counts.items()}


def as_of(catalog: Catalog) -> dt.date | None:
    return max((s.recorded for s in catalog.sources if s.recorded), default=None)


def index_page(catalog: Catalog, benchmarks_section: str = "") -> str:
    """benchmarks_section: the benchmark tables, already rendered by hub.evaluation.fragments."""
    today = as_of(catalog)

    def is_new(p: CatalogEntry) -> bool:
        return bool(p.date_added and today and 0 <= (today - p.date_added).days <= NEW_FOR_DAYS)

    return rendering.page(
        "catalog/index.md.j2",
        **HELPERS,
        catalog=catalog,
        facets=facets(catalog),
        builtin_count=sum(p.origin == "builtin" for p in catalog.plugins),
        external_count=sum(p.origin == "external" for p in catalog.plugins),
        is_new=is_new,
        composer_groups=composer.groups(catalog),
        composer_outputs=composer.OUTPUTS,
        # An attribute, HTML-escaped by autoescape like every value here (see composer.py).
        composer_json=composer.page_json(composer.data(catalog)),
        benchmarks_section=Markup(benchmarks_section),
    )


def plugin_page(p: CatalogEntry, reviews_section: str = "", evaluation_section: str = "") -> str:
    """The sections made elsewhere arrive rendered (and escaped) by their own modules:
    reviews_section by hub.reviews.render, evaluation_section by hub.evaluation.fragments."""
    return rendering.page(
        "catalog/plugin.md.j2",
        **HELPERS,
        p=p,
        reviews_section=Markup(reviews_section),
        evaluation_section=Markup(evaluation_section),
    )


def catalog_json(catalog: Catalog, schema_url: str) -> str:
    data = {"$schema": schema_url, **catalog.model_dump(mode="json", by_alias=True)}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def atom_feed(catalog: Catalog, base_url: str, limit: int = 50) -> str:
    added = sorted((p for p in catalog.plugins if p.date_added), key=lambda p: (p.date_added, p.id), reverse=True)[
        :limit
    ]
    updated = max((p.date_added for p in added), default=None) or as_of(catalog) or dt.date(1970, 1, 1)
    return rendering.page("catalog/feed.xml.j2", entries=added, base_url=base_url, updated=updated)


# The functions the catalog's templates call (a plugin's badges, its card's attributes, ...).
HELPERS = {
    "badges": badges,
    "card_data": card_data,
    "rating_line": rating_line,
    "release_line": release_line,
    "state_label": state_label,
    "config_rows": config_rows,
    "contact_url": contact_url,
}
