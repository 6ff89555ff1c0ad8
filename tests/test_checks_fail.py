"""The checks check themselves: each kind of breakage fails its check with a message that
names the file (and the cell or line).

Each test breaks something in a temporary copy and runs the real check on it, the way CI
would: nbval in a pytest subprocess, the examples runner, the Markdown-block check in a
pytest subprocess, and the strict MkDocs build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from support import ROOT, build_site
from test_examples import check_example

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_pytest(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    result.stdout = ANSI.sub("", result.stdout)
    return result


def nbval(notebook: Path) -> subprocess.CompletedProcess[str]:
    """nbval exactly as `nox -s notebooks` runs it, rooted at the notebook's folder."""
    sanitize = ROOT / "tests" / "sanitize.cfg"
    return run_pytest(
        [
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(sanitize),
            "--rootdir",
            ".",
            "-c",
            os.devnull,
            notebook.name,
        ],
        cwd=notebook.parent,
    )


def write_notebook(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_cell_fails_nbval_naming_file_and_cell(tmp_path):
    notebook = write_notebook(
        tmp_path / "broken-cell.ipynb",
        [
            nbformat.v4.new_code_cell("x = 1", execution_count=1),
            nbformat.v4.new_code_cell("raise RuntimeError('boom')", execution_count=2),
        ],
    )
    result = nbval(notebook)
    assert result.returncode == 1, result.stdout
    assert "FAILED broken-cell.ipynb::Cell 1" in result.stdout
    assert "RuntimeError" in result.stdout


def test_a_stale_stored_output_fails_nbval_naming_file_and_cell(tmp_path):
    stale = nbformat.v4.new_output("stream", name="stdout", text="3\n")  # the code prints 2
    notebook = write_notebook(
        tmp_path / "stale-output.ipynb",
        [nbformat.v4.new_code_cell("print(1 + 1)", execution_count=1, outputs=[stale])],
    )
    result = nbval(notebook)
    assert result.returncode == 1, result.stdout
    assert "FAILED stale-output.ipynb::Cell 0" in result.stdout
    assert "Cell outputs differ" in result.stdout


def test_the_real_notebooks_pass_the_same_nbval_invocation(tmp_path):
    # Guards the two tests above: the invocation they use accepts a healthy notebook.
    healthy = tmp_path / "01-first-steps.ipynb"
    shutil.copy(ROOT / "tutorials" / "01-first-steps.ipynb", healthy)
    result = nbval(healthy)
    assert result.returncode == 0, result.stdout


def test_an_example_that_raises_fails_naming_the_file(tmp_path):
    example = tmp_path / "examples" / "raises.py"
    example.parent.mkdir()
    example.write_text("raise SystemExit('bad configuration')\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_example(example)
    message = str(failure.value)
    assert "examples/raises.py exited with status 1" in message
    assert "bad configuration" in message


def test_an_example_whose_output_changed_fails_with_a_diff(tmp_path):
    example = tmp_path / "examples" / "drifted.py"
    example.parent.mkdir()
    example.write_text("print('hello, world')\n", encoding="utf-8")
    example.with_suffix(".out").write_text("hello\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_example(example)
    assert "examples/drifted.py: output differs from drifted.out" in str(failure.value)
    assert "+hello, world" in str(failure.value)


def test_a_failing_markdown_block_fails_naming_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nSome text.\n\n```python\nimport fapilog\n\n1 / 0\n```\n", encoding="utf-8")
    result = run_pytest(
        [str(ROOT / "tests" / "test_markdown_blocks.py"), "--rootdir", str(ROOT)],
        cwd=ROOT,
        env={"HUB_MARKDOWN_ROOTS": str(page)},
    )
    assert result.returncode == 1, result.stdout
    assert "ZeroDivisionError" in result.stdout
    assert "page.md:5: the block failed" in result.stdout  # where the block starts
    assert 'page.md", line 8' in result.stdout  # the failing line, as the page numbers it


def test_a_broken_link_fails_the_strict_build_naming_the_page(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / "getting-started.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](no-such-page.md).\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - hub/mkdocs_hooks.py", f"  - {(ROOT / 'hub' / 'mkdocs_hooks.py').as_posix()}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {(ROOT / 'overrides').as_posix()}")
    text = re.sub(r"(?m)^watch:\n(  - .*\n)+", "", text)
    config.write_text(f"docs_dir: {docs.as_posix()}\n" + text, encoding="utf-8")
    build = build_site(tmp_path / "site", config=config)
    assert build.returncode != 0
    assert "getting-started.md" in build.log and "no-such-page.md" in build.log, build.log
