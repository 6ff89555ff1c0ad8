"""hub/evaluation/models.py: the results file is validated on load, and tiers follow the
machine-readable failure kind, not the wording of the message."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from hub.evaluation import models, tiers
from hub.evaluation.results import RESULTS_FILE, Store

COMMITTED = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))


def _entry(package: str) -> tuple[str, dict]:
    return next((k, e) for k, e in COMMITTED["entries"].items() if e["package"] == package and e["kind"] == "full")


def test_the_committed_results_file_has_the_declared_shape():
    assert models.validate(COMMITTED, "evaluations.json").entries


def test_a_misspelt_field_fails_the_load_naming_its_path(tmp_path: Path):
    key, entry = _entry("fapilog-sqlite")
    broken = copy.deepcopy(COMMITTED)
    record = broken["entries"][key]["plugins"]["sink/sqlite"]
    record["duration_secs"] = record.pop("duration_seconds")
    (tmp_path / "evaluations.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(models.ResultsError) as caught:
        Store.load(tmp_path / "evaluations.json")
    assert f"entries.{key}.plugins.sink/sqlite.duration_secs: Extra inputs are not permitted" in str(caught.value)


def test_a_failure_without_its_kind_is_refused():
    key, _ = _entry("fapilog-sqlite")
    broken = copy.deepcopy(COMMITTED)
    broken["entries"][key]["plugins"]["sink/sqlite"].update(status="failed", failure="timeout: killed")
    with pytest.raises(models.ResultsError, match="failure and failure_kind go together"):
        models.validate(broken, "evaluations.json")


@pytest.mark.parametrize("kind", sorted(models.UNCONTAINED))
def test_the_contained_rule_follows_the_kind_whatever_the_message_says(kind: str):
    _, entry = _entry("fapilog-sqlite")
    failed = copy.deepcopy(entry)
    # A message that the old prefix matching would have read as contained.
    failed["plugins"]["sink/sqlite"].update(status="failed", failure="reworded: stopped early", failure_kind=kind)
    rules = {r.rule.id: r for r in tiers.judge("sink/sqlite", failed, {}, {})}
    assert rules["contained"].status == tiers.FAILED
    passing = {r.rule.id: r for r in tiers.judge("sink/sqlite", entry, {}, {})}
    assert passing["contained"].status == tiers.DONE


def test_an_import_failure_fails_loads_but_not_contained():
    _, entry = _entry("fapilog-sqlite")
    failed = copy.deepcopy(entry)
    failed["plugins"]["sink/sqlite"].update(status="failed", failure="boom", failure_kind="import")
    rules = {r.rule.id: r for r in tiers.judge("sink/sqlite", failed, {}, {})}
    assert (rules["loads"].status, rules["contained"].status) == (tiers.FAILED, tiers.DONE)
