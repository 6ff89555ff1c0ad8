"""What a downloaded notebook needs to run: its install cell, its imports, a fresh venv.

Every notebook in tutorials/ and notebooks/ starts with a code cell tagged "hub-install"
(the first code cell) that pip-installs the notebook's pinned requirements where they are
missing, so that the notebook runs on its own in Colab, on Binder or in a fresh virtual
environment. This module reads that cell, checks its imports against it, and runs a
notebook the way a reader who downloaded it would (tests/test_notebook_downloads.py).
"""

from __future__ import annotations

import ast
import asyncio
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

TAG = "hub-install"
NEEDS_LINE = "_NEEDS = {...}  # import name -> pinned requirement"
# The cell, line by line, as every notebook must carry it; only the _NEEDS dict differs.
TEMPLATE = (
    "# Run first: installs what this notebook needs, only where it is missing (Colab, Binder, a",
    "# fresh virtual environment). Where everything is installed it does nothing and prints nothing.",
    "import importlib.util, subprocess, sys",
    NEEDS_LINE,
    "_missing = [req for mod, req in _NEEDS.items() if importlib.util.find_spec(mod) is None]",
    "if _missing:",
    '    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *_missing])',
)
KERNEL_REQUIREMENT = "ipykernel==7.4.0"  # what the harness puts in a fresh venv; pyproject's pin


ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in IPython's tracebacks


class NotebookEnvError(Exception):
    """A notebook that would not run on its own; the message names the file and the cell."""


@dataclass(frozen=True)
class Cell:
    number: int  # as nbval numbers cells: code cells only, from 0
    source: str
    tags: tuple[str, ...]

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.source.splitlines() if line.strip()), "")

    def where(self, rel: str, line: int | None = None) -> str:
        at = f", line {line}" if line is not None else ""
        return f"{rel}: Cell {self.number}{at} ({self.first_line[:60]!r})"


def code_cells(path: Path) -> list[Cell]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c.get("cell_type") == "code"]
    return [
        Cell(n, "".join(c.get("source", [])), tuple(c.get("metadata", {}).get("tags", []))) for n, c in enumerate(code)
    ]


def install_cell(path: Path, rel: str) -> Cell:
    """The notebook's first code cell, which must be its hub-install cell."""
    cells = code_cells(path)
    if not cells:
        raise NotebookEnvError(f"{rel}: no code cell")
    first = cells[0]
    tagged = [c.number for c in cells if TAG in c.tags]
    if TAG not in first.tags:
        hint = f" (Cell {tagged[0]} is tagged: move it first)" if tagged else ""
        raise NotebookEnvError(f"{first.where(rel)}: the first code cell is not tagged {TAG!r}{hint}")
    if len(tagged) > 1:
        raise NotebookEnvError(f"{rel}: cells {tagged} are all tagged {TAG!r}; only the first code cell may be")
    return first


def needs(path: Path, rel: str | None = None) -> dict[str, str]:
    """The hub-install cell's _NEEDS (import name -> pinned requirement), checked for its exact form."""
    rel = rel or path.name
    cell = install_cell(path, rel)
    lines = cell.source.rstrip("\n").splitlines()
    if len(lines) != len(TEMPLATE):
        raise NotebookEnvError(f"{cell.where(rel)}: {len(lines)} lines, the hub-install cell has {len(TEMPLATE)}")
    found: dict[str, str] | None = None
    for number, (line, expected) in enumerate(zip(lines, TEMPLATE, strict=True), start=1):
        if expected is NEEDS_LINE:
            found = _parse_needs(line, cell.where(rel, number))
        elif line != expected:
            raise NotebookEnvError(
                f"{cell.where(rel, number)}: {line!r} differs from the hub-install form {expected!r}"
            )
    assert found is not None
    return found


def _parse_needs(line: str, where: str) -> dict[str, str]:
    code, _, comment = line.partition("  #")
    if comment.strip() != "import name -> pinned requirement" or not code.startswith("_NEEDS = "):
        raise NotebookEnvError(f"{where}: expected {NEEDS_LINE!r}, found {line!r}")
    try:
        value = ast.literal_eval(code.removeprefix("_NEEDS = "))
    except (ValueError, SyntaxError) as exc:
        raise NotebookEnvError(f"{where}: _NEEDS is not a literal dict ({exc})") from exc
    if (
        not isinstance(value, dict)
        or not value
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        raise NotebookEnvError(f"{where}: _NEEDS must map import names to requirement strings")
    for module, requirement in value.items():
        req = Requirement(requirement)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or req.url or req.marker:
            raise NotebookEnvError(f"{where}: {requirement!r} is not pinned with a single ==")
        if not all(part.isidentifier() for part in module.split(".")):
            raise NotebookEnvError(f"{where}: {module!r} is not an import name")
    return value


# Imports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    module: str  # top-level name
    cell: Cell
    line: int  # 1-based, within the cell


def _python_of(source: str) -> str | None:
    """A cell's source as Python: IPython magics and shell lines blanked; None for non-Python cell magics."""
    lines = source.splitlines()
    if lines and lines[0].startswith("%%"):
        magic, *args = lines[0][2:].split()
        if magic == "writefile" and args and args[-1].endswith(".py"):
            return "\n".join(["", *lines[1:]])  # a Python file the notebook writes: its imports count
        if magic in {"time", "timeit", "capture"}:
            lines = ["", *lines[1:]]
        else:
            return None
    blank = re.compile(r"^(\s*)[%!].*$")
    return "\n".join(blank.sub(r"\1pass", line) for line in lines)


def _imports_in(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def imports(path: Path, rel: str) -> tuple[list[Import], set[str]]:
    """Every top-level import in the code cells (and in Python source the cells write to
    files, such as a test module run by pytest), and the module names the notebook writes
    itself (%%writefile targets and ``*.py`` paths in its code)."""
    found: list[Import] = []
    local: set[str] = set()
    for cell in code_cells(path):
        first = cell.source.splitlines()[0] if cell.source else ""
        if first.startswith("%%writefile"):
            local.add(_module_of_path(first.split()[-1]))
        python = _python_of(cell.source)
        if python is None:
            continue
        try:
            tree = ast.parse(python)
        except SyntaxError as exc:
            raise NotebookEnvError(f"{cell.where(rel, exc.lineno)}: not valid Python ({exc.msg})") from exc
        found += [Import(module, cell, line) for module, line in _imports_in(tree)]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if re.fullmatch(r"[\w./-]+\.py", text):
                local.add(_module_of_path(text))
            elif "\n" in text and "import " in text:
                try:
                    inner = ast.parse(text)
                except SyntaxError:
                    continue  # prose, not Python
                found += [Import(m, cell, node.lineno + line - 1) for m, line in _imports_in(inner)]
    return found, local


def _module_of_path(written: str) -> str:
    parts = [p for p in Path(written).parts if p not in {".", "src"}]
    return Path(parts[0]).stem if parts else ""


# Distributions ------------------------------------------------------------------------


def closure(requirements: list[str]) -> set[str]:
    """The distributions these requirements install (with their extras), as installed here."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    seen_extras: set[tuple[str, str]] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        extras = {e for e in req.extras if (name, e) not in seen_extras}
        if name in seen and not extras:
            continue
        seen.add(name)
        seen_extras |= {(name, e) for e in extras}
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError as exc:
            raise NotebookEnvError(f"{req} is not installed in the test environment ({sys.prefix})") from exc
        for line in requires:
            dep = Requirement(line)
            if dep.marker is None or any(
                dep.marker.evaluate({**default_environment(), "extra": extra}) for extra in (extras or {""})
            ):
                todo.append(dep)
    return seen


@functools.cache
def providers() -> dict[str, frozenset[str]]:
    """Top-level import name -> canonical names of the installed distributions that provide it."""
    return {m: frozenset(canonicalize_name(d) for d in ds) for m, ds in metadata.packages_distributions().items()}


def uncovered_imports(path: Path, rel: str) -> list[str]:
    """Imports that a fresh environment would not have after the hub-install cell ran:
    not the standard library, not written by the notebook, not installed (with their
    dependencies, as this environment resolved them) by the cell's _NEEDS."""
    installs = closure(list(needs(path, rel).values()))
    provided = providers()
    found, local = imports(path, rel)
    problems = []
    for imp in found:
        if imp.module in sys.stdlib_module_names or imp.module in local or provided.get(imp.module, set()) & installs:
            continue
        dists = ", ".join(sorted(provided.get(imp.module, set()))) or "no installed distribution"
        problems.append(f"{imp.cell.where(rel, imp.line)}: import {imp.module} ({dists}) is not installed by _NEEDS")
    return problems


# A fresh virtual environment ------------------------------------------------------------


@dataclass
class Run:
    """One notebook executed as a reader who downloaded it would: alone, in a fresh venv."""

    notebook: str
    ok: bool = False
    failure: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # step -> wall seconds

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def download_wheelhouse(requirements: list[str], wheelhouse: Path, pip_cache: Path) -> None:
    """Every wheel the requirements resolve to, downloaded from the package index by pip.

    The notebooks' own pip then installs from this folder with no index: the same pip, the
    same files a reader gets from PyPI, without each notebook asking the index again for
    every package (two thirds of an install cell's time when measured on 2026-12-02).
    """
    done = wheelhouse / "requirements.txt"
    wanted = "\n".join(sorted(set(requirements))) + "\n"
    if done.is_file() and done.read_text(encoding="utf-8") == wanted:
        return
    shutil.rmtree(wheelhouse, ignore_errors=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(wheelhouse)]
    command += ["--cache-dir", str(pip_cache), "--only-binary", ":all:", *sorted(set(requirements))]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise NotebookEnvError(f"pip download failed ({' '.join(command)}):\n{result.stdout}{result.stderr}")
    done.write_text(wanted, encoding="utf-8")  # last: a half-downloaded folder is never reused


def kernel_env(venv: Path, pip_cache: Path, wheelhouse: Path | None = None) -> dict[str, str]:
    """The kernel's environment: this one without the test environment's traces, the venv first on PATH."""
    test_bin = str(Path(sys.prefix) / "bin")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "UV_PROJECT_ENVIRONMENT"}
        and not k.startswith(("PYTEST_", "NOX_"))
    }
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p) != Path(test_bin)]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_CACHE_DIR"] = str(pip_cache)  # shared between notebooks and runs
    env["PIP_NO_COMPILE"] = "1"  # pip skips writing bytecode for what it installs: 15-25% faster
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # debugpy's frozen-modules note at kernel start
    if wheelhouse is not None:  # the install cell's pip reads download_wheelhouse's folder only
        env["PIP_NO_INDEX"] = "1"
        env["PIP_FIND_LINKS"] = str(wheelhouse)
    return env


def _step(run: Run, name: str, command: list[str], env: dict[str, str], cwd: Path) -> None:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    run.seconds[name] = round(time.perf_counter() - start, 1)
    if done.returncode != 0:
        raise NotebookEnvError(f"{name} failed ({' '.join(command)}):\n{done.stdout}{done.stderr}")


def make_venv(venv: Path, env: dict[str, str], cwd: Path, run: Run) -> None:
    """A fresh venv of the base interpreter with the pip (and setuptools) `python -m venv` gives it.

    `python -m venv` installs the wheels bundled with ensurepip and compiles them to
    bytecode, 5 to 50 s here depending on load. With uv at hand the same bundled wheels are
    installed by uv instead (no bytecode, under a second): the same venv, the same pip.
    """
    import ensurepip

    bundled = sorted(str(p) for p in (Path(ensurepip.__file__).parent / "_bundled").glob("*.whl"))
    uv = _uv()
    if not (uv and bundled):
        _step(run, "venv", [sys._base_executable, "-m", "venv", str(venv)], env, cwd)
        return
    _step(run, "venv", [sys._base_executable, "-m", "venv", "--without-pip", str(venv)], env, cwd)
    python = str(venv / "bin" / "python")
    _step(run, "venv pip", [uv, "pip", "install", "--quiet", "--no-index", "--python", python, *bundled], env, cwd)


def _uv() -> str | None:
    return shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def install_kernel(venv: Path, env: dict[str, str], cwd: Path, run: Run) -> None:
    """ipykernel into the venv: what any Jupyter front end brings, not what the notebook installs.

    uv (a test dependency) installs it from its cache when it is on PATH next to this
    interpreter; the notebook's own cell still runs the venv's pip, as a reader's would.
    """
    uv = _uv()
    if uv:
        command = [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), KERNEL_REQUIREMENT]
    else:
        command = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", KERNEL_REQUIREMENT]
    _step(run, "ipykernel", command, {**env, "UV_NO_PROGRESS": "1"}, cwd)


async def _execute(notebook: Path, venv: Path, env: dict[str, str], timeout: int, run: Run) -> str:
    """Execute every code cell in a kernel on the venv's python; '' or the failure.

    The kernel's own output (pip's, for one) goes to kernel.log beside the notebook.
    """
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    kernels = notebook.parent / "kernels"
    (kernels / "fresh-venv").mkdir(parents=True)
    spec = {
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh venv",
        "language": "python",
    }
    (kernels / "fresh-venv" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    km = AsyncKernelManager(kernel_name="fresh-venv", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb, km=km, timeout=timeout, startup_timeout=120, resources={"metadata": {"path": str(notebook.parent)}}
    )
    number = -1
    log = notebook.parent / "kernel.log"
    start = time.perf_counter()
    try:
        with log.open("w", encoding="utf-8") as out:
            async with client.async_setup_kernel(env=env, stdout=out, stderr=subprocess.STDOUT):
                run.seconds["kernel start"] = round(time.perf_counter() - start, 1)
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    number += 1
                    start = time.perf_counter()
                    try:
                        await client.async_execute_cell(cell, index)
                    except (CellExecutionError, CellTimeoutError) as exc:
                        source = "".join(cell.source)
                        first = next((line.strip() for line in source.splitlines() if line.strip()), "")
                        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
                        error = ANSI.sub("", str(exc))
                        return f"{notebook.name}: Cell {number} ({first[:60]!r}) failed:\n{error}\nkernel log:\n{tail}"
                    finally:
                        step = "first cell" if number == 0 else "other cells"
                        run.seconds[step] = round(run.seconds.get(step, 0) + time.perf_counter() - start, 1)
    finally:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
    return ""


def run_downloaded(
    source: Path, workdir: Path, pip_cache: Path, wheelhouse: Path | None = None, timeout: int = 600
) -> Run:
    """Copy the notebook alone into workdir, make a fresh venv with ipykernel only, run every cell.

    With a wheelhouse (download_wheelhouse), the install cell's pip takes its wheels from there.
    """
    run = Run(source.name)
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        notebook = workdir / "download" / source.name
        notebook.parent.mkdir()
        shutil.copy2(source, notebook)
        venv = workdir / "venv"
        env = kernel_env(venv, pip_cache, wheelhouse)
        make_venv(venv, env, workdir, run)
        install_kernel(venv, env, workdir, run)
        failure = asyncio.run(_execute(notebook, venv, env, timeout, run))
        run.ok, run.failure = not failure, failure
    except (NotebookEnvError, subprocess.TimeoutExpired, OSError) as exc:
        run.failure = f"{source.name}: {exc}"
    return run
