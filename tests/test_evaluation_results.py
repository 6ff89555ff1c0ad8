"""hub/evaluation/results.py: saving the results file is atomic."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from evaluation_support import stored as _stored
from hub.evaluation.results import Store


def test_saving_is_atomic_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    store = Store(tmp_path / "evaluations.json")
    store.entries["a"] = _stored("a", "0.18.1")
    store.save()
    before = store.path.read_bytes()
    store.entries["b"] = _stored("b", "0.18.1")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr("hub.evaluation.results.os.replace", crash)
    with pytest.raises(OSError, match="disk full"):
        store.save()
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["evaluations.json"]  # no temporary file left behind
