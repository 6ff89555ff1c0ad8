"""Decoy credentials planted in a plugin's sandbox, and what the plugin did with them.

The sandbox scrubs the environment, so a plugin that harvests credentials would find
nothing and look innocent. Each run therefore gets fresh decoys, values made for that run
alone: environment variables named like real credentials and credential files in the
sandbox's home. A decoy value found anywhere the plugin could send it (its output, the
events it delivered, the files it wrote, the probe's report of its metadata) is proof that
it collected credentials; so is opening a decoy file (recorded by probe/guard.py).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

# Names of real credential variables that CI systems and developers' shells carry.
VARIABLES = ("GITHUB_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PYPI_API_TOKEN", "DATABASE_PASSWORD")
SCAN_LIMIT = 64 * 1024 * 1024  # bytes of the working folder searched for decoy values


@dataclass(frozen=True)
class Decoys:
    env: dict[str, str]
    files: dict[str, str]  # path relative to the sandbox home -> content

    @property
    def markers(self) -> list[str]:
        return sorted(self.env.values())

    def plant(self, home: Path) -> None:
        for relative, content in self.files.items():
            path = home / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")

    def found_in(self, folder: Path, skip: set[str]) -> list[str]:
        """Files of the working folder (other than the planted ones) that carry a decoy value."""
        planted = {str(folder / f) for f in self.files} | {str(folder / s) for s in skip}
        hits, budget = [], SCAN_LIMIT
        # The plugin made this folder: links are not followed (one to / would walk the whole
        # machine as root) and only plain files are read (a FIFO would block).
        files = [Path(top, n) for top, _, names in os.walk(folder, followlinks=False) for n in names]
        for path in sorted(files):
            if not path.is_file() or path.is_symlink() or str(path) in planted or budget <= 0:
                continue
            data = path.read_bytes()[:budget]
            budget -= len(data)
            if any(m.encode() in data for m in self.markers):
                hits.append(path.relative_to(folder).as_posix())
        return hits


def make() -> Decoys:
    tag = secrets.token_hex(6)

    def value(prefix: str) -> str:
        return f"{prefix}hubdecoy{tag}{secrets.token_hex(4)}"

    env = {
        "GITHUB_TOKEN": value("ghp_"),
        "AWS_ACCESS_KEY_ID": value("AKIA"),
        "AWS_SECRET_ACCESS_KEY": value(""),
        "PYPI_API_TOKEN": value("pypi-"),
        "DATABASE_PASSWORD": value(""),
    }
    files = {
        ".aws/credentials": (
            "[default]\n"
            f"aws_access_key_id = {env['AWS_ACCESS_KEY_ID']}\n"
            f"aws_secret_access_key = {env['AWS_SECRET_ACCESS_KEY']}\n"
        ),
        ".netrc": f"machine github.com login hub password {env['GITHUB_TOKEN']}\n",
        ".config/gh/hosts.yml": f"github.com:\n    oauth_token: {env['GITHUB_TOKEN']}\n",
    }
    return Decoys(env, files)
