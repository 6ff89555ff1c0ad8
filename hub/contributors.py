"""Who contributed, from the repository's real git history, commit authors and co-authors alike.

Read with one `git log` call: each commit's author (after .mailmap) and its
`Co-authored-by:` trailers. People are keyed by e-mail address (case-insensitive), so a
person who changed their display name is counted once, under the most recent name.
E-mail addresses never reach the page; a GitHub noreply address gives the profile link.
Automation accounts (names ending in `[bot]`) are not people and are left out.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hub.names import GITHUB_HANDLE_BODY
from hub.project import ROOT

# Unit and record separators cannot appear in names, e-mails or trailers.
FIELD, RECORD = "\x1f", "\x1e"
LOG_FORMAT = f"%aN{FIELD}%aE{FIELD}%as{FIELD}%(trailers:key=Co-authored-by,valueonly,separator=%x1d){RECORD}"
CO_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")
NOREPLY = re.compile(rf"^(?:\d+\+)?(?P<login>{GITHUB_HANDLE_BODY})@users\.noreply\.github\.com$", re.I)


@dataclass
class Contributor:
    name: str
    email: str = field(repr=False)
    commits: int = 0  # commits authored
    co_authored: int = 0  # commits naming them in a Co-authored-by trailer
    first: date | None = None
    last: date | None = None

    @property
    def github(self) -> str | None:
        match = NOREPLY.match(self.email)
        return match["login"] if match else None

    @property
    def total(self) -> int:
        return self.commits + self.co_authored


@dataclass(frozen=True)
class History:
    contributors: list[Contributor]
    commits: int
    shallow: bool  # a shallow clone shows only part of the history: the page says so
    error: str | None = None  # why no history could be read (no git, not a repository)


def is_bot(name: str) -> bool:
    return name.strip().lower().endswith("[bot]")


def read_history(root: Path = ROOT) -> History:
    try:
        log = git(root, "log", f"--format={LOG_FORMAT}")
        shallow = git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr.strip() if isinstance(exc, subprocess.CalledProcessError) and exc.stderr else str(exc)
        return History([], 0, False, f"git history unavailable: {detail}")
    people: dict[str, Contributor] = {}
    records = [r for r in log.split(RECORD) if r.strip()]
    for record in records:  # newest first
        name, email, day, trailers = record.strip("\n").split(FIELD)
        when = date.fromisoformat(day)
        credit(people, name, email, when, authored=True)
        for value in filter(None, trailers.split("\x1d")):
            match = CO_AUTHOR.match(value)
            if match:
                credit(people, match["name"], match["email"], when, authored=False)
    ranked = sorted(people.values(), key=lambda c: (-c.total, c.name.lower()))
    return History(ranked, len(records), shallow)


def credit(people: dict[str, Contributor], name: str, email: str, when: date, *, authored: bool) -> None:
    if is_bot(name):
        return
    key = email.strip().lower()
    person = people.setdefault(key, Contributor(name=name.strip(), email=key))
    if authored:
        person.commits += 1
    else:
        person.co_authored += 1
    # Records arrive newest first: the first date seen is the latest.
    person.last = person.last or when
    person.first = when


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    ).stdout
