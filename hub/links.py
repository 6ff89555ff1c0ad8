"""What may become a link on the site: an http:// or https:// address, nothing else.

Registry entries, reviews and plugin metadata come from strangers; a `javascript:`,
`data:` or relative address, or one carrying quotes or brackets, must never reach an
`href`. The models refuse such values when a file is read, and the templates' `url`
filter refuses them again when a page is written (hub.rendering).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def web_url(value: str) -> str:
    """value, if it is an http(s) URL with a host and no character that could break out."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"'`\\]", value):
        raise ValueError(f"{value!r} is not an http:// or https:// URL")
    return value
