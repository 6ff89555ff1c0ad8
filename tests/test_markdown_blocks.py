"""Every Python block a reader can copy from a Markdown page has run.

A block is either an include of a tested file (`--8<-- "examples/x.py"`, run by
tests/test_examples.py) or inline code, which pytest-examples executes here; printed
output can be pinned with `#>` comments under the print call. Failures point at the
Markdown file and line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples
from support import ROOT

# HUB_MARKDOWN_ROOTS lets tests/test_checks_fail.py point this very check at a broken page.
MARKDOWN_ROOTS = [Path(p) for p in os.environ.get("HUB_MARKDOWN_ROOTS", "").split(os.pathsep) if p] or [
    ROOT / "docs",
    ROOT / "README.md",
]
INCLUDE = re.compile(r'^-{2}8<-{2}\s+"(?P<path>[^"]+)"$')
# The conformance suite's author example is run by tests/test_evaluation_units.py, with
# the suite's package on its path.
TESTED_INCLUDES = ("examples/", "packages/fapilog-hub-conformance/examples/")

BLOCKS = list(find_examples(*(str(p) for p in MARKDOWN_ROOTS)))


def block_id(example: CodeExample) -> str:
    try:
        rel = example.path.relative_to(ROOT).as_posix()
    except ValueError:
        rel = example.path.name
    return f"{rel}:{example.start_line}"


def test_markdown_pages_have_python_blocks():
    assert BLOCKS, f"no Python blocks found under {MARKDOWN_ROOTS}: nothing would be checked"


@pytest.mark.parametrize("example", BLOCKS, ids=block_id)
def test_python_block_runs(example: CodeExample, eval_example: EvalExample):
    lines = [line.strip() for line in example.source.strip().splitlines() if line.strip()]
    includes = [INCLUDE.match(line) for line in lines]
    where = block_id(example)
    if any(includes):
        assert all(includes), f"{where}: a block either includes a tested file or holds inline code, not both"
        for match in includes:
            path = match["path"]
            assert path.startswith(TESTED_INCLUDES), f"{where}: includes {path}, which no test runs; put it in examples/"
            assert (ROOT / path).is_file(), f"{where}: includes {path}, which does not exist"
        return
    eval_example.run_print_check(example)
