"""Facts about this repository that pages show: where it lives and what it pins."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def pinned_fapilog_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The fapilog version the site is verified against, read from the pin in pyproject.

    Pages print this instead of a typed version so the two can never disagree.
    """
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    for dep in deps:
        match = re.fullmatch(r"fapilog(\[[^\]]*\])?==(?P<version>[\w.]+)", dep.strip())
        if match:
            return match["version"]
    raise LookupError(f"{pyproject}: no exact 'fapilog==X' pin in [project].dependencies")


def installed_fapilog_version() -> str:
    return metadata.version("fapilog")


def github_slug(repo_url: str) -> str:
    """'https://github.com/owner/name' -> 'owner/name' (for Colab and Binder links)."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?", repo_url)
    if not match:
        raise ValueError(f"repo_url {repo_url!r} is not a https://github.com/owner/name URL")
    return match[1]
