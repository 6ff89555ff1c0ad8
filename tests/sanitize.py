"""Apply tests/sanitize.cfg (the rules nbval uses for notebooks) to any text."""

from __future__ import annotations

import configparser
import re
from functools import lru_cache
from pathlib import Path

SANITIZE_CFG = Path(__file__).with_name("sanitize.cfg")


@lru_cache(maxsize=1)
def rules() -> list[tuple[re.Pattern[str], str]]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SANITIZE_CFG, encoding="utf-8")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def sanitize(text: str) -> str:
    text = text.replace("\r\n", "\n")
    for pattern, replacement in rules():
        text = pattern.sub(replacement, text)
    return text
