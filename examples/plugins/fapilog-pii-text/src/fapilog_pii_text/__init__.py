"""fapilog-pii-text: mask personal data that hides inside free text.

fapilog's built-in redactors work on field names and paths (``data.password``). Personal
data also turns up inside values nobody thought to name: ``"refund failed for
alice@example.com"``. This redactor scans every string in the event, at any depth, and
replaces what it recognises with a placeholder such as ``[EMAIL]``.

Card numbers must pass the Luhn check and IBANs the ISO 13616 mod-97 check, so order
numbers and other long digit runs are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["CATEGORIES", "PLUGIN_METADATA", "PiiTextRedactor", "mask_text"]
__version__ = "0.1.0"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card_ok(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match[0])
    return 13 <= len(digits) <= 19 and _luhn_ok(digits)


def _iban_ok(match: re.Match[str]) -> bool:
    compact = match[0].replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# Order matters: IBANs contain long digit runs, so they are masked before card numbers.
# The patterns are bounded (no nested unbounded repeats), so scanning is linear in the
# length of the text.
CATEGORIES: dict[str, tuple[re.Pattern[str], Callable[[re.Match[str]], bool] | None]] = {
    "email": (
        re.compile(r"(?<![\w.+'-])[A-Za-z0-9._%+'-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}(?![\w-])"),
        None,
    ),
    "iban": (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), _iban_ok),
    "card": (re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])"), _card_ok),
    "ipv4": (
        re.compile(
            r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)"
        ),
        None,
    ),
}


def mask_text(text: str, categories: tuple[str, ...], replacement: str) -> tuple[str, int]:
    """Return the text with every recognised item replaced, and how many were replaced."""
    count = 0
    for category in categories:
        pattern, check = CATEGORIES[category]

        def substitute(match: re.Match[str], category: str = category, check=check) -> str:
            nonlocal count
            if check is not None and not check(match):
                return match[0]
            count += 1
            return replacement.format(category=category.upper())

        text = pattern.sub(substitute, text)
    return text, count


class PiiTextRedactor:
    """Masks e-mail addresses, payment card numbers, IBANs and IPv4 addresses in string values.

    Args:
        categories: which kinds of data to mask (default: all of ``CATEGORIES``).
        replacement: placeholder; ``{category}`` becomes ``EMAIL``, ``CARD``, ``IBAN`` or ``IPV4``.
        max_depth: nesting beyond this depth is replaced by ``replacement`` with category
            ``UNSCANNED`` rather than passed through unread (fail closed).
    """

    name = "pii_text"

    def __init__(
        self,
        *,
        categories: list[str] | None = None,
        replacement: str = "[{category}]",
        max_depth: int = 16,
    ) -> None:
        chosen = list(CATEGORIES) if categories is None else list(categories)
        unknown = sorted(set(chosen) - set(CATEGORIES))
        if unknown or not chosen:
            raise ValueError(f"categories must be a non-empty subset of {sorted(CATEGORIES)}, got {chosen}")
        try:
            replacement.format(category="EMAIL")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"replacement may use only the {{category}} field: {replacement!r}") from exc
        if max_depth < 1:
            raise ValueError("max_depth must be at least 1")
        # Keep the module's order (IBAN before card) whatever order the user gave.
        self.categories = tuple(c for c in CATEGORIES if c in chosen)
        self.replacement = replacement
        self.max_depth = max_depth
        self.last_redacted_count = 0  # read by fapilog's metrics after each event

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def redact(self, event: dict[str, Any]) -> dict[str, Any]:
        count = 0

        def walk(value: Any, depth: int) -> Any:
            nonlocal count
            if isinstance(value, str):
                masked, found = mask_text(value, self.categories, self.replacement)
                count += found
                return masked
            if isinstance(value, (dict, list, tuple)) and depth >= self.max_depth:
                count += 1
                return self.replacement.format(category="UNSCANNED")
            if isinstance(value, dict):
                return {key: walk(item, depth + 1) for key, item in value.items()}
            if isinstance(value, (list, tuple)):
                return [walk(item, depth + 1) for item in value]
            return value

        redacted = {key: walk(value, 1) for key, value in event.items()}
        self.last_redacted_count = count
        return redacted

    async def health_check(self) -> bool:
        return True


# Read by fapilog tooling and by plugin catalogs; validated by fapilog's PluginMetadata.
PLUGIN_METADATA = {
    "name": "pii_text",
    "version": __version__,
    "plugin_type": "redactor",
    "entry_point": "fapilog_pii_text:PiiTextRedactor",
    "description": (
        "Masks e-mail addresses, Luhn-valid card numbers, IBANs and IPv4 addresses found inside any string value."
    ),
    "author": "fapilog hub contributors",
    "homepage": "https://fapilog.github.io/fapilog-hub/catalog/redactor/pii_text/",
    "repository": "https://github.com/fapilog/fapilog-hub/tree/main/examples/plugins/fapilog-pii-text",
    "license": "Apache-2.0",
    "compatibility": {"min_fapilog_version": "0.18.0", "max_fapilog_version": "0.18.99", "python_version": ">=3.10"},
    "api_version": "1.0",
    "dependencies": [],
    "tags": ["pii", "gdpr", "pci-dss", "compliance", "free-text"],
    "config_schema": {
        "type": "object",
        "properties": {
            "categories": {
                "type": "array",
                "items": {"type": "string", "enum": list(CATEGORIES)},
                "minItems": 1,
                "description": "Kinds of data to mask",
            },
            "replacement": {
                "type": "string",
                "description": "Placeholder; {category} becomes EMAIL, CARD, IBAN or IPV4",
            },
            "max_depth": {"type": "integer", "minimum": 1, "description": "Deeper values are masked as UNSCANNED"},
        },
        "additionalProperties": False,
    },
    "default_config": {"categories": list(CATEGORIES), "replacement": "[{category}]", "max_depth": 16},
}
