"""ruff over the code, inside the suite: `nox -s test` (and so `.ci/run`) fails on lint drift,
not only CI's separate lint job (`nox -s lint`, the same two commands)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
