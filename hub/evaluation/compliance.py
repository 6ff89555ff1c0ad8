"""Redactor scorecards: precision and recall per category on the synthetic corpus.

The corpus (``registry/compliance/corpus.json``, made by :mod:`hub.evaluation.corpus`)
labels paths in each log event. The probe returns what a redactor (or a whole fapilog
logger with a redaction preset) made of each record; this module scores it, outside the
plugin's process.

For a **sensitive** label the value counts as *redacted* (true positive) when the field
is gone or its value no longer contains the secret; otherwise it *leaked* (false
negative). For a **non-sensitive** label the value counts as *preserved* (true negative)
when it is unchanged; otherwise it was *over-redacted* (false positive). Then, per category,

    precision = TP / (TP + FP)        recall = TP / (TP + FN)

with "unrelated" fields (status, path, ...) reported as a count of fields changed. A
record the redactor raised on counts its sensitive labels as leaked (fapilog keeps the
last good event when a redactor fails) and its other labels as preserved. A record missing
from the output (dropped) counts as redacted and over-redacted at once: nothing leaked,
and nothing useful was kept either.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from hub.evaluation.corpus import CATEGORIES, CORPUS_FILE

_MISSING = object()


def load_corpus(path: Path = CORPUS_FILE) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["records"]


@lru_cache(maxsize=4)
def corpus_digest(path: Path = CORPUS_FILE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def lookup(event: Any, path: list[Any]) -> Any:
    node = event
    for step in path:
        if (
            isinstance(node, dict)
            and step in node
            or isinstance(node, list)
            and isinstance(step, int)
            and step < len(node)
        ):
            node = node[step]
        else:
            return _MISSING
    return node


def _contains(value: Any, secret: str) -> bool:
    if isinstance(value, str):
        return secret in value
    return secret in json.dumps(value, ensure_ascii=False, default=str)


def score(outputs: list[dict[str, Any]], corpus: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = {o.get("id"): o for o in outputs}
    tally = {c: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for c in CATEGORIES}
    unrelated_changed = errors = dropped = 0
    leaks: list[str] = []
    for record in corpus:
        output = by_id.get(record["id"])
        if output is None:
            dropped += 1
        elif "error" in output:
            errors += 1
        for label in record["labels"]:
            original = lookup({"message": record["message"], "data": record["data"]}, label["path"])
            if output is None:
                after = _MISSING
            elif "error" in output:
                after = original  # fapilog keeps the last good event
            else:
                after = lookup(output["event"], label["path"])
            if label["category"] == "unrelated":
                unrelated_changed += after != original
                continue
            counts = tally[label["category"]]
            if label["sensitive"]:
                leaked = after is not _MISSING and _contains(after, label["secret"])
                counts["fn" if leaked else "tp"] += 1
                if leaked and len(leaks) < 5:
                    leaks.append(f"{record['id']} {'.'.join(map(str, label['path']))}")
            else:
                counts["tn" if after == original else "fp"] += 1
    categories = {c: {**t, **_rates(t)} for c, t in tally.items()}
    overall = {k: sum(t[k] for t in tally.values()) for k in ("tp", "fn", "fp", "tn")}
    return {
        "records": len(corpus),
        "categories": categories,
        "overall": {**overall, **_rates(overall)},
        "unrelated_fields_changed": unrelated_changed,
        "records_raising": errors,
        "records_dropped": dropped,
        "example_leaks": leaks,
    }


def _rates(t: dict[str, int]) -> dict[str, float | None]:
    flagged = t["tp"] + t["fp"]
    sensitive = t["tp"] + t["fn"]
    return {
        "precision": round(t["tp"] / flagged, 3) if flagged else None,
        "recall": round(t["tp"] / sensitive, 3) if sensitive else None,
    }
