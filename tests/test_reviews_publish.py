"""hub/reviews/publish.py: reviews into the catalog, grouped by plugin with aggregate and
source; the build refuses an invalid one."""

from __future__ import annotations

import pytest

from hub.reviews import store
from reviews_support import GOOD, write

IDS = ("sink/stdout_json", "filter/level")


def test_reviews_are_grouped_by_catalog_plugin_with_aggregate_and_source(tmp_path):
    from hub.reviews import publish
    from hub.reviews.models import summarise

    write(tmp_path, GOOD)
    write(tmp_path, {**GOOD, "reviewer": "second", "rating": 2})
    by_plugin = publish.by_plugin(IDS, tmp_path)
    reviewed, unreviewed = by_plugin["sink/stdout_json"], by_plugin["filter/level"]
    assert [r.reviewer for r in reviewed] == ["octo-cat", "second"] and unreviewed == []
    assert (summarise(reviewed).count, summarise(reviewed).average) == (2, 3.0)
    assert (summarise(unreviewed).count, summarise(unreviewed).average) == (0, None)
    assert publish.source_line("sink/stdout_json", reviewed) == "registry/reviews/sink/stdout_json/ (2 reviews)"
    assert publish.source_line("filter/level", unreviewed) == "registry/reviews/filter/level/ (0 reviews)"


def test_a_review_of_a_plugin_not_in_the_catalog_is_refused(tmp_path):
    from hub.reviews import publish

    write(tmp_path, {**GOOD, "plugin": "sink/nowhere"})
    with pytest.raises(store.ReviewsInvalid, match="'sink/nowhere' is not in the catalog"):
        publish.by_plugin(IDS, tmp_path)


@pytest.mark.slow
def test_the_build_refuses_an_invalid_review_and_says_where(tmp_path, monkeypatch):
    from support import build_site

    write(tmp_path / "reviews", {**GOOD, "rating": 9})
    monkeypatch.setenv("HUB_REVIEWS_DIR", str(tmp_path / "reviews"))
    build = build_site(tmp_path / "site")
    assert build.returncode != 0
    assert "2026-11-20-octo-cat.yml: rating: 9 is out of range" in build.log
    assert "The rating, a whole number from 1 (poor) to 5 (excellent)" in build.log
