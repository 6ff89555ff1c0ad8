"""The hub installs as a regular (non-editable) package: its wheel holds every file it reads.

pyproject.toml's package data is easy to get wrong (a template folder added later, the
probe folder that is not a Python package); an editable install hides the mistake.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from hub.project import ROOT


def test_the_wheel_holds_every_file_of_the_hub_package(tmp_path: Path):
    # Built from a copy of the tracked files only: a build/ or *.egg-info left in the working
    # tree by an earlier build feeds setuptools the old file list and hides the mistake.
    tracked = subprocess.run(["git", "ls-files", "hub"], cwd=ROOT, capture_output=True, text=True, check=True)
    expected = {line for line in tracked.stdout.splitlines() if "__pycache__" not in line}
    source = tmp_path / "source"
    for rel in [*expected, "pyproject.toml", "README.md"]:
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, source / rel)
    # Offline and without build isolation: setuptools comes from the test environment.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", tmp_path, "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = tmp_path.glob("fapilog_hub-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("hub/")}
        archive.extractall(tmp_path / "unpacked")
    assert expected, "git ls-files found nothing under hub/"
    assert sorted(expected - shipped) == [], "pyproject.toml [tool.setuptools.package-data] leaves these out"

    # The unpacked wheel, outside the repository, finds its templates and its probe.
    program = (
        "import hub, hub.blocks, hub.evaluation.runner as r, hub.rendering as t\n"
        "print(hub.__file__)\n"
        "assert (r.PROBE / 'main.py').is_file(), r.PROBE\n"
        "for name in ('catalog/plugin.md.j2', 'evaluation/plugin.html.j2', 'reviews/section.md.j2'):\n"
        "    print(t.environment().get_template(name).filename)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "unpacked"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith(str(tmp_path / "unpacked")) for line in lines), run.stdout
