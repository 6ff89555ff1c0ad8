"""hub.notebooks: finding notebooks, refusing unpublishable ones, launch links."""

from __future__ import annotations

import nbformat
import pytest

from hub.notebooks import NotebookError, check_publishable, find_notebooks, launch_links


def save(path, cells):
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_finds_notebooks_in_both_folders_and_skips_checkpoints(tmp_path):
    for rel in ["tutorials/01-a.ipynb", "notebooks/demo.ipynb", "tutorials/.ipynb_checkpoints/01-a-checkpoint.ipynb"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        save(tmp_path / rel, [])
    found = [p.relative_to(tmp_path).as_posix() for p in find_notebooks(tmp_path)]
    assert found == ["tutorials/01-a.ipynb", "notebooks/demo.ipynb"]


def test_refuses_a_stored_error_naming_file_and_cell(tmp_path):
    error = nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[])
    path = save(
        tmp_path / "nb.ipynb",
        [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("f()", execution_count=1, outputs=[error])],
    )
    # Cell 0: nbval counts code cells only, and the Markdown cell before it is not one.
    with pytest.raises(NotebookError, match=r"nb.ipynb: Cell 0 \('f\(\)'\) stored an error \(ValueError: bad\)"):
        check_publishable(path, root=tmp_path)


def test_refuses_an_unrun_code_cell(tmp_path):
    path = save(tmp_path / "nb.ipynb", [nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(NotebookError, match=r"nb.ipynb: Cell 0 \('x = 1'\) has no stored run"):
        check_publishable(path, root=tmp_path)


def test_accepts_an_executed_notebook_and_ignores_empty_cells(tmp_path):
    path = save(
        tmp_path / "nb.ipynb", [nbformat.v4.new_code_cell("x = 1", execution_count=1), nbformat.v4.new_code_cell("")]
    )
    check_publishable(path, root=tmp_path)


def test_refuses_a_file_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(NotebookError, match="not a readable notebook"):
        check_publishable(path, root=tmp_path)


def test_launch_links_point_at_the_notebook_in_the_repository():
    links = launch_links("tutorials/01-first-steps.ipynb", "fapilog/fapilog-hub")
    assert links.download == "01-first-steps.ipynb"
    assert (
        links.colab
        == "https://colab.research.google.com/github/fapilog/fapilog-hub/blob/main/tutorials/01-first-steps.ipynb"
    )
    assert links.binder == "https://mybinder.org/v2/gh/fapilog/fapilog-hub/main?labpath=tutorials/01-first-steps.ipynb"
