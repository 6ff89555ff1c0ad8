"""Every program in examples/ runs, and its output matches the .out file beside it.

Each example runs in a fresh interpreter (as a reader would run it), with a timeout.
Output is sanitized with the same rules as notebooks (tests/sanitize.cfg) before the
comparison, so only what legitimately varies is ignored.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sanitize import sanitize
from support import ROOT, UPDATE_GOLDENS

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
TIMEOUT_S = 60

# Examples that talk to a real service: the session fixture that starts the service and
# the environment variable through which the example learns where it is (the same one a
# reader sets). The fixture starts only when one of these examples is selected.
SERVICES = {
    "level_routing_postgres.py": ("postgres_dsn", "FAPILOG_POSTGRES__DSN"),
}


def run_example(path: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    return subprocess.run(
        [sys.executable, str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
        env=env,
    )


def check_example(path: Path, extra_env: dict[str, str] | None = None) -> None:
    """Run one example; fail with the file, the exit status, stderr and an output diff."""
    rel = path.relative_to(path.parent.parent).as_posix()
    result = run_example(path, extra_env)
    if result.returncode != 0:
        pytest.fail(f"{rel} exited with status {result.returncode}\n--- stderr ---\n{result.stderr}", pytrace=False)
    actual = sanitize(result.stdout)
    golden = path.with_suffix(".out")
    if UPDATE_GOLDENS:
        golden.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not golden.exists():
        pytest.fail(
            f"{rel}: no expected output {golden.name}; run with HUB_UPDATE_GOLDENS=1 to create it", pytrace=False
        )
    expected = golden.read_text(encoding="utf-8").replace("\r\n", "\n")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), golden.name, "actual output")
        )
        pytest.fail(f"{rel}: output differs from {golden.name}\n{diff}", pytrace=False)


def test_examples_exist():
    assert EXAMPLES, "examples/ holds no programs: nothing would be checked"


def test_every_example_is_in_the_examples_table():
    """docs/examples/index.md lists each program in examples/ once, and nothing else."""
    table = (ROOT / "docs" / "examples" / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([\w.-]+\.py)` \|", table, re.MULTILINE)
    names = {p.name for p in EXAMPLES}
    assert not sorted(names - set(listed)), f"missing from docs/examples/index.md: {sorted(names - set(listed))}"
    assert not sorted(set(listed) - names), f"listed but not in examples/: {sorted(set(listed) - names)}"
    assert len(listed) == len(set(listed)), "an example is listed twice in docs/examples/index.md"


def test_service_examples_exist():
    missing = sorted(set(SERVICES) - {p.name for p in EXAMPLES})
    assert not missing, f"SERVICES names examples that do not exist: {missing}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_and_matches_expected_output(path: Path, request: pytest.FixtureRequest):
    extra_env = {}
    if path.name in SERVICES:
        fixture, variable = SERVICES[path.name]
        extra_env[variable] = request.getfixturevalue(fixture)
    check_example(path, extra_env)
