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
  ipykernel, starting from the hub-install cell. Two notebooks run at a time; pip's cache
  (.cache/notebook-downloads/pip) is shared between them and between runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
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
WORKERS = 2  # the machine has two cores


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


@pytest.fixture(scope="module")
def downloaded_runs(request: pytest.FixtureRequest) -> dict[str, notebook_env.Run]:
    """Run the selected notebooks, two at a time, each in its own fresh venv.

    Wall times per notebook and step are printed (pytest -s) and written to
    .cache/notebook-downloads/last-run.txt. Under pytest-xdist use --dist loadscope (as for
    nbval): with plain --dist load every worker would run the whole batch.
    """
    names = {item.originalname: item for item in request.session.items if hasattr(item, "originalname")}
    selected = [
        item.callspec.params["rel"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_notebook_runs_when_downloaded"
    ]
    # A notebook without its cell would stop at its first import; it fails without spending a venv.
    todo = [rel for rel in selected if rel not in MISSING_CELL]
    # Largest first, so the two workers finish close together.
    todo.sort(key=lambda rel: (ROOT / rel).stat().st_size, reverse=True)
    PIP_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hub-downloads-") as tmp:
        assert not Path(tmp).resolve().is_relative_to(ROOT), f"{tmp} is inside the repository"
        sources = {rel: ROOT / rel for rel in todo}
        if "test_a_notebook_without_its_install_cell_fails_when_downloaded" in names:
            planted = Path(tmp) / PLANTED
            planted.parent.mkdir()
            cells = [nbformat.v4.new_code_cell(src) for src in ("import json", "import fapilog")]
            nbformat.write(nbformat.v4.new_notebook(cells=cells), planted)
            sources[PLANTED] = planted
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = {
                rel: pool.submit(notebook_env.run_downloaded, source, Path(tmp) / f"nb{i}", PIP_CACHE)
                for i, (rel, source) in enumerate(sources.items())
            }
            runs = {rel: future.result() for rel, future in futures.items()}
        wall = time.perf_counter() - start
    report = [f"{run.total:6.1f} s  {rel}  {run.seconds}" for rel, run in runs.items()]
    report.insert(0, f"fresh-venv runs: {wall:.1f} s wall, {WORKERS} at a time")
    print("\n" + "\n".join(report))
    (PIP_CACHE.parent / "last-run.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    return runs


@pytest.mark.parametrize("rel", marked(IDS, pytest.mark.slow_download))
def test_notebook_runs_when_downloaded(rel: str, downloaded_runs: dict[str, notebook_env.Run]):
    if rel in MISSING_CELL:
        pytest.fail(f"{rel}: no hub-install cell: downloaded, it stops at its first import of fapilog")
    run = downloaded_runs[rel]
    assert run.ok, run.failure


@pytest.mark.slow_download
def test_a_notebook_without_its_install_cell_fails_when_downloaded(downloaded_runs: dict[str, notebook_env.Run]):
    run = downloaded_runs[PLANTED]
    assert not run.ok
    assert run.failure.startswith("no-install-cell.ipynb: Cell 1 ('import fapilog') failed"), run.failure
    assert "ModuleNotFoundError: No module named 'fapilog'" in run.failure, run.failure
