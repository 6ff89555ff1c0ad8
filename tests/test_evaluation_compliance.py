"""hub/evaluation/compliance.py: scoring a redactor's output against the corpus (recall,
precision, over-redaction, raising, dropping)."""

from __future__ import annotations

import copy
import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import compliance


def _outputs(transform):
    return [{"id": r["id"], "event": transform(copy.deepcopy(r))} for r in compliance.load_corpus()]


def _envelope(record):
    return {"message": record["message"], "data": record["data"]}


def test_a_redactor_that_does_nothing_has_zero_recall_and_no_precision():
    card = compliance.score(_outputs(_envelope), compliance.load_corpus())
    assert card["overall"]["recall"] == 0.0
    assert card["overall"]["precision"] is None
    assert card["unrelated_fields_changed"] == 0


def test_an_oracle_scores_perfectly():
    corpus_records = {r["id"]: r for r in compliance.load_corpus()}

    def oracle(record):
        event = _envelope(record)
        for label in corpus_records[record["id"]]["labels"]:
            if label["sensitive"]:
                *parent, last = label["path"]
                node = compliance.lookup(event, parent)
                node[last] = node[last].replace(label["secret"], "***")
        return event

    card = compliance.score(_outputs(oracle), compliance.load_corpus())
    assert card["overall"]["recall"] == 1.0 and card["overall"]["precision"] == 1.0
    assert all(c["recall"] == 1.0 and c["precision"] == 1.0 for c in card["categories"].values())


def test_masking_everything_is_caught_as_over_redaction():
    def mask_all(value):
        if isinstance(value, dict):
            return {k: mask_all(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mask_all(v) for v in value]
        return "***"

    card = compliance.score(_outputs(lambda r: mask_all(_envelope(r))), compliance.load_corpus())
    assert card["overall"]["recall"] == 1.0
    assert card["overall"]["precision"] == 0.5  # one look-alike per sensitive value
    assert card["unrelated_fields_changed"] == len(compliance.load_corpus())


def test_raising_counts_as_leaking_and_dropping_as_losing():
    records = compliance.load_corpus()
    raising = compliance.score([{"id": r["id"], "error": "boom"} for r in records], records)
    assert raising["overall"]["recall"] == 0.0 and raising["records_raising"] == len(records)
    dropped = compliance.score([], records)
    assert dropped["overall"]["recall"] == 1.0 and dropped["overall"]["precision"] == 0.5
