"""The badge row, the card's data attributes and the rating line (hub/catalog/render.py):
one function each, used by the catalog index and the plugin pages alike."""

from __future__ import annotations

import re

from catalog_support import build, entry, installed
from hub.catalog import render


def one_plugin(**changes):
    made = build({"f.yml": entry(**changes)}, [installed()])
    [plugin] = made.catalog.plugins
    return made.catalog, plugin


def test_the_card_and_the_page_show_the_same_row_but_the_release_state():
    catalog, p = one_plugin()
    card = [(b.kind, b.text) for b in render.badges(p, card=True, new=True)]
    page = [(b.kind, b.text) for b in render.badges(p, card=False)]
    assert card[:2] == page[:2] == [("type", "sink"), (p.support.tier, p.support.tier)]
    assert ("new", "new") in card and ("new", "new") not in page
    assert (p.release.state, render.state_label(p)) in page  # the page always says the state
    assert not any(kind == p.release.state for kind, _ in card)  # the card only when it warns


def test_both_pages_render_the_row_from_the_one_function():
    catalog, p = one_plugin()
    index = render.index_page(catalog)
    plugin = render.plugin_page(p)
    for html, card in ((index, True), (plugin, False)):
        [row] = re.findall(r'<p class="hub-card__badges">(.*?)</p>', html)
        shown = re.findall(r'<span class="hub-badge hub-badge--([^"]+)"[^>]*>([^<]*)</span>', row)
        expected = [(b.kind, b.text) for b in render.badges(p, card=card, new=card and "hub-badge--new" in row)]
        assert shown == expected


def test_registry_text_in_a_badge_or_an_attribute_is_escaped():
    catalog, p = one_plugin(tags=["x"], description='A sink that says "<b>hi</b>" & more, safely.')
    html = render.index_page(catalog)
    assert "<b>hi</b>" not in html and "&lt;b&gt;hi&lt;/b&gt;" in html
    assert render.card_data(p)["search"] == render.search_text(p)


def test_the_rating_line_counts_reviews():
    _, p = one_plugin()
    assert render.rating_line(p) == "No reviews yet"
    from hub.catalog.models import ReviewSummary

    rated = p.model_copy(update={"reviews": ReviewSummary(count=1, average=4.0)})
    assert render.rating_line(rated) == "Rated 4.0 out of 5 (1 review)"
    assert render.card_data(rated)["rating"] == "4.0" and render.card_data(rated)["reviews"] == "1"
