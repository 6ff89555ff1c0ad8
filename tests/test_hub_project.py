"""hub.project: the facts pages print instead of typing them (the pinned fapilog, the repository's slug)."""

from __future__ import annotations

import pytest

from hub.project import github_slug, installed_fapilog_version, pinned_fapilog_version


def test_pinned_version_is_read_from_the_exact_pin(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["mkdocs==1.6.1", "fapilog[aws,fastapi]==9.8.7"]\n', encoding="utf-8"
    )
    assert pinned_fapilog_version.__wrapped__(pyproject) == "9.8.7"


def test_a_range_instead_of_a_pin_is_refused(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["fapilog>=0.18"]\n', encoding="utf-8")
    with pytest.raises(LookupError, match="no exact 'fapilog==X' pin"):
        pinned_fapilog_version.__wrapped__(pyproject)


def test_the_environment_runs_the_pinned_version():
    assert installed_fapilog_version() == pinned_fapilog_version()


@pytest.mark.parametrize("url", ["https://github.com/a/b", "https://github.com/a/b/", "https://github.com/a/b.git"])
def test_github_slug(url):
    assert github_slug(url) == "a/b"


def test_github_slug_refuses_other_hosts():
    with pytest.raises(ValueError, match="not a https://github.com/owner/name URL"):
        github_slug("https://gitlab.com/a/b")
