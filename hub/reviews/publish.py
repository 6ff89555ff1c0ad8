"""Reviews for the catalog: every review file validated against the catalog's plugin ids,
grouped by plugin, with the aggregate and source line each catalog entry carries (hub/site.py
puts them on the entries). ``HUB_REVIEWS_DIR`` points the build at another reviews folder
(the browser tests use this; nothing else should)."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from hub.reviews import store
from hub.reviews.models import Review


def reviews_dir() -> Path:
    return Path(os.environ.get("HUB_REVIEWS_DIR") or store.REVIEWS_DIR)


def by_plugin(plugin_ids: Collection[str], directory: Path | None = None) -> dict[str, list[Review]]:
    """Every plugin's reviews by catalog id; raises store.ReviewsInvalid with every problem."""
    found = store.load_valid(directory or reviews_dir(), known_plugins=set(plugin_ids))
    return {plugin_id: list(found.by_plugin.get(plugin_id, [])) for plugin_id in plugin_ids}


def source_line(plugin_id: str, reviews: list[Review]) -> str:
    """How a catalog entry names where its review aggregate comes from."""
    return f"registry/reviews/{plugin_id}/ ({len(reviews)} review{'s' * (len(reviews) != 1)})"
