"""The docs linter passes on this repository and flags each kind of defect at its file and line.

Each defect test writes a small repository (the real linter configuration files plus one
broken page) into a temporary folder and lints it, so a rule switched off in
`.pymarkdown.yml` or `.codespellrc`, or a check dropped from hub/docs_lint.py, fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hub import docs_lint
from support import ROOT

GOOD_PAGE = """---
title: A page
description: A page that passes every check.
---

# A page

Some prose with a link to [the example site](https://example.org/).

## A section

```python
assert "hello".upper() == "HELLO"
```
"""


def make_repo(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name in (docs_lint.PYMARKDOWN_CONFIG, docs_lint.CODESPELL_CONFIG):
        shutil.copy(ROOT / name, tmp_path / name)
    for rel, text in pages.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return tmp_path


def problems_in(tmp_path: Path, text: str, name: str = "docs/page.md") -> list[docs_lint.Problem]:
    return docs_lint.lint(make_repo(tmp_path, {name: text}))


def test_this_repository_passes_the_docs_linter():
    problems = docs_lint.lint()
    assert problems == [], "\n".join(map(str, problems))


def test_a_good_page_passes(tmp_path):
    assert problems_in(tmp_path, GOOD_PAGE) == []


@pytest.mark.parametrize(
    ("page", "line", "rule"),
    [
        pytest.param(GOOD_PAGE.replace("title: A page\n", ""), 1, "front-matter", id="missing title"),
        pytest.param(
            GOOD_PAGE.replace("description: A page that passes every check.", "description: ''"),
            3,
            "front-matter",
            id="empty description",
        ),
        pytest.param(GOOD_PAGE.split("---\n", 2)[2], 1, "front-matter", id="no front matter"),
        pytest.param(GOOD_PAGE.replace("```python", "```"), 12, "MD040", id="fence without language"),
        pytest.param(
            GOOD_PAGE + '\n=== "Tab"\n\n    ```\n    x = 1\n    ```\n',
            18,
            "MD040",
            id="fence without language inside a content tab",
        ),
        pytest.param(GOOD_PAGE.replace("## A section", "### A section"), 10, "MD001", id="heading skips a level"),
        pytest.param(
            GOOD_PAGE.replace("[the example site](https://example.org/)", "https://example.org/"),
            8,
            "MD034",
            id="bare URL",
        ),
        pytest.param(
            GOOD_PAGE.replace("(https://example.org/).", "(https://example.org/).   "), 8, "MD009", id="trailing spaces"
        ),
        pytest.param(
            GOOD_PAGE.replace("Some prose", "Some prose that is definately wrong"), 8, "spelling", id="misspelling"
        ),
    ],
)
def test_each_defect_is_flagged_at_its_file_and_line(tmp_path, page, line, rule):
    problems = problems_in(tmp_path, page)
    found = [(p.path, p.line, p.rule) for p in problems]
    assert ("docs/page.md", line, rule) in found, found


def test_admonition_bodies_are_read_as_markdown_not_code(tmp_path):
    page = GOOD_PAGE + '\n!!! note "A note"\n    A bare https://example.org/ inside the note.\n'
    found = [(p.line, p.rule) for p in problems_in(tmp_path, page)]
    assert (17, "MD034") in found, found


def test_misspelling_in_a_notebook_and_a_missing_notebook_title(tmp_path):
    notebook = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["Intro with a tpyo: recieve\n"]}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    repo = make_repo(tmp_path, {"notebooks/demo.ipynb": json.dumps(notebook, indent=1)})
    found = {(p.path, p.rule) for p in docs_lint.lint(repo)}
    assert ("notebooks/demo.ipynb", "notebook-title") in found
    assert ("notebooks/demo.ipynb", "spelling") in found


def test_the_view_keeps_line_numbers():
    page = 'a\n\n=== "T"\n\n    ```\n    x\n    ```\n\n::: mod.obj\n    options:\n      k: v\n\nb\n'
    view = docs_lint.mkdocs_view(page)
    assert view.count("\n") == page.count("\n")
    assert view.splitlines()[4] == "```"


def test_the_command_line_names_file_and_line_and_fails(tmp_path):
    repo = make_repo(tmp_path, {"docs/page.md": GOOD_PAGE.replace("```python", "```")})
    result = subprocess.run(
        [sys.executable, "-m", "hub.docs_lint", str(repo)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode == 1
    assert "docs/page.md:12: MD040" in result.stdout
