"""Python blocks on the site: found whatever their fence, tested, and proving their point.

One job. A `python` block (fenced with three or more backticks or tildes, as
pymdownx.superfences reads it; see hub.checks.sources) on a site page is either

- an include of a tested file (`--8<-- "examples/x.py"`, whose output
  tests/test_examples.py compares), or
- inline code, which tests/test_markdown_blocks.py runs (it finds blocks with
  `find_blocks`, so the two agree on what a block is); and it proves its point with an
  `assert` or with `#>` lines pinning what it prints. A block that only runs proves that
  it does not crash.

A Python block inside a notebook's Markdown cell is run by nothing (nbval runs code
cells), so it is reported too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hub.checks.markdown import ROOT_PAGES, Problem
from hub.checks.sources import PythonSource, Site, Where, included_files, parse_markdown, parse_python, python_blocks

RULE = "python-block"
# Files a block may include because a test runs them: examples by tests/test_examples.py,
# the conformance suite's author example by tests/test_evaluation_conformance.py.
TESTED_INCLUDES = ("examples/", "packages/fapilog-hub-conformance/examples/")
PIN = re.compile(r"^\s*#> ?(?P<text>.*)$")  # `#> printed line` under a print call


@dataclass(frozen=True)
class Block:
    path: Path  # the page
    start_line: int  # the opening fence's line in the page
    source: str  # the body, dedented as the page's Markdown nests it
    markup: str  # the fence, e.g. "```" or "~~~~"


def site_markdown(root: Path) -> list[Path]:
    """The Markdown the site publishes: docs/ and the root files its pages include."""
    return [*sorted((root / "docs").rglob("*.md")), *(root / n for n in ROOT_PAGES if (root / n).is_file())]


def find_blocks(paths: Iterable[Path]) -> list[Block]:
    """Every Python block of the given pages (folders are searched for *.md)."""
    blocks = []
    for given in paths:
        files = sorted(given.rglob("*.md")) if given.is_dir() else [given]
        for path in files:
            doc = parse_markdown(path.name, path.read_text(encoding="utf-8"))
            blocks += [Block(path, f.where.line, f.body, f.markup) for f in python_blocks(doc)]
    return blocks


def pinned_lines(source: str) -> list[str]:
    return [m["text"].rstrip() for line in source.splitlines() if (m := PIN.match(line))]


def proves_nothing(source: str) -> bool:
    """No `assert` statement and no `#>` line: running it shows only that it does not crash."""
    if pinned_lines(source):
        return False
    tree = parse_python(PythonSource(Where("<block>", 1), source, notebook=True))
    return tree is not None and not any(isinstance(node, ast.Assert) for node in ast.walk(tree))


PROVES_NOTHING = (
    "the block proves nothing: add an assert on what it shows, or pin what it prints with #> lines "
    "(docs/community/documentation-standards.md, Code samples)"
)


def check(site: Site) -> list[Problem]:
    published = {p.resolve() for p in site_markdown(site.root)}
    problems = []
    for doc in site.markdown:
        for fence in python_blocks(doc):
            if doc.start.cell:
                problems.append(
                    fence.where.problem(
                        RULE, "a Python block in a Markdown cell is run by nothing; make it a code cell"
                    )
                )
                continue
            if (site.root / doc.path).resolve() not in published:
                continue  # a package README: read on GitHub, not published or run by the site
            includes = included_files(fence.body)
            if includes is not None:
                for path in includes:
                    if not path.startswith(TESTED_INCLUDES):
                        problems.append(
                            fence.where.problem(RULE, f"includes {path}, which no test runs; put it in examples/")
                        )
            elif proves_nothing(fence.body):
                problems.append(fence.where.problem(RULE, PROVES_NOTHING))
    return problems
