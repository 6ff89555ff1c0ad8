"""Generated parts of hand-written pages: a page writes `<!-- hub:NAME -->` on a line of its own
and the build replaces it with NAME's block, rendered from data by a Jinja2 template.

The prose around a block stays ordinary Markdown that anyone can edit; only the part that
comes from data (git history, data/*.yml, the CI workflow) is generated. Templates
autoescape: everything rendered may come from a stranger's pull request.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from hub import community, contributors, quality_gates, rendering
from hub.project import ROOT

MARKER = re.compile(r"^<!-- hub:(?P<name>[a-z-]+) -->$", re.MULTILINE)


class BlockError(Exception):
    """A marker naming no block, or a block whose data does not validate."""


@dataclass(frozen=True)
class Where:
    """What a block needs to know about the build: the page it lands on and the site's settings."""

    page_url: str  # e.g. "community/events/"
    extra: dict[str, Any]
    root: Path = ROOT
    today: date | None = None

    def href(self, target_url: str) -> str:
        """A link from this page to another page of the site, relative like MkDocs' own."""
        return posixpath.relpath(target_url, self.page_url or ".") + "/"


def render(template: str, **context: Any) -> str:
    return rendering.fragment(template, **context)


@lru_cache(maxsize=4)
def history(root: Path) -> contributors.History:
    return contributors.read_history(root)  # one `git log` per build, however many pages ask


def contributors_block(where: Where) -> str:
    return render(
        "contributors.html.j2",
        history=history(where.root),
        contributions=community.contributions(where.root / "data"),
    )


def events_block(where: Where) -> str:
    upcoming, past = community.events(where.root / "data", where.today)
    demo_href = {
        e.demo: (where.href(e.demo.removesuffix(".ipynb")) if e.demo.startswith("notebooks/") else e.demo)
        for e in upcoming + past
        if e.demo
    }
    return render("events.html.j2", upcoming=upcoming, past=past, demo_href=demo_href)


def support_block(where: Where) -> str:
    return render("support.html.j2", support=community.support(where.root / "data", where.today))


def chat_block(where: Where) -> str:
    chat = (where.extra.get("community") or {}).get("chat") or {}
    url = str(chat.get("url", ""))
    if url and not url.startswith(("https://", "http://")):
        raise BlockError(f"extra.community.chat.url must be an http(s) URL, not {url!r}")
    return render("chat.html.j2", chat=chat, url=url)


def quality_gates_block(where: Where) -> str:
    return render("quality-gates.html.j2", gates=quality_gates.gates(where.root))


BLOCKS: dict[str, Callable[[Where], str]] = {
    "contributors": contributors_block,
    "events": events_block,
    "support": support_block,
    "chat": chat_block,
    "quality-gates": quality_gates_block,
}


# A fence as pymdownx.superfences reads one: three or more backticks or tildes, closed by
# the same fence (indented fences too: lists, tabs, admonitions).
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")


def fenced_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each fenced code block, fences included.

    A marker inside one is text a page shows (how to write a marker), not a block to fill.
    An unclosed fence runs to the end of the page, as in Markdown.
    """
    spans = []
    offset = 0
    opened: tuple[str, int] | None = None  # (fence, start offset)
    for line in markdown.splitlines(keepends=True):
        match = FENCE.match(line)
        if opened is None and match:
            opened = (match["fence"], offset)
        elif opened is not None and match:
            fence, start = opened
            closing = match["fence"]
            if closing == fence and not line[match.end() :].strip():
                spans.append((start, offset + len(line)))
                opened = None
        offset += len(line)
    if opened is not None:
        spans.append((opened[1], len(markdown)))
    return spans


def fill(markdown: str, where: Where, more: Mapping[str, Callable[[Where], str]] | None = None) -> str:
    """Every `<!-- hub:NAME -->` line outside a code block, replaced by NAME's block.

    more: blocks made from what only the build has loaded (hub/site.py's evaluation
    fragments), looked up like the blocks here: one marker syntax, one table of names.
    """
    known = {**BLOCKS, **(more or {})}
    spans = fenced_spans(markdown)

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in spans):
            return match.group(0)
        name = match["name"]
        if name not in known:
            raise BlockError(f"{where.page_url or 'home'}: no block named {name!r}; known: {sorted(known)}")
        try:
            return known[name](where)
        except community.DataError as exc:
            raise BlockError(f"{where.page_url}: block {name!r}: {exc}") from exc

    return MARKER.sub(replace, markdown)
