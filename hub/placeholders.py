"""The few values Markdown pages may print without typing them: `{{ name }}` placeholders.

A full template engine over every page would also expand `{{ }}` inside code samples;
a fixed, explicit set of names does only what pages need.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{\{\s*(fapilog_version)\s*\}\}")


def fill(markdown: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values[m[1]], markdown)
