"""The metrics history file (data/metrics/history.json): dated snapshots, appended only.

Each series keeps every snapshot a collector recorded, with the URL it came from. A failed
collection is recorded as the series' last attempt and never replaces a snapshot, so the
file holds only figures that were really fetched.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hub.project import ROOT

HISTORY_FILE = ROOT / "data" / "metrics" / "history.json"
NOTE = (
    "Written by `nox -s metrics` (hub/metrics/collect.py); do not edit by hand. Each snapshot is a "
    "figure fetched from `source` at `collected_at` (UTC). A collection that failed is recorded in "
    "`last_attempt` and leaves the snapshots as they were."
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Snapshot(Strict):
    collected_at: dt.datetime
    source: str
    value: int
    detail: dict[str, Any] = Field(default_factory=dict)


class Attempt(Strict):
    at: dt.datetime
    source: str
    ok: bool
    error: str | None = None


class Series(Strict):
    description: str
    snapshots: list[Snapshot] = Field(default_factory=list)
    last_attempt: Attempt | None = None

    @property
    def latest(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None


class History(Strict):
    note: str = NOTE
    series: dict[str, Series] = Field(default_factory=dict)


def load(path: Path = HISTORY_FILE) -> History:
    if not path.exists():
        return History()
    return History.model_validate_json(path.read_text(encoding="utf-8"))


def save(history: History, path: Path = HISTORY_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = history.model_dump(mode="json", exclude_none=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
