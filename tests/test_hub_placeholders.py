"""hub.placeholders: the facts pages print, filled in by name; an unknown name is left as it is."""

from __future__ import annotations

from hub.placeholders import fill


def test_placeholders_fill_only_known_names():
    text = "fapilog {{ fapilog_version }} and {{ other }}"
    assert fill(text, {"fapilog_version": "0.18.1"}) == "fapilog 0.18.1 and {{ other }}"
