"""Reviews into the catalog: validate every review file against the catalog's plugin ids and
set each entry's aggregate (so catalog.json carries it). ``HUB_REVIEWS_DIR`` points the
build at another reviews folder (the browser tests use this; nothing else should)."""

from __future__ import annotations

import os
from pathlib import Path

from hub.catalog.models import Catalog
from hub.reviews import store
from hub.reviews.models import Review, summarise


def reviews_dir() -> Path:
    return Path(os.environ.get("HUB_REVIEWS_DIR") or store.REVIEWS_DIR)


def attach(catalog: Catalog, directory: Path | None = None) -> dict[str, list[Review]]:
    """Every plugin's reviews by catalog id; raises store.ReviewsInvalid with every problem."""
    found = store.load_valid(directory or reviews_dir(), known_plugins={p.id for p in catalog.plugins})
    for entry in catalog.plugins:
        mine = found.by_plugin.get(entry.id, [])
        entry.reviews = summarise(mine)
        entry.sources.append(f"registry/reviews/{entry.id}/ ({len(mine)} review{'s' * (len(mine) != 1)})")
    return {entry.id: found.by_plugin.get(entry.id, []) for entry in catalog.plugins}
