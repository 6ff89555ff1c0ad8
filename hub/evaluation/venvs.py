"""One virtualenv per (package, version, fapilog version), created with uv and cached.

A plugin is installed with the fapilog release under test and the conformance suite
(``packages/fapilog-hub-conformance``), nothing else. Packages from the registry are
installed from wheels only (``--no-build``), so no third-party build code runs on this
machine; packages from this repository (examples, test fixtures) are built from source.
Creation goes to a temporary folder renamed into place at the end, so parallel workers
and interrupted runs never leave a half-made venv behind a valid key.

Once a plugin is installed, nothing outside the sandbox starts that venv's interpreter
again: a wheel may ship a ``.pth`` file, which every start of the interpreter would run.
So the conformance suite goes in first, and the installed set is read from the
``.dist-info`` folders (:func:`freeze`) instead of asking the interpreter. The installer
runs without the parent's credential variables.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from hub.project import ROOT

CONFORMANCE_PACKAGE = ROOT / "packages" / "fapilog-hub-conformance"
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
INSTALL_TIMEOUT_SECONDS = 600


class VenvError(Exception):
    """The environment could not be created; the message is the installer's own words."""


@dataclass(frozen=True)
class Install:
    """What goes into one environment."""

    package: str  # distribution name, as the results are keyed
    version: str
    requirement: str  # what uv installs: "name==1.0", "fapilog[aws]==0.18.1" or a local path
    fapilog_version: str
    local: bool = False  # a folder of this repository: allowed to build from source
    contained_build: bool = False  # third-party source: built into a wheel inside the sandbox

    def key(self) -> str:
        parts = [
            self.package,
            self.version,
            self.fapilog_version,
            PYTHON,
            self.requirement,
            tree_digest(CONFORMANCE_PACKAGE),
        ]
        if self.local or self.contained_build:
            parts.append(tree_digest(Path(self.requirement)))
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def tree_digest(folder: Path) -> str:
    """Content digest of a source folder (file names and bytes), ignoring build debris."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not {"__pycache__", "build", "dist"} & set(path.parts) and ".egg-info" not in str(path):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def uv() -> str:
    found = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not Path(found).exists():
        raise VenvError("uv not found on PATH (pip install uv)")
    return found


def ensure(install: Install, cache: Path) -> Path:
    """The venv for `install`, created on first use; returns its folder."""
    target = (
        cache / "venvs" / f"{_slug(install.package)}-{install.version}-fapilog{install.fapilog_version}-{install.key()}"
    )
    if (target / "ready").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    building.chmod(0o755)  # read (never written) by the sandbox's unprivileged user
    try:
        _run([uv(), "venv", "--quiet", "--python", PYTHON, str(building)])
        python = str(building / "bin" / "python")
        # The suite is ours, installed first and without dependencies: after the plugin is
        # in, uv must not start this interpreter again (see the module docstring).
        _run([uv(), "pip", "install", "--quiet", "--no-deps", "--python", python, str(CONFORMANCE_PACKAGE)])
        requirement = install.requirement
        if install.contained_build:
            requirement = str(build_wheel_contained(Path(requirement), cache))
        requirements = [requirement]
        if install.package != "fapilog":
            requirements.append(f"fapilog=={install.fapilog_version}")
        command = [uv(), "pip", "install", "--quiet", "--python", python]
        if not install.local:
            command.append("--no-build")
        _run([*command, *requirements])
        (building / "ready").write_text(json.dumps(install.__dict__, indent=1))
        try:
            os.rename(building, target)
        except OSError:  # another worker finished first: theirs is as good
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return target


BUILD_TIMEOUT_SECONDS = 300


def build_wheel_contained(source: Path, cache: Path) -> Path:
    """A third-party source tree built into a wheel inside the sandbox; returns the wheel.

    Its build code (a ``setup.py``, a build hook) is the package's own, so it is untrusted:
    the build backend it names is installed from wheels into a builder venv (nothing runs
    there), and ``pip wheel --no-build-isolation`` runs in the sandbox, without network,
    with a copy of the source as the only writable folder.
    """
    from hub.evaluation import sandbox

    project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    requires = sorted(project.get("build-system", {}).get("requires", ["setuptools>=40.8.0"]))
    builder = cache / "builders" / hashlib.sha256(json.dumps([PYTHON, requires]).encode()).hexdigest()[:16]
    if not (builder / "ready").exists():
        # Made aside and renamed into place, as in ensure(): parallel jobs may need the same one.
        builder.parent.mkdir(parents=True, exist_ok=True)
        making = Path(tempfile.mkdtemp(prefix=builder.name + ".", dir=builder.parent))
        try:
            making.chmod(0o755)
            _run([uv(), "venv", "--quiet", "--python", PYTHON, str(making)])
            python = str(making / "bin" / "python")
            _run([uv(), "pip", "install", "--quiet", "--no-build", "--python", python, "pip", *requires])
            (making / "ready").write_text(json.dumps(requires))
            try:
                os.rename(making, builder)
            except OSError:  # another job finished first
                shutil.rmtree(making, ignore_errors=True)
        except BaseException:
            shutil.rmtree(making, ignore_errors=True)
            raise
    work = Path(tempfile.mkdtemp(prefix="hub-build-"))
    try:
        debris = shutil.ignore_patterns(".git", "__pycache__", "build", "dist", "*.egg-info")
        shutil.copytree(source, work / "src", symlinks=True, ignore=debris)
        (work / "wheel").mkdir()
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # the sandbox's user builds in its own copy
            for path in [work / "wheel", work / "src", *(work / "src").rglob("*")]:
                os.lchown(path, sandbox.NOBODY, sandbox.NOBODY)
        python = str(builder / "bin" / "python")
        argv = [python, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps", "--no-index"]
        outcome = sandbox.run_contained(
            [*argv, "--wheel-dir", str(work / "wheel"), str(work / "src")],
            cwd=work,
            env=sandbox.minimal_env(home=work, path_dirs=[builder / "bin"], extra={"PIP_CONFIG_FILE": os.devnull}),
            limits=sandbox.Limits(timeout_seconds=BUILD_TIMEOUT_SECONDS),
            readable=[builder],
            hide=[ROOT, cache],
        )
        wheels = sorted((work / "wheel").glob("*.whl"))
        if outcome.failure or len(wheels) != 1:
            why = outcome.failure or f"{len(wheels)} wheels built"
            raise VenvError(f"building {source.name} in the sandbox failed ({why}): {outcome.output_tail[-1500:]}")
        kept = cache / "wheels" / tree_digest(source)
        kept.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheels[0], kept / wheels[0].name))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def freeze(venv: Path) -> list[str]:
    """`name==version` of everything installed in the venv (the dependency set to audit).

    Read from the metadata files, never by starting the venv's interpreter."""
    found = set()
    for dist in importlib.metadata.distributions(path=[str(p) for p in (venv / "lib").glob("python*/site-packages")]):
        name, version = dist.metadata.get("Name"), dist.version
        if name and version:
            found.add(f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}")
    return sorted(found)


SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|CREDENTIAL|PRIVATE_?KEY|AUTH", re.IGNORECASE)


def _run(argv: list[str]) -> str:
    # uv talks to the package registry, so it keeps the parent's network settings, but not
    # its credentials, and it never runs registry plugins' code (wheels only).
    env = {k: v for k, v in os.environ.items() if not SECRET_NAME.search(k)}
    result = subprocess.run(argv, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_SECONDS, env=env)
    if result.returncode != 0:
        raise VenvError((result.stderr or result.stdout).strip()[-2000:])
    return result.stdout


def distribution_name(dist_info: Path) -> str:
    """Normalized distribution name of a `name-version.dist-info` folder."""
    return re.sub(r"[-_.]+", "_", dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0]).lower()


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())
