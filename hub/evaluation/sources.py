"""Where a package that is not on PyPI comes from: its git URL, or a local mirror of it.

A registry entry's ``install_url`` (``git+https://host/repo#subdirectory=path``) names the
source a reader installs. The evaluation fetches the same source with ``git clone`` (git
runs no code of the repository), or takes it from a local mirror when the URL cannot be
reached (an air-gapped machine, a CI without access to the host):

    HUB_SOURCE_MIRRORS='{"git+https://github.com/o/r#subdirectory=packages/p": "/srv/mirror/p"}'

maps install URLs to folders holding that subdirectory's files; a value may also be
``{"folder": "/srv/mirror/p", "commit": "669875e..."}`` to say which commit the copy is of. Either way the result says
which source was evaluated: the URL, how it was obtained, the commit when git knows it and
a digest of the files. Building that source runs its build code, which is untrusted: it is
done inside the sandbox (:func:`hub.evaluation.venvs.build_wheel_contained`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hub.evaluation import venvs

MIRRORS_VARIABLE = "HUB_SOURCE_MIRRORS"
CLONE_TIMEOUT_SECONDS = 120


class SourceUnavailable(Exception):
    """The package's source could be neither fetched nor found in a mirror; says why and what to do."""


@dataclass(frozen=True)
class Source:
    url: str  # the install URL, as the registry entry gives it
    folder: Path  # the package's files (pyproject.toml at the top)
    obtained: str  # "git clone" or "mirror <folder>"
    commit: str | None
    digest: str

    def record(self) -> dict[str, str | None]:
        return {"url": self.url, "obtained": self.obtained, "commit": self.commit, "digest": self.digest}


def mirrors() -> dict[str, tuple[Path, str | None]]:
    """Install URL -> (local folder, commit it is a copy of), from HUB_SOURCE_MIRRORS; {} when unset."""
    raw = os.environ.get(MIRRORS_VARIABLE, "").strip()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SourceUnavailable(f"{MIRRORS_VARIABLE} is not a JSON object of install URL -> folder ({exc})") from None
    if not isinstance(data, dict):
        raise SourceUnavailable(f"{MIRRORS_VARIABLE} must be a JSON object mapping install URLs to folders")
    found = {}
    for url, value in data.items():
        if isinstance(value, str):
            found[url] = (Path(value).expanduser(), None)
        elif isinstance(value, dict) and isinstance(value.get("folder"), str):
            commit = value.get("commit")
            found[url] = (Path(value["folder"]).expanduser(), commit if isinstance(commit, str) else None)
        else:
            raise SourceUnavailable(f"{MIRRORS_VARIABLE}: {url} must map to a folder or to {{folder, commit}}")
    return found


def split(url: str) -> tuple[str, str, str]:
    """`git+https://host/repo@ref#subdirectory=sub` -> (`https://host/repo`, `ref`, `sub`)."""
    if not url.startswith("git+"):
        raise SourceUnavailable(f"{url}: only git+ install URLs can be fetched from source")
    address, _, fragment = url.removeprefix("git+").partition("#")
    scheme, _, rest = address.partition("://")
    path, _, ref = rest.rpartition("@") if "@" in rest.split("/", 1)[-1] else (rest, "", "")
    subdirectory = ""
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == "subdirectory":
            subdirectory = value
    if ".." in Path(subdirectory).parts or subdirectory.startswith("/"):
        raise SourceUnavailable(f"{url}: the subdirectory must stay inside the repository")
    return f"{scheme}://{path}", ref, subdirectory


def resolve(url: str, cache: Path) -> Source:
    """The package source behind `url`: a mirror when one is configured, else a fresh clone."""
    if url in mirrors():
        mirror, commit = mirrors()[url]
        if not (mirror / "pyproject.toml").is_file():
            raise SourceUnavailable(f"{MIRRORS_VARIABLE} maps {url} to {mirror}, which holds no pyproject.toml")
        return Source(url, mirror, f"mirror {mirror}", commit, venvs.tree_digest(mirror))
    remote, ref, subdirectory = split(url)
    target = cache / "sources" / hashlib.sha256(url.encode()).hexdigest()[:16]
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        clone = Path(scratch) / "repo"
        command = ["git", "clone", "--quiet", "--depth", "1", *(["--branch", ref] if ref else []), remote, str(clone)]
        # No hooks, no credential prompts: git must not run anything from the repository.
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}
        try:
            run = subprocess.run(
                [*command[:1], "-c", "core.hooksPath=/dev/null", *command[1:]],
                capture_output=True,
                text=True,
                timeout=CLONE_TIMEOUT_SECONDS,
                env={k: v for k, v in env.items() if not venvs.SECRET_NAME.search(k)},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SourceUnavailable(_unreachable(url, str(exc))) from None
        if run.returncode != 0:
            raise SourceUnavailable(_unreachable(url, (run.stderr or run.stdout).strip()[-300:]))
        folder = clone / subdirectory
        if not (folder / "pyproject.toml").is_file():
            raise SourceUnavailable(f"{url}: no pyproject.toml in {subdirectory or 'the repository'}")
        commit = _commit_of(clone)
        shutil.copytree(folder, target, symlinks=True)
    return Source(url, target, "git clone", commit, venvs.tree_digest(target))


def _unreachable(url: str, why: str) -> str:
    fix = f"map it to a local copy with {MIRRORS_VARIABLE} (see docs/catalog/quality.md)"
    return f"{url} could not be cloned ({why}); {fix}"


def _commit_of(folder: Path) -> str | None:
    try:
        run = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip() or None if run.returncode == 0 else None
