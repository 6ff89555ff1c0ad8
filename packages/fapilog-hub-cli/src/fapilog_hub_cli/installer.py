"""Which installer this environment uses, and the command that installs plugins with it.

One job. The rule, in order (``--installer`` overrides it):

1. the environment was created by uv (its ``pyvenv.cfg`` has a ``uv = ...`` line): uv;
2. pip is not importable in it (``python -m pip`` would fail): uv;
3. otherwise: ``python -m pip``, run with this interpreter.

uv installs into this interpreter's environment with ``uv pip install --python``. The
installed fapilog stays as it is: a constraints file pinning ``fapilog==<installed>`` is
passed to both tools, so a plugin that would need another fapilog fails to resolve
instead of silently replacing it.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

PIP, UV = "pip", "uv"


class InstallerUnavailable(Exception):
    """The chosen installer cannot run here; the message says how to get it."""


@dataclass(frozen=True)
class Choice:
    tool: str  # "pip" or "uv"
    reason: str


def pyvenv_cfg(prefix: str | None = None) -> str | None:
    path = Path(prefix or sys.prefix) / "pyvenv.cfg"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # not a virtual environment (a system or conda Python)


def created_by_uv(cfg: str | None) -> str | None:
    """The uv version that created the environment, from its pyvenv.cfg (None: not uv)."""
    for line in (cfg or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() == "uv":
            return value.strip() or "unknown version"
    return None


def has_pip() -> bool:
    return importlib.util.find_spec("pip") is not None


def choose(override: str | None = None, cfg: str | None = None, pip_available: bool | None = None) -> Choice:
    """The installer for this environment; the arguments stand for the environment in tests."""
    cfg = pyvenv_cfg() if cfg is None else cfg
    pip_available = has_pip() if pip_available is None else pip_available
    if override:
        return Choice(override, f"--installer {override}")
    uv_version = created_by_uv(cfg)
    if uv_version:
        return Choice(UV, f"this environment was created by uv {uv_version}, says its pyvenv.cfg")
    if not pip_available:
        return Choice(UV, "pip is not installed in this environment")
    return Choice(PIP, "pip is installed in this environment and it was not created by uv")


def find_uv() -> str | None:
    # The uv that sits in this environment's scripts folder (pip install uv) comes first.
    local = Path(sys.executable).parent / ("uv.exe" if sys.platform == "win32" else "uv")
    return str(local) if local.is_file() else shutil.which("uv")


def command(choice: Choice, requirements: list[str], constraints: Path | None, upgrade: bool = False) -> list[str]:
    """The argv that installs `requirements` into this interpreter's environment."""
    options = ["--upgrade"] if upgrade else []
    if constraints is not None:
        options += ["--constraint", str(constraints)]
    if choice.tool == PIP:
        if not has_pip():
            raise InstallerUnavailable(
                f"pip is not installed in this environment ({sys.executable}): run "
                f"'{sys.executable} -m ensurepip', or use --installer uv"
            )
        return [sys.executable, "-m", "pip", "install", *options, *requirements]
    uv = find_uv()
    if uv is None:
        raise InstallerUnavailable(
            f"{choice.reason}, so the plugins are installed with uv, but no uv executable is on PATH: install uv "
            "(https://docs.astral.sh/uv/) or pass --installer pip"
        )
    return [uv, "pip", "install", "--python", sys.executable, *options, *requirements]


def constraints_file(folder: Path, fapilog: str) -> Path:
    """A constraints file pinning the installed fapilog, kept so a printed command can be rerun."""
    path = folder / f"constraints-fapilog-{fapilog}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# written by fapilog-hub install: keeps fapilog at the installed version\nfapilog=={fapilog}\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
