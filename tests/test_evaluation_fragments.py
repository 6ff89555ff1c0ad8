"""hub/evaluation/fragments.py: the evaluation markers escape what they print."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from evaluation_support import entry as _entry
from hub.evaluation import fragments, views
from hub.evaluation.results import Store


def test_plugin_page_fragment_escapes_untrusted_text(tmp_path):
    store = Store(tmp_path / "e.json")
    entry = _entry(failure="<script>alert(1)</script>", failure_kind="conformance", status="failed")
    entry.update(
        fapilog_version="0.18.1",
        kind="full",
        runner_version="r",
        date="2026-01-01",
        environment={
            "python": "3.11",
            "cpu": "<b>cpu</b>",
            "cores": 2,
            "isolation": "x",
            "bandit": "1",
            "pip_audit": "1",
        },
    )
    store.put("k", entry)
    store.meta["runner_version"] = "r"
    view = views.plugin_view(views.Results(store), "pkg", "redactor/x", builtin=False, exemptions={})
    html = fragments.render("plugin", **view)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>cpu</b>" not in html
