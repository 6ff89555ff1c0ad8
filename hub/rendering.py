"""Every template of the site, rendered one way: one loader, one set of filters, strict and escaped.

- One loader: `hub/templates/`, read through the installed package (PackageLoader), so a
  wheel install renders what a checkout does.
- Autoescape for every template, whatever its extension: Markdown pages carry raw HTML
  built from registry text, plugin metadata and review files, which are untrusted.
- StrictUndefined: a misspelt field fails the build instead of printing nothing.
- The filters every template may use: `fence` and `url` for untrusted text in code blocks
  and links, `tojson_pretty`, and the figure formats `pct`, `ratio` and `num` ("—" when a
  figure was not measured).

Two whitespace modes, because the two kinds of output differ: a page (`page()`: Markdown,
where a newline is content, so the template's whitespace is kept) and a fragment
(`fragment()`: an HTML block spliced into a Markdown page, where block tags leave no lines
behind and blank lines are dropped, since a blank line would end Python-Markdown's raw
HTML block early). Templates hold loops and conditionals; what they show is computed by
the module that calls them.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from hub.links import web_url

# A line that would end a fenced block or pull in a file through pymdownx.snippets.
_FENCE_BREAKERS = re.compile(r"^\s*(`{3,}|~{3,}|-+8<-+)", re.MULTILINE)


def fence(text: str) -> Markup:
    """Text for inside a code block: the highlighter escapes it, so it must not be escaped
    twice, and nothing in it may end the block."""
    if _FENCE_BREAKERS.search(str(text)):
        raise ValueError(f"refusing to put text that could end a code block into one: {str(text)[:80]!r}")
    return Markup(str(text).rstrip("\n"))


def url(value: str) -> str:
    """Only http(s) addresses become links."""
    return web_url(str(value))


def tojson_pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _missing(value: Any) -> bool:
    return value is None or isinstance(value, jinja2.Undefined)


def pct(value: float | None) -> str:
    return "—" if _missing(value) else f"{value * 100:.0f}%"


def ratio(value: float | None) -> str:
    return "—" if _missing(value) else f"{value:.2f}×"


def num(value: float | None, digits: int = 0) -> str:
    return "—" if _missing(value) else f"{value:,.{digits}f}"


FILTERS = {"fence": fence, "url": url, "tojson_pretty": tojson_pretty, "pct": pct, "ratio": ratio, "num": num}


@lru_cache(maxsize=2)
def environment(fragments: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hub", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=not fragments,
        trim_blocks=fragments,
        lstrip_blocks=fragments,
    )
    env.filters.update(FILTERS)
    return env


def page(template: str, **context: Any) -> str:
    """A Markdown (or XML, or SVG) file from templates/<template>, whitespace as written."""
    return environment().get_template(template).render(**context)


def fragment(template: str, **context: Any) -> str:
    """An HTML block from templates/<template>, without blank lines."""
    html = environment(fragments=True).get_template(template).render(**context)
    return "\n".join(line for line in html.splitlines() if line.strip())
