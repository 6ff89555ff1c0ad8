"""The committed results file: every evaluation, keyed by what determines its outcome.

An entry is keyed by (package, version, fapilog version, runner version); the runner
version includes a digest of the evaluation code, the conformance suite and the corpus,
so any change to how plugins are judged re-evaluates them, and nothing else does. The
site build only reads this file: no network, no plugin code.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.evaluation import models
from hub.project import ROOT

RESULTS_FILE = ROOT / "registry" / "results" / "evaluations.json"
# How long evaluating the whole catalog took, cold and warm (written by hub.evaluation.timing).
TIMINGS_FILE = ROOT / "registry" / "results" / "timings.json"
ABOUT = (
    "Written by `nox -s catalog` (hub.evaluation.runner): each plugin evaluated in its own "
    "virtualenv, in a sandboxed subprocess. Each entry states its date and environment."
)


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def entry_key(package: str, version: str, fapilog_version: str, runner_version: str) -> str:
    return f"{package}=={version}|fapilog=={fapilog_version}|runner=={runner_version}"


@dataclass
class Store:
    path: Path = RESULTS_FILE
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    presets: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = RESULTS_FILE) -> Store:
        if not path.exists():
            return cls(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        # Checked against hub/evaluation/models.py, then kept as the plain values it read:
        # the runner merges into them and save() writes them back unchanged.
        models.validate(data, _shown(path))
        return cls(path, data.get("entries", {}), data.get("presets", {}), data.get("meta", {}))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "about": ABOUT,
            "meta": self.meta,
            "entries": dict(sorted(self.entries.items())),
            "presets": self.presets,
        }
        text = json.dumps(data, indent=1, sort_keys=False, ensure_ascii=False) + "\n"
        # Atomic: a new file beside the old one, flushed to disk, then renamed over it. A run
        # that dies while saving leaves the previous file whole, never a truncated one.
        handle, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def has(self, key: str) -> bool:
        return key in self.entries

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.entries[key] = entry

    def prune(self, keep: set[str]) -> list[str]:
        """Drop entries no longer asked for (old runner versions, removed plugins)."""
        gone = sorted(set(self.entries) - keep)
        for key in gone:
            del self.entries[key]
        return gone


def timings(path: Path = TIMINGS_FILE) -> dict[str, Any] | None:
    """The recorded timings, or None before the first `python -m hub.evaluation.timing`."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
