"""Every notebook runs on its own, as a reader who downloads it (or opens it in Colab) would.

The site offers each notebook for download, in Colab and on Binder. A downloaded notebook
has no repository beside it, so its first code cell (tagged "hub-install") installs what
it needs. Checked here:

- cheap, for every notebook: the cell has the exact hub-install form with pinned
  requirements that match the test environment; in the test environment it installs
  nothing and prints nothing (nbval compares every output); every import in the code
  cells is the standard library, a requirement of the cell, a dependency of one, or a
  module the notebook writes itself;
- Binder's environment (binder/requirements.txt) holds every requirement of every cell;
- slow (`slow_download`): each notebook, copied alone into a folder outside the
  repository, runs top to bottom in a kernel on a fresh `python -m venv` that has only
  ipykernel, starting from the hub-install cell. The cell's pip installs from a folder of
  wheels that pip downloaded from the package index once for all the cells
  (.cache/notebook-downloads/wheels, kept between runs): the files a reader's pip gets from
  PyPI, without every notebook querying the index again. One test per notebook, so that
  pytest-xdist runs them on every core.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from hub import notebook_env
from hub.notebooks import find_notebooks, launch_links
from hub.project import ROOT

NOTEBOOKS = find_notebooks()
IDS = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]
# Notebooks whose hub-install cell has not landed yet (the other helpers add one notebook
# at a time). Strict: a listed notebook that passes fails the run, so the list shrinks.
MISSING_CELL: dict[str, str] = {}
PIP_CACHE = ROOT / ".cache" / "notebook-downloads" / "pip"
WHEELHOUSE = ROOT / ".cache" / "notebook-downloads" / "wheels"


def marked(ids: list[str], *marks: pytest.MarkDecorator) -> list:
    params = []
    for rel in ids:
        extra = [pytest.mark.xfail(strict=True, reason=MISSING_CELL[rel])] if rel in MISSING_CELL else []
        params.append(pytest.param(rel, id=rel, marks=[*marks, *extra]))
    return params


def test_every_notebook_is_checked():
    assert IDS, "no notebooks found"
    assert set(MISSING_CELL) <= set(IDS), (
        f"MISSING_CELL names notebooks that do not exist: {set(MISSING_CELL) - set(IDS)}"
    )


@pytest.mark.parametrize("rel", marked(IDS))
def test_install_cell_is_pinned_to_the_test_environment(rel: str):
    found = notebook_env.needs(ROOT / rel, rel)
    provided = notebook_env.providers()
    problems = []
    for module, requirement in found.items():
        req = Requirement(requirement)
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement}: not installed in the test environment (pyproject.toml)")
            continue
        if not req.specifier.contains(installed, prereleases=True):
            problems.append(f"{requirement}: the test environment (nbval) has {req.name} {installed}")
        if canonicalize_name(req.name) not in provided.get(module.split(".")[0], set()):
            problems.append(f"{module!r} -> {requirement}: {req.name} does not provide the module {module!r}")
    assert not problems, f"{rel}, hub-install cell:\n" + "\n".join(problems)


# Run before the cell in a child of this interpreter (the one nbval runs notebooks in): pip's
# launch is refused instead of run, so that a missing module cannot change this environment.
REFUSE_PIP = """
import subprocess, sys
def _refuse(*args, **kwargs):
    sys.exit(f"would install: {args}")
subprocess.check_call = _refuse
"""


@pytest.mark.parametrize("rel", marked(IDS))
def test_install_cell_does_nothing_in_the_test_environment(rel: str):
    cell = notebook_env.install_cell(ROOT / rel, rel)
    done = subprocess.run(
        [sys.executable, "-c", REFUSE_PIP + cell.source], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, f"{cell.where(rel)} in the test environment: {done.stderr}"
    assert (done.stdout, done.stderr) == ("", ""), f"{cell.where(rel)} printed: {done.stdout!r} {done.stderr!r}"


@pytest.mark.parametrize("rel", marked(IDS))
def test_every_import_is_installed_by_the_install_cell(rel: str):
    problems = notebook_env.uncovered_imports(ROOT / rel, rel)
    assert not problems, "\n".join(problems)


def test_binder_environment_holds_every_install_cell_requirement():
    """Binder reads binder/ (and then ignores the repository root, whose pyproject.toml is
    the site's, not the notebooks'): requirements.txt for pip, runtime.txt for Python."""
    binder = ROOT / "binder"
    lines = [ln.split("#")[0].strip() for ln in (binder / "requirements.txt").read_text().splitlines()]
    pinned = {canonicalize_name(r.name): r for r in map(Requirement, filter(None, lines))}
    assert "fapilog" in pinned and str(pinned["fapilog"].specifier) == "==0.18.1", pinned.get("fapilog")
    problems = []
    for req in pinned.values():
        installed = metadata.version(req.name)
        if not req.specifier.contains(installed, prereleases=True) or len(req.specifier) != 1:
            problems.append(f"binder/requirements.txt: {req} (the test environment has {installed}; pin it ==)")
    for rel in IDS:
        if rel in MISSING_CELL:
            continue
        for requirement in notebook_env.needs(ROOT / rel, rel).values():
            need = Requirement(requirement)
            have = pinned.get(canonicalize_name(need.name))
            if have is None or have.specifier != need.specifier or not need.extras <= have.extras:
                problems.append(f"{rel} needs {need}; binder/requirements.txt has {have}")
    runtime = (binder / "runtime.txt").read_text().strip()
    if runtime != f"python-{sys.version_info.major}.{sys.version_info.minor}":
        problems.append(f"binder/runtime.txt says {runtime!r}; the notebooks are verified on {sys.version.split()[0]}")
    assert not problems, "\n".join(problems)


def test_every_notebook_page_says_what_its_first_cell_installs(built_site):
    for rel in IDS:
        if rel in MISSING_CELL:
            continue
        html = (built_site.site_dir / Path(rel).with_suffix("") / "index.html").read_text(encoding="utf-8")
        start = html.find('<p class="hub-notebook-bar__install">')
        assert start != -1, f"{rel}: the page does not say what the first cell installs"
        note = html[start : html.index("</p>", start)]
        for requirement in notebook_env.needs(ROOT / rel, rel).values():
            assert f"<code>{requirement}</code>" in note, f"{rel}: {requirement} missing from {note!r}"


# The checks fail where they should (planted mistakes) ---------------------------------------

CELL = "\n".join(notebook_env.TEMPLATE).replace(notebook_env.NEEDS_LINE, "{needs}")
NEEDS = "_NEEDS = {{{}}}  # import name -> pinned requirement"
FAPILOG = NEEDS.format('"fapilog": "fapilog==0.18.1"')


def notebook(tmp_path: Path, *sources: str, tags: tuple[str, ...] = ("hub-install",)) -> Path:
    cells = [nbformat.v4.new_code_cell(src) for src in sources]
    cells[0].metadata["tags"] = list(tags)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"), *cells]), path)
    return path


def test_refuses_a_first_cell_without_the_tag(tmp_path: Path):
    path = notebook(tmp_path, CELL.format(needs=FAPILOG), tags=())
    with pytest.raises(notebook_env.NotebookEnvError, match=r"nb.ipynb: Cell 0 .* not tagged 'hub-install'"):
        notebook_env.needs(path, "nb.ipynb")


def test_refuses_an_unpinned_requirement_and_a_changed_line(tmp_path: Path):
    path = notebook(tmp_path, CELL.format(needs=NEEDS.format('"fapilog": "fapilog>=0.18"')))
    with pytest.raises(notebook_env.NotebookEnvError, match=r"Cell 0, line 4 .*'fapilog>=0.18' is not pinned"):
        notebook_env.needs(path, "nb.ipynb")
    changed = CELL.format(needs=FAPILOG).replace("--quiet", "-q")
    with pytest.raises(notebook_env.NotebookEnvError, match=r"Cell 0, line 7 .* differs from the hub-install form"):
        notebook_env.needs(notebook(tmp_path, changed), "nb.ipynb")


def test_names_an_import_the_cell_does_not_install(tmp_path: Path):
    path = notebook(
        tmp_path,
        CELL.format(needs=FAPILOG),
        "import json\nimport pydantic  # fapilog's dependency\n%time x = 1\nimport loguru",
        "%%writefile helper.py\nimport structlog",
        'TESTS = """\nimport uvicorn\nfrom helper import x\n"""',
    )
    assert notebook_env.uncovered_imports(path, "nb.ipynb") == [
        "nb.ipynb: Cell 1, line 4 ('import json'): import loguru (loguru) is not installed by _NEEDS",
        "nb.ipynb: Cell 2, line 2 ('%%writefile helper.py'): import structlog (structlog) is not installed by _NEEDS",
        'nb.ipynb: Cell 3, line 2 (\'TESTS = """\'): import uvicorn (uvicorn) is not installed by _NEEDS',
    ]


def test_notebook_page_lists_what_the_first_cell_installs():
    rel = "tutorials/06-fastapi.ipynb"
    needs = tuple(notebook_env.needs(ROOT / rel, rel).values())
    assert launch_links(rel, "fapilog/fapilog-hub").installs == needs and "fapilog[fastapi]==0.18.1" in needs


# Fresh virtual environments ---------------------------------------------------------------


PLANTED = "planted/no-install-cell.ipynb"  # a notebook as tutorials 1 to 9 were before their cell


@pytest.fixture(scope="session")
def wheelhouse(shared_tmp: Path) -> Path:
    """The wheels every install cell asks for, downloaded once per requirement set (shared by
    the xdist workers and kept between runs, like pip's cache)."""
    requirements = [notebook_env.KERNEL_REQUIREMENT]
    for rel in IDS:
        if rel not in MISSING_CELL:
            requirements += notebook_env.needs(ROOT / rel, rel).values()
    PIP_CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(shared_tmp / "notebook-wheelhouse.lock"):
        notebook_env.download_wheelhouse(requirements, WHEELHOUSE, PIP_CACHE)
    return WHEELHOUSE


def run_alone(source: Path, wheelhouse: Path) -> notebook_env.Run:
    """One notebook in a fresh venv in a folder outside the repository; its timings printed (pytest -s)."""
    with tempfile.TemporaryDirectory(prefix="hub-download-") as tmp:
        assert not Path(tmp).resolve().is_relative_to(ROOT), f"{tmp} is inside the repository"
        run = notebook_env.run_downloaded(source, Path(tmp), PIP_CACHE, wheelhouse)
    print(f"\n{run.total:6.1f} s  {source.name}  {run.seconds}")
    return run


# One test per notebook, no shared fixture but the wheelhouse: xdist spreads them over workers.
@pytest.mark.parametrize("rel", marked(IDS, pytest.mark.slow_download))
def test_notebook_runs_when_downloaded(rel: str, wheelhouse: Path):
    if rel in MISSING_CELL:
        pytest.fail(f"{rel}: no hub-install cell: downloaded, it stops at its first import of fapilog")
    run = run_alone(ROOT / rel, wheelhouse)
    assert run.ok, run.failure


@pytest.mark.slow_download
def test_a_notebook_without_its_install_cell_fails_when_downloaded(tmp_path: Path, wheelhouse: Path):
    planted = tmp_path / PLANTED
    planted.parent.mkdir()
    cells = [nbformat.v4.new_code_cell(src) for src in ("import json", "import fapilog")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), planted)
    run = run_alone(planted, wheelhouse)
    assert not run.ok
    assert run.failure.startswith("no-install-cell.ipynb: Cell 1 ('import fapilog') failed"), run.failure
    assert "ModuleNotFoundError: No module named 'fapilog'" in run.failure, run.failure
