"""Hostile and careless registry and review files: each ends as one clear problem (file,
field, fix) within seconds, with bounded memory and output, and never hides the others.

The bad files are generated here (the large ones would bloat the repository), from a copy
of a real entry, and checked by the real command a contributor runs:
`python -m hub.catalog check DIR`, with HUB_REVIEWS_DIR pointing at the review files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import yaml

from support import ROOT

GOOD = (ROOT / "registry" / "plugins" / "fapilog-sqlite.yml").read_text(encoding="utf-8")
REVIEW = """plugin: sink/stdout_json
reviewer: octocat
date: 2026-11-26
plugin_version: 0.18.1
fapilog_version: 0.18.1
workload:
  events_per_second: 500
  deployment: kubernetes
rating: 4
text: Worked as documented in our cluster for a month, no lost events.
source: https://github.com/fapilog/fapilog-hub/issues/1
"""


def entry(package: str, **changes: object) -> str:
    data = yaml.safe_load(GOOD)
    data["package"] = package
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False)


def bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# file name -> (content, what its one problem must say)
HOSTILE = {
    "alias-bomb.yml": (bomb(), "alias"),
    "deep-list.yml": ("package: deep-list\nplugins: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 32"),
    "deep-map.yml": ("".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n", "nested more than 32"),
    "mixed-keys.yml": (entry("mixed-keys") + "1: one\n", "not text"),
    "list-key.yml": ("? [a, b]\n: value\npackage: list-key\n", "key that is a list"),
    "duplicate-key.yml": (entry("duplicate-key") + "license: MIT\n", "appears twice: at line"),
    "huge-description.yml": (entry("huge-description", description="word " * 400_000), "bytes, more than the 256 KB"),
    "long-value.yml": (entry("long-value", repository="ftp://" + "x" * 200_000), "is 200,006 characters long"),
    "bad-tag.yml": (entry("bad-tag", tags=["Not A Tag!"]), "lowercase tags (letters, digits, dashes)"),
    "unknown-exemption.yml": (
        entry(
            "unknown-exemption",
            plugins=[{"type": "sink", "name": "x", "evaluation": {"exemptions": {"no_such_rule": "x" * 30}}}],
        ),
        "unknown tier rule 'no_such_rule'",
    ),
}
UNREAD = {"Shouty.YML": entry("shouty"), "notes.yml.txt": entry("notes")}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    plugins = tmp_path_factory.mktemp("plugins")
    reviews = tmp_path_factory.mktemp("reviews")
    (plugins / "fapilog-sqlite.yml").write_text(GOOD, encoding="utf-8")  # a good entry stays good
    for name, (content, _) in HOSTILE.items():
        (plugins / name).write_text(content, encoding="utf-8")
    for name, content in UNREAD.items():
        (plugins / name).write_text(content, encoding="utf-8")
    # Both kinds of problem in one file: a bad URL (schema) and a bad version range (model).
    both = yaml.safe_load(entry("two-rounds"))
    both["repository"] = "ftp://example.org/x"
    both["compatibility"]["fapilog"] = ">=banana"
    (plugins / "two-rounds.yml").write_text(yaml.safe_dump(both, sort_keys=False), encoding="utf-8")
    folder = reviews / "sink" / "stdout_json"
    folder.mkdir(parents=True)
    for i in range(10):
        (folder / f"bad-{i}.yml").write_text(REVIEW.replace("rating: 4", f"rating: {10 + i}"), encoding="utf-8")
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "hub.catalog", "check", str(plugins)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HUB_REVIEWS_DIR": str(reviews)},
    )
    return run, time.monotonic() - started


def test_the_check_fails_fast_with_bounded_output(checked):
    run, seconds = checked
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert seconds < 30
    assert len(run.stdout) < 20_000  # a 2 MB description is not echoed back


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_is_one_clear_problem(checked, name):
    run, _ = checked
    lines = [line for line in run.stdout.splitlines() if line.startswith(f"{name}:") or f"/{name}:" in line]
    assert lines, f"{name} not reported:\n{run.stdout[-3000:]}"
    assert any(HOSTILE[name][1] in line for line in lines), lines
    assert all("Fix:" in line for line in lines)


@pytest.mark.parametrize("name", sorted(UNREAD))
def test_a_file_the_registry_would_not_read_is_reported(checked, name):
    run, _ = checked
    assert any(name in line and "is not read" in line for line in run.stdout.splitlines()), run.stdout[-2000:]


def test_schema_and_model_problems_come_in_one_run(checked):
    run, _ = checked
    mine = [line for line in run.stdout.splitlines() if "two-rounds.yml" in line]
    assert any("repository" in line for line in mine) and any("compatibility.fapilog" in line for line in mine), mine


def test_review_files_are_checked_in_the_same_run(checked):
    run, _ = checked
    reported = {line.split(":", 1)[0] for line in run.stdout.splitlines() if "/reviews" in line.split(":", 1)[0]}
    assert len(reported) == 10, run.stdout[-3000:]
    assert "registry OK" not in run.stdout


def test_the_good_entry_beside_them_is_not_blamed(checked):
    run, _ = checked
    lines = run.stdout.splitlines()
    assert not [line for line in lines if line.startswith("fapilog-sqlite.yml") or "/fapilog-sqlite.yml:" in line]
