"""The reviews section of a plugin page: aggregate, order, version filter, escaping, empty state."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from hub.reviews.models import Review
from hub.reviews.render import new_review_url, section

REPO = "https://github.com/fapilog/fapilog-hub"
BASE = {
    "plugin": "sink/stdout_json",
    "reviewer": "octo-cat",
    "date": "2026-11-20",
    "plugin_version": "0.18.1",
    "fapilog_version": "0.18.1",
    "workload": {"events_per_second": 1500, "deployment": "kubernetes"},
    "rating": 4,
    "text": 'Made-up test review. <script>alert(1)</script>\n--8<-- "README.md"\n*[HTML]: abbreviation & more',
}


def review(**changes) -> Review:
    return Review.model_validate({**BASE, **changes})


def test_empty_state_invites_a_review_with_the_form_prefilled():
    html = section("sink/stdout_json", "stdout_json", [], REPO)
    assert "No reviews yet" in html and "Write the first review" in html
    assert "hub-review__text" not in html
    link = re.search(r'href="([^"]+)">Write the first review', html)[1].replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert link.startswith(f"{REPO}/issues/new?")
    assert query == {
        "template": ["plugin-review.yml"],
        "title": ["Review: sink/stdout_json"],
        "plugin": ["sink/stdout_json"],
    }


def test_average_count_distribution_and_newest_first():
    reviews = [review(rating=5, date="2026-10-01"), review(rating=2, date="2026-11-02", plugin_version="0.17.0")]
    html = section("sink/stdout_json", "stdout_json", reviews, REPO)
    assert '<span class="hub-reviews__average">3.5</span> out of 5, from 2 reviews.' in html
    assert 'aria-label="5 of 5: 1 of 2 reviews"' in html and 'aria-label="3 of 5: 0 of 2 reviews"' in html
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates == ["2026-11-02", "2026-10-01"]
    versions = re.findall(r'<option value="([^"]*)">', html)
    assert versions == ["", "0.18.1", "0.17.0"]  # all, then newest version first
    assert re.findall(r'data-version="([^"]+)"', html) == ["0.17.0", "0.18.1"]


def test_review_text_is_escaped_and_never_starts_a_line():
    html = section("sink/stdout_json", "stdout_json", [review()], REPO)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; more" in html
    # A snippet include or an abbreviation definition at the start of a line would be
    # acted on by Markdown preprocessors before any HTML handling.
    assert not any(line.lstrip().startswith(("--8<--", "*[", "--8&lt;")) for line in html.splitlines())
    assert "<br>--8&lt;-- &#34;README.md&#34;<br>" in html


def test_new_review_url_encodes_the_plugin():
    assert new_review_url(REPO + "/", "filter/rate_limit").endswith("plugin=filter%2Frate_limit")
