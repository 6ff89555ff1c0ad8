"""The toolchain is locked: uv.lock fixes every package (transitive ones too) at one version,
the nox sessions install from it, and it is current with pyproject.toml.

`uv lock --check` resolves against the package index (CI reaches it), so it notices a
pyproject.toml edit that the lock does not follow. Dependabot proposes lock updates
(.github/dependabot.yml, ecosystem uv) as pull requests that run every check.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name
from uv import find_uv_bin

from support import ROOT


def uv(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([find_uv_bin(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_lock_is_current_with_pyproject():
    done = uv("lock", "--check")
    assert done.returncode == 0, f"uv.lock is out of date with pyproject.toml: run `uv lock`\n{done.stderr}"


def test_a_pyproject_edit_the_lock_does_not_follow_is_caught(tmp_path: Path):
    # Guards the test above: the same check on a copy whose pyproject.toml gained a dependency.
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            '    "PyYAML==6.0.4",\n', '    "PyYAML==6.0.4",\n    "six",\n', 1
        ),
        encoding="utf-8",
    )
    done = uv("lock", "--check", cwd=tmp_path)
    assert done.returncode != 0 and "needs to be updated" in done.stderr, done.stderr


def test_this_environment_is_the_lock():
    """nox -s test installed exactly the lock's versions of everything the test extra needs."""
    exported = uv("export", "--frozen", "--extra", "test", "--no-emit-project", "--no-hashes", "--no-header")
    assert exported.returncode == 0, exported.stderr
    wanted = {}
    for line in exported.stdout.splitlines():
        requirement, _, marker = line.partition(";")
        requirement = requirement.strip()
        if marker.strip() and not Marker(marker.strip()).evaluate():
            continue  # for another platform or Python
        if requirement and not requirement.startswith(("#", "-")) and "==" in requirement:
            name, version = requirement.split("==")
            wanted[canonicalize_name(name)] = version.strip()
    assert len(wanted) > 100, exported.stdout[:500]
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    differ = {
        name: (version, installed.get(name)) for name, version in wanted.items() if installed.get(name) != version
    }
    assert differ == {}, f"locked -> installed: {differ}"
