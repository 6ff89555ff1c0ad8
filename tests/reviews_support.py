"""A valid review (GOOD) and how the review tests write one where the store looks for it."""

from __future__ import annotations

from pathlib import Path

import yaml

GOOD = {
    "plugin": "sink/stdout_json",
    "reviewer": "octo-cat",
    "date": "2026-11-20",
    "plugin_version": "0.18.1",
    "fapilog_version": "0.18.1",
    "workload": {"events_per_second": 500, "deployment": "kubernetes"},
    "rating": 4,
    "text": "A made-up review text for the tests, long enough.",
}


def write(directory: Path, data: dict, name: str | None = None) -> Path:
    path = directory / data.get("plugin", "sink/stdout_json") / (name or f"{data['date']}-{data['reviewer']}.yml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path
