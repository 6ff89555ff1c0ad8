"""hub/evaluation/conformance.py: the documented checks are the ones the suite
(packages/fapilog-hub-conformance) runs, and the authors' example passes."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import conformance
from hub.project import ROOT

SUITE_SRC = ROOT / "packages" / "fapilog-hub-conformance" / "src"


def test_documented_checks_are_the_checks_the_suite_runs(monkeypatch):
    monkeypatch.syspath_prepend(str(SUITE_SRC))
    from fapilog import testing
    from fapilog.plugins.processors.zero_copy import ZeroCopyProcessor
    from fapilog_hub_conformance import run_suite

    factories = {
        "sink": testing.MockSink,
        "enricher": testing.MockEnricher,
        "redactor": testing.MockRedactor,
        "filter": testing.MockFilter,
        "processor": ZeroCopyProcessor,
    }
    seen = {}
    for kind, factory in factories.items():
        for result in asyncio.run(run_suite(kind, factory)):
            seen[result.check] = result.required
    assert seen == {name: required for name, (_, required, _) in conformance.CHECKS.items()}


def test_the_authors_example_passes_in_its_own_pytest_run(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(SUITE_SRC)}
    example = ROOT / "packages" / "fapilog-hub-conformance" / "examples" / "test_my_redactor.py"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
