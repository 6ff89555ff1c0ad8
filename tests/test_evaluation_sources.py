"""Packages that are not on PyPI: fetched from their git URL (or a mirror) and built into a
wheel inside the sandbox, because their build code is as untrusted as their plugin code.

Real git (a repository made here, cloned over file://), real uv, a real pip build in
bubblewrap; the build backend comes from PyPI as a wheel.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

if sys.platform != "linux":
    pytest.skip("the evaluation sandbox needs Linux (bubblewrap)", allow_module_level=True)

from hub.evaluation import runner, sources, venvs
from hub.project import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "plugins"


def git_repository(tmp_path: Path, package: str) -> tuple[str, str]:
    """A real git repository holding `package` under packages/; its install URL and commit."""
    repo = tmp_path / "upstream"
    shutil.copytree(FIXTURES / package, repo / "packages" / package)
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    return f"git+file://{repo}#subdirectory=packages/{package}", commit


def test_a_git_source_is_cloned_built_in_the_sandbox_and_recorded(tmp_path):
    url, commit = git_repository(tmp_path, "hub-fixture-good")
    source = sources.resolve(url, tmp_path / "cache")
    assert source.record() == {
        "url": url,
        "obtained": "git clone",
        "commit": commit,
        "digest": venvs.tree_digest(FIXTURES / "hub-fixture-good"),
    }
    wheel = venvs.build_wheel_contained(source.folder, runner.DEFAULT_CACHE)
    assert wheel.name.startswith("hub_fixture_good-0.1.0-") and wheel.suffix == ".whl"


def test_a_mirror_stands_in_for_an_unreachable_url(tmp_path, monkeypatch):
    url = "git+https://unreachable.invalid/o/r#subdirectory=packages/hub-fixture-good"
    folder = FIXTURES / "hub-fixture-good"
    monkeypatch.setenv(sources.MIRRORS_VARIABLE, json.dumps({url: {"folder": str(folder), "commit": "abc123"}}))
    source = sources.resolve(url, tmp_path)
    assert (source.folder, source.obtained, source.commit) == (folder, f"mirror {folder}", "abc123")
    monkeypatch.delenv(sources.MIRRORS_VARIABLE)
    with pytest.raises(sources.SourceUnavailable, match="could not be cloned.*HUB_SOURCE_MIRRORS"):
        sources.resolve(url, tmp_path)


def test_a_malformed_mirror_setting_says_how_to_write_it(monkeypatch):
    monkeypatch.setenv(sources.MIRRORS_VARIABLE, "not json")
    with pytest.raises(sources.SourceUnavailable, match="JSON object"):
        sources.mirrors()


def test_hostile_build_code_is_contained(tmp_path):
    source = FIXTURES / "hub-fixture-build-escape"
    with pytest.raises(venvs.VenvError) as failed:
        venvs.build_wheel_contained(source, runner.DEFAULT_CACHE)
    said = str(failed.value)
    assert "build refused on purpose" in said  # its code ran, inside the sandbox ...
    attempts = [line.strip() for line in said.splitlines() if line.strip().startswith("ESCAPE ")]
    assert len(attempts) == 4, said  # ... it found the repository and tried every target ...
    assert all(" DENIED " in line for line in attempts), attempts
    for line in attempts:  # ... and nothing it wrote exists
        assert not Path(line.split()[1]).exists()


def test_the_site_build_describes_git_sources_without_fetching(monkeypatch):
    from hub.catalog import registry
    from hub.evaluation import plan

    def no_fetch(*args, **kwargs):
        raise AssertionError("the build must never fetch a source")

    monkeypatch.setattr(sources, "resolve", no_fetch)
    entries = {e.package: e for e in registry.load_valid().values()}
    [target] = plan.registry_targets(entries["fapilog-audit"])  # what pages.targets() asks for
    assert (target.plugin_id, target.contained_build, target.source) == ("sink/audit", True, None)
    assert target.requirement == "git+https://github.com/chris-haste/fapilog#subdirectory=packages/fapilog-audit"
