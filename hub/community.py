"""Community data files: contributions that leave no commit, events, office hours, required checks.

Each file in data/ is edited by pull request and states its own source (every entry
carries a public link and a date). Entries are validated here, so a malformed entry
stops the build with the file and the problem instead of rendering something wrong.
Links must be http or https: these files come from strangers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from hub.names import GITHUB_HANDLE
from hub.project import ROOT

DATA = ROOT / "data"


class DataError(Exception):
    """A data file that does not validate; the message names the file."""


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_line(value: str) -> str:
    if not value.strip() or "\n" in value or "\r" in value:
        raise ValueError("must be one non-empty line")
    return value.strip()


class Contribution(Entry):
    """Work that leaves no commit here (all-contributors style), with a public link that shows it."""

    name: str
    github: str | None = Field(default=None, pattern=GITHUB_HANDLE)
    kind: Literal["review", "talk", "tutorial", "triage", "mentoring", "design", "translation", "event", "ideas"]
    what: str
    link: HttpUrl
    date: date

    _line = field_validator("name", "what")(_one_line)


class Event(Entry):
    title: str
    kind: Literal["talk", "meetup", "workshop", "conference", "livestream"]
    date: date
    place: str  # a city and venue, or "online"
    link: HttpUrl
    speakers: list[str] = []
    demo: str | None = None  # a notebook in notebooks/ (path) or an http(s) URL to slides or code

    _line = field_validator("title", "place")(_one_line)

    @field_validator("demo")
    @classmethod
    def _demo(cls, value: str | None) -> str | None:
        if value is None or value.startswith(("https://", "http://")):
            return value
        if value.startswith("notebooks/") and value.endswith(".ipynb") and ".." not in value:
            return value
        raise ValueError("a notebook path under notebooks/ or an http(s) URL")


class OfficeHours(Entry):
    """A recurring session where maintainers or mentors answer questions live."""

    title: str
    hosts: list[str] = Field(min_length=1)
    schedule: str  # e.g. "first Tuesday of each month, 16:00-17:00 UTC"
    link: HttpUrl  # where to join or sign up
    until: date | None = None  # last session, if the series ends

    _line = field_validator("title", "schedule")(_one_line)


class Mentor(Entry):
    name: str
    github: str = Field(pattern=GITHUB_HANDLE)
    topics: list[str] = Field(min_length=1)
    contact: HttpUrl  # a public way to reach them (a discussion, a profile)


class ContributionsFile(Entry):
    contributions: list[Contribution] = []


class EventsFile(Entry):
    events: list[Event] = []


class SupportFile(Entry):
    office_hours: list[OfficeHours] = []
    mentors: list[Mentor] = []


class RequiredChecksFile(Entry):
    workflow: str
    required: list[str] = Field(min_length=1)


def load(model: type[Entry], path: Path) -> Entry:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise DataError(f"{path.name}: {exc}") from exc


def contributions(data: Path = DATA) -> list[Contribution]:
    return sorted(
        load(ContributionsFile, data / "contributors.yml").contributions, key=lambda c: (c.date, c.name), reverse=True
    )


def events(data: Path = DATA, today: date | None = None) -> tuple[list[Event], list[Event]]:
    """(upcoming, past): upcoming soonest first, past latest first."""
    today = today or date.today()
    every = load(EventsFile, data / "events.yml").events
    upcoming = sorted((e for e in every if e.date >= today), key=lambda e: e.date)
    past = sorted((e for e in every if e.date < today), key=lambda e: e.date, reverse=True)
    return upcoming, past


def support(data: Path = DATA, today: date | None = None) -> SupportFile:
    """Office hours still running (a series past its `until` date is left out) and mentors."""
    today = today or date.today()
    loaded = load(SupportFile, data / "support.yml")
    running = [s for s in loaded.office_hours if s.until is None or s.until >= today]
    return SupportFile(office_hours=running, mentors=loaded.mentors)


def required_checks(data: Path = DATA) -> RequiredChecksFile:
    return load(RequiredChecksFile, data / "required-checks.yml")
