"""Every Python block a reader can copy from a Markdown page has run.

A block is either an include of a tested file (`--8<-- "examples/x.py"`, run by
tests/test_examples.py) or inline code, which runs here as a program of its own, as a
reader would paste it. Blocks are found by hub.checks.python_blocks (fences of three or
more backticks or tildes, as pymdownx.superfences reads them, also inside admonitions and
tabs); they are compiled with the page as their file name and their real line numbers, so
a traceback reads `File "docs/page.md", line 42`. Each runs in a process of its own, forked
from an interpreter that has already imported fapilog (tests/warm_python.py says what that
changes; HUB_BLOCKS_COLD=1 starts a new interpreter per block instead). A block proves its
point with `assert`,
or with `#>` comments: when a block has them, what it prints must be exactly those lines,
in order (docs/community/documentation-standards.md promises readers this); a block with
neither fails.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from warm_python import Timeout, Warm

from hub.checks.python_blocks import (
    PROVES_NOTHING,
    TESTED_INCLUDES,
    Block,
    find_blocks,
    pinned_lines,
    proves_nothing,
    site_markdown,
)
from support import ROOT

# HUB_MARKDOWN_ROOTS lets tests/test_checks_fail.py point this very check at a broken page.
MARKDOWN_ROOTS = [Path(p) for p in os.environ.get("HUB_MARKDOWN_ROOTS", "").split(os.pathsep) if p] or site_markdown(
    ROOT
)
INCLUDE = re.compile(r'^-{2}8<-{2}\s+"(?P<path>[^"]+)"$')
TIMEOUT_S = 60
# Runs the block's source (read from stdin) under the page's name: blank lines in front
# of it put each statement on its line number in the page.
RUNNER = "import sys; exec(compile(sys.stdin.read(), sys.argv[1], 'exec'), {'__name__': '__main__'})"

BLOCKS = find_blocks(MARKDOWN_ROOTS)


def block_id(example: Block) -> str:
    try:
        rel = example.path.relative_to(ROOT).as_posix()
    except ValueError:
        rel = example.path.name
    return f"{rel}:{example.start_line}"


def test_markdown_pages_have_python_blocks():
    assert BLOCKS, f"no Python blocks found under {MARKDOWN_ROOTS}: nothing would be checked"


@pytest.fixture(scope="session")
def warm() -> Iterator[Warm | None]:
    """One warm interpreter per test worker (None: start each block cold)."""
    if not Warm.available():
        yield None
        return
    interpreter = Warm()
    yield interpreter
    interpreter.close()


def run_block(example: Block, where: str, warm: Warm | None, scratch: Path) -> None:
    source = "\n" * example.start_line + example.source
    if warm is None:
        result = subprocess.run(
            [sys.executable, "-c", RUNNER, str(example.path)],
            input=source,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            timeout=TIMEOUT_S,
        )
        returncode, stdout, stderr = result.returncode, result.stdout, result.stderr
    else:
        try:
            done = warm.run(source, str(example.path), [str(example.path)], ROOT, scratch, TIMEOUT_S)
        except Timeout:
            pytest.fail(f"{where}: the block did not finish within {TIMEOUT_S} s", pytrace=False)
        returncode, stdout, stderr = done.returncode, done.stdout, done.stderr
    if returncode != 0:
        pytest.fail(f"{where}: the block failed (exit {returncode})\n{stderr}", pytrace=False)
    pinned = pinned_lines(example.source)
    printed = [line.rstrip() for line in stdout.splitlines()]
    if pinned and printed != pinned:
        diff = "\n".join(difflib.unified_diff(pinned, printed, "#> lines", "printed", lineterm=""))
        pytest.fail(f"{where}: printed output differs from the block's #> lines\n{diff}", pytrace=False)


@pytest.mark.parametrize("example", BLOCKS, ids=block_id)
def test_python_block_runs(example: Block, warm: Warm | None, tmp_path: Path):
    lines = [line.strip() for line in example.source.strip().splitlines() if line.strip()]
    includes = [INCLUDE.match(line) for line in lines]
    where = block_id(example)
    if any(includes):
        assert all(includes), f"{where}: a block either includes a tested file or holds inline code, not both"
        for match in includes:
            path = match["path"]
            assert path.startswith(TESTED_INCLUDES), (
                f"{where}: includes {path}, which no test runs; put it in examples/"
            )
            assert (ROOT / path).is_file(), f"{where}: includes {path}, which does not exist"
        return
    if proves_nothing(example.source):
        pytest.fail(f"{where}: {PROVES_NOTHING}", pytrace=False)
    run_block(example, where, warm, tmp_path)
