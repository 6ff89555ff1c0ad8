"""hub.contributors reads people from real git history: authors, co-authors, renames, bots.

Each test builds a throwaway git repository with commits by known identities, so the
expected list is known exactly, and reads it back the way the build does.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from hub import contributors


def commit(repo: Path, name: str, email: str, message: str, day: str) -> None:
    (repo / "file.txt").write_text(f"{message}\n", encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_NAME": "Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.org",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    subprocess.run(["git", "add", "file.txt"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    commit(tmp_path, "Ada Lovelace", "ada@example.org", "first page", "2026-01-02")
    commit(
        tmp_path,
        "Grace Hopper",
        "12345+grace@users.noreply.github.com",
        "fix a link\n\nCo-authored-by: Ada Lovelace <ADA@example.org>\nCo-authored-by: Alan Turing <alan@example.org>",
        "2026-02-03",
    )
    commit(
        tmp_path, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "bump mkdocs", "2026-02-04"
    )
    commit(tmp_path, "Ada King", "ada@example.org", "second page", "2026-03-04")  # same address, new name
    return tmp_path


def test_authors_and_co_authors_are_counted_once_per_address(repo: Path):
    history = contributors.read_history(repo)
    assert history.error is None and history.commits == 4 and history.shallow is False
    people = {p.name: (p.commits, p.co_authored, p.first, p.last) for p in history.contributors}
    assert people == {
        "Ada King": (2, 1, date(2026, 1, 2), date(2026, 3, 4)),  # latest name, addresses compared case-insensitively
        "Grace Hopper": (1, 0, date(2026, 2, 3), date(2026, 2, 3)),
        "Alan Turing": (0, 1, date(2026, 2, 3), date(2026, 2, 3)),  # only ever a co-author
    }
    assert [p.name for p in history.contributors] == ["Ada King", "Alan Turing", "Grace Hopper"]  # by total, then name


def test_github_login_comes_only_from_a_noreply_address(repo: Path):
    logins = {p.name: p.github for p in contributors.read_history(repo).contributors}
    assert logins == {"Ada King": None, "Grace Hopper": "grace", "Alan Turing": None}


def test_bots_are_not_people(repo: Path):
    assert all("[bot]" not in p.name for p in contributors.read_history(repo).contributors)


def test_mailmap_merges_identities(repo: Path):
    (repo / ".mailmap").write_text("Ada Lovelace <ada@example.org>\n", encoding="utf-8")
    names = [p.name for p in contributors.read_history(repo).contributors]
    assert "Ada Lovelace" in names and "Ada King" not in names


def test_a_shallow_clone_is_reported(repo: Path, tmp_path_factory: pytest.TempPathFactory):
    clone = tmp_path_factory.mktemp("clone") / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(clone)], check=True)
    history = contributors.read_history(clone)
    assert history.shallow is True and history.commits == 1


def test_no_repository_gives_an_explanation_not_an_empty_list(tmp_path: Path):
    history = contributors.read_history(tmp_path / "not-a-repo-at-all")
    assert history.contributors == [] and history.error and "git history unavailable" in history.error
