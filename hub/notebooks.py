"""Executable notebooks: where they live, whether they are fit to publish, how to launch them.

`tutorials/` holds the ordered learning path (numbered, each building on the last);
`notebooks/` holds stand-alone notebooks (demo kits, recipes) that assume nothing.
Both live outside `docs/` so that Jupyter users open them straight from a clone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hub import notebook_env
from hub.project import ROOT

NOTEBOOK_DIRS = ("tutorials", "notebooks")
SKIP_PARTS = {".ipynb_checkpoints"}


class NotebookError(Exception):
    """A notebook that must not be published; the message names the file and the cell."""


def find_notebooks(root: Path = ROOT) -> list[Path]:
    found = []
    for folder in NOTEBOOK_DIRS:
        for path in sorted((root / folder).rglob("*.ipynb")):
            if not SKIP_PARTS & set(path.parts):
                found.append(path)
    return found


def check_publishable(path: Path, root: Path = ROOT) -> None:
    """Refuse a notebook with unrun code cells or stored errors.

    The build renders stored outputs (it does not execute); nbval re-executes and
    compares them in the tests. A code cell without a stored run would be skipped by
    nbval's comparison, and a stored error would publish a traceback, so both stop
    the build here with the file and the cell number.
    """
    rel = path.relative_to(root).as_posix()
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError) as exc:
        raise NotebookError(f"{rel}: not a readable notebook ({exc})") from exc
    problems = []
    # Named as nbval names them: "Cell N" counts code cells only, from 0 (Markdown cells
    # are not numbered), so a cell named here is the cell nbval names. The cell's first
    # line follows, so it can be found in Jupyter, which shows no numbers.
    for number, cell in enumerate(c for c in cells if c.get("cell_type") == "code"):
        source = "".join(cell.get("source", []))
        if not source.strip():
            continue
        where = f"{rel}: Cell {number} ({first_line(source)!r})"
        if cell.get("execution_count") is None:
            problems.append(f"{where} has no stored run; execute the notebook and commit it with outputs")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                error = f"{output.get('ename')}: {output.get('evalue')}"
                problems.append(f"{where} stored an error ({error}); fix the cell and re-execute")
    if problems:
        raise NotebookError("\n".join(problems))


def first_line(source: str) -> str:
    """A cell's first non-blank line, shortened to 60 characters."""
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


@dataclass(frozen=True)
class LaunchLinks:
    download: str
    colab: str
    binder: str
    source: str
    # What the notebook's first cell (tagged hub-install) installs where it is missing;
    # empty for a notebook without that cell (tests/test_notebook_downloads.py fails it).
    installs: tuple[str, ...] = ()


def launch_links(src_uri: str, slug: str, branch: str = "main", root: Path = ROOT) -> LaunchLinks:
    """Links shown above a notebook page, built from the repository address in mkdocs.yml."""
    try:
        installs = tuple(dict.fromkeys(notebook_env.needs(root / src_uri, src_uri).values()))
    except (notebook_env.NotebookEnvError, OSError, ValueError, KeyError):
        installs = ()
    return LaunchLinks(
        download=Path(src_uri).name,
        colab=f"https://colab.research.google.com/github/{slug}/blob/{branch}/{src_uri}",
        binder=f"https://mybinder.org/v2/gh/{slug}/{branch}?labpath={src_uri}",
        source=f"https://github.com/{slug}/blob/{branch}/{src_uri}",
        installs=installs,
    )
