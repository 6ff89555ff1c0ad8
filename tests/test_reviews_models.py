"""hub/reviews/models.py: a plugin's aggregate (average, count, distribution) and the reviews' order."""

from __future__ import annotations

from hub.reviews.models import Review, newest_first, summarise
from reviews_support import GOOD


def test_summary_average_count_distribution_and_order():
    reviews = [
        Review.model_validate({**GOOD, "rating": r, "date": d})
        for r, d in [(5, "2026-01-02"), (4, "2026-03-01"), (4, "2026-02-01")]
    ]
    summary = summarise(reviews)
    assert (summary.count, summary.average) == (3, 4.33)
    assert summary.distribution == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}
    assert [str(r.date) for r in newest_first(reviews)] == ["2026-03-01", "2026-02-01", "2026-01-02"]
    empty = summarise([])
    assert (empty.count, empty.average) == (0, None)
