"""The reviews section of a plugin page, and the aggregate for catalog.json."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlencode

from packaging.version import Version

from hub import rendering
from hub.reviews.models import Review, newest_first, summarise

FORM = "plugin-review.yml"


def new_review_url(repo_url: str, plugin_id: str) -> str:
    """GitHub's new-issue address for the review form, with the plugin field filled in."""
    query = urlencode({"template": FORM, "title": f"Review: {plugin_id}", "plugin": plugin_id})
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def section(plugin_id: str, name: str, reviews: Sequence[Review], repo_url: str) -> str:
    ordered = newest_first(reviews)
    summary = summarise(ordered)
    versions = sorted(Counter(r.plugin_version for r in ordered).items(), key=lambda kv: Version(kv[0]), reverse=True)
    return rendering.page(
        "reviews/section.md.j2",
        name=name,
        reviews=ordered,
        summary=summary,
        distribution=[(star, summary.distribution[str(star)]) for star in range(5, 0, -1)],
        versions=versions,
        new_review_url=new_review_url(repo_url, plugin_id),
    )
