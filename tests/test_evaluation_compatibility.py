"""hub/evaluation/compatibility.py: which fapilog releases a plugin is evaluated against."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import compatibility


def test_newest_minors_follow_the_declared_range():
    releases = ["0.15.0", "0.16.0", "0.17.0", "0.18.0", "0.18.1", "0.19.0rc1"]
    assert compatibility.newest_minors(releases) == ["0.18.1", "0.17.0", "0.16.0"]
    assert compatibility.newest_minors(releases, ">=0.18,<0.19") == ["0.18.1"]
    assert compatibility.newest_minors(releases, "<0.18") == ["0.17.0", "0.16.0", "0.15.0"]
