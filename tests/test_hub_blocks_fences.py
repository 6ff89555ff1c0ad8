"""hub.blocks leaves `<!-- hub:NAME -->` lines alone inside fenced code, whatever the fence."""

from __future__ import annotations

import pytest

from hub import blocks

WHERE = blocks.Where(page_url="community/page/", extra={})


@pytest.mark.parametrize("fence", ["```", "````", "~~~", "~~~~~"])
def test_a_marker_shown_in_a_code_block_is_not_filled(fence):
    page = f"# Page\n\nWrite this line:\n\n{fence}markdown\n<!-- hub:no-such-block -->\n{fence}\n"
    # Outside a fence an unknown name is an error; inside one it is text the page shows.
    assert blocks.fill(page, WHERE) == page


def test_a_shorter_fence_does_not_close_a_longer_one():
    page = "````markdown\n```\n<!-- hub:no-such-block -->\n```\n````\n"
    assert blocks.fill(page, WHERE) == page


def test_a_marker_after_a_closed_fence_is_still_filled():
    page = "```text\nx\n```\n\n<!-- hub:no-such-block -->\n"
    with pytest.raises(blocks.BlockError, match="no block named 'no-such-block'"):
        blocks.fill(page, WHERE)
