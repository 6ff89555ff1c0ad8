"""Every program in examples/companions/ runs against fapilog's companion packages, and its
output matches the .out file beside it.

fapilog-audit and fapilog-tamper are not on PyPI: they live in fapilog's repository under
packages/. The programs (included by docs/guides/audit-trails.md) run in a fresh virtual
environment outside the repository, built once per test session (one build shared by
xdist workers), holding fapilog at the site's pin and the two packages installed from the
source their registry entries' install_url names, resolved by hub.evaluation.sources: a
`git clone` of that URL, or the local copy HUB_SOURCE_MIRRORS maps it to. Where neither
can be had (no access to GitHub, no mirror), the tests skip and say how to run them.

What is trusted, and why: the evaluation (hub/evaluation) builds registry packages inside
its sandbox, because a community plugin's build and plugin code are untrusted. Here the
packages' build backend (hatchling, from PyPI) and their code run unsandboxed in the
throwaway environment, as a reader's `pip install` would run them. That is acceptable for
these two packages only: they are written by fapilog's author and kept in fapilog's own
repository (the source of the library the whole site documents), and the environment is
a temporary folder that nothing else uses; they are never installed into the hub's own
test environment. Do not add a package from anyone else to PACKAGES.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock
from uv import find_uv_bin

import test_examples
from hub.catalog import registry
from hub.evaluation import sources
from hub.project import pinned_fapilog_version
from support import ROOT, venv_python
from test_examples import check_example

PROGRAMS = sorted((ROOT / "examples" / "companions").glob("*.py"))
PACKAGES = ("fapilog-audit", "fapilog-tamper")  # fapilog's author's own; see the docstring
INSTALL_TIMEOUT_S = 600
RUN_TIMEOUT_S = 120


def install_url(package: str) -> str:
    path = registry.REGISTRY_DIR / "plugins" / f"{package}.yml"
    entry, problems = registry.check_file(path, path.name)
    assert entry is not None and not problems, f"{path}: {problems}"
    assert entry.install_url, f"{path} has no install_url to install {package} from"
    return str(entry.install_url)


def how_to_run() -> str:
    """The HUB_SOURCE_MIRRORS value that makes these tests run, with placeholder folders."""
    mirrors = {install_url(p): f"/path/to/fapilog/packages/{p}" for p in PACKAGES}
    return (
        f"set {sources.MIRRORS_VARIABLE}='{json.dumps(mirrors)}' (folders holding fapilog's packages/{{name}}, "
        'optionally {"folder": ..., "commit": ...}; see docs/catalog/quality.md)'
    )


def run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=INSTALL_TIMEOUT_S)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"


def build(folder: Path) -> dict:
    """The environment's record: its interpreter, the sources installed and how long it took,
    or why it could not be built."""
    start = time.monotonic()
    try:
        found = [sources.resolve(install_url(p), folder / "cache") for p in PACKAGES]
    except sources.SourceUnavailable as exc:
        return {"skip": f"fapilog's companion packages are not reachable: {exc}. To run these examples, {how_to_run()}"}
    uv = find_uv_bin()
    venv = folder / "venv"
    run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
    python = venv_python(venv)
    run(
        [uv, "pip", "install", "--quiet", "--python", str(python), f"fapilog=={pinned_fapilog_version()}"]
        + [str(source.folder) for source in found]
    )
    return {
        "python": str(python),
        "sources": [source.record() for source in found],
        "seconds": round(time.monotonic() - start, 1),
    }


@pytest.fixture(scope="session")
def companions_python(shared_tmp: Path) -> Path:
    """The interpreter of the environment holding fapilog and the companion packages."""
    folder = shared_tmp / "companions"
    done = shared_tmp / "companions.json"
    with FileLock(shared_tmp / "companions.lock"):
        if not done.exists():
            folder.mkdir(exist_ok=True)
            done.write_text(json.dumps(build(folder)), encoding="utf-8")
        record = json.loads(done.read_text(encoding="utf-8"))
    if "skip" in record:
        pytest.skip(record["skip"])
    return Path(record["python"])


@pytest.fixture
def in_companions_env(companions_python: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """check_example (tests/test_examples.py) runs programs with that interpreter."""

    def run_example(path: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", **(extra_env or {})}
        return subprocess.run(
            [str(companions_python), str(path)],
            cwd=path.parent,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=RUN_TIMEOUT_S,
            env=env,
        )

    monkeypatch.setattr(test_examples, "run_example", run_example)


def test_companion_examples_exist():
    assert PROGRAMS, "examples/companions/ holds no programs: nothing would be checked"


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_companion_example_runs_and_matches_expected_output(path: Path, in_companions_env: None):
    check_example(path)


def test_a_wrong_expected_output_fails_with_a_diff_naming_the_file(
    tmp_path: Path, in_companions_env: None, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(test_examples, "UPDATE_GOLDENS", False)  # compare, even when rewriting the others
    program = tmp_path / "companions" / "audit_trail.py"
    program.parent.mkdir()
    source = ROOT / "examples" / "companions" / "audit_trail.py"
    program.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    golden = source.with_suffix(".out").read_text(encoding="utf-8")
    assert "records: 4\n" in golden
    program.with_suffix(".out").write_text(golden.replace("records: 4\n", "records: 5\n"), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_example(program)
    message = str(failure.value)
    assert "companions/audit_trail.py: output differs from audit_trail.out" in message
    assert "-records: 5" in message and "+records: 4" in message
