"""Helpers for the fapilog-hub command's tests: an HTTP server, package builds, venvs.

- ``CatalogServer``: ``http.server`` on 127.0.0.1 (a free port) serving documents with
  an ETag and Last-Modified, answering 304 to a matching If-None-Match, and recording
  every request; ``stop()`` closes the port, as a network failure would.
- ``build``, ``copy_plugin``, ``homegrown_plugin``: real wheels, built by uv.
- ``Venv``: a virtual environment made with ``uv venv`` (or ``python -m venv`` for pip),
  with packages installed by uv from the registry and its cache, and the installed
  ``fapilog-hub`` run in it as a user would run it.
"""

from __future__ import annotations

import copy
import email.utils
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
REPO = PACKAGE.parents[1]
SITE_URL = "https://fapilog.github.io/fapilog-hub/"
# The uv that the test environment brings (pyproject.toml pins it); venvs are made with it.
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

# The package's own modules, for the tests of pure functions (the venv tests use the wheel).
if str(PACKAGE / "src") not in sys.path:
    sys.path.insert(0, str(PACKAGE / "src"))

# ---------------------------------------------------------------------- the catalog


def with_changes(document: dict, plugin_id: str, **changes) -> dict:
    """A copy of the catalog with one entry changed (`__` steps into a field: compatibility__fapilog=...)."""
    changed = copy.deepcopy(document)
    entry = next(p for p in changed["plugins"] if p["id"] == plugin_id)
    for path, value in changes.items():
        target = entry
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return changed


# ---------------------------------------------------------------------- the HTTP server


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class CatalogServer:
    documents: dict[str, bytes] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    port: int = 0
    _server: http.server.ThreadingHTTPServer | None = None

    def url(self, path: str = "/catalog/catalog.json") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def publish(self, path: str, document: dict | bytes | str) -> str:
        if isinstance(document, dict):
            document = json.dumps(document)
        self.documents[path] = document.encode("utf-8") if isinstance(document, str) else document
        return self.url(path)

    def start(self) -> CatalogServer:
        server = self
        modified = email.utils.formatdate(time.time() - 3600, usegmt=True)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                body = server.documents.get(self.path)
                if body is None:
                    status, body = 404, b"not found"
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                    status = 304 if self.headers.get("If-None-Match") == etag else 200
                    self.send_response(status)
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", modified)
                    if status == 200:
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if status == 200:
                        self.wfile.write(body)
                server.requests.append(Seen(self.path, dict(self.headers.items()), status))

            def log_message(self, *args):  # keep the test output clean
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the port was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/catalog/catalog.json"


# ---------------------------------------------------------------------- building packages


def build(source: Path, out: Path, sdist: bool = False, isolated: bool = True) -> list[Path]:
    """The wheel (and sdist) of the project in `source`, built by uv.

    isolated=False builds with this test environment's setuptools (pinned in the root
    pyproject.toml): quicker, for the plugin copies; this package itself is built isolated,
    as pip builds it from a checkout.
    """
    out.mkdir(parents=True, exist_ok=True)
    args = [UV, "build", "--quiet", "--out-dir", str(out), str(source)]
    if not sdist:
        args.insert(2, "--wheel")
    if not isolated:
        args[2:2] = ["--no-build-isolation", "--python", sys.executable]
    subprocess.run(args, check=True, capture_output=True, text=True, timeout=300)
    return sorted(p for p in out.iterdir() if p.name.endswith((".whl", ".tar.gz")))  # uv adds a .gitignore


def copy_plugin(name: str, folder: Path, version: str, requires: str | None = None) -> Path:
    """A copy of one of the project's plugin packages with its version (and fapilog range) changed."""
    target = folder / name
    shutil.copytree(REPO / "examples" / "plugins" / name, target, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    pyproject = target / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = text.replace('version = "0.1.0"', f'version = "{version}"', 1)
    if requires:
        text = text.replace('"fapilog>=0.18,<0.19"', f'"{requires}"', 1)
    assert f'version = "{version}"' in text and (requires is None or requires in text), "the copy was not changed"
    pyproject.write_text(text, encoding="utf-8")
    return target


def homegrown_plugin(folder: Path) -> Path:
    """A plugin package the catalog does not list; importing it fails, so a run that
    imported plugin code would show it."""
    target = folder / "fapilog-homegrown"
    (target / "src" / "fapilog_homegrown").mkdir(parents=True)
    (target / "src" / "fapilog_homegrown" / "__init__.py").write_text(
        'raise RuntimeError("fapilog_homegrown was imported")\n', encoding="utf-8"
    )
    (target / "pyproject.toml").write_text(
        """[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "fapilog-homegrown"
version = "1.0.0"
dependencies = ["fapilog"]

[project.entry-points."fapilog.filters"]
homegrown = "fapilog_homegrown:HomegrownFilter"

[tool.setuptools.packages.find]
where = ["src"]
""",
        encoding="utf-8",
    )
    return target


# ---------------------------------------------------------------------- virtual environments


@dataclass
class Venv:
    path: Path
    cache: Path  # FAPILOG_HUB_CACHE for the runs

    @property
    def bin(self) -> Path:
        return self.path / ("Scripts" if sys.platform == "win32" else "bin")

    @property
    def python(self) -> Path:
        return self.bin / ("python.exe" if sys.platform == "win32" else "python")

    @classmethod
    def create(cls, path: Path, with_pip: bool = False) -> Venv:
        if with_pip:
            # The standard library's venv, as pip users make one; pip itself comes from uv's
            # cache (ensurepip takes seconds more, and ends in the same pip).
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, timeout=300)
        else:
            subprocess.run([UV, "venv", "--quiet", "--python", sys.executable, str(path)], check=True, timeout=300)
        made = cls(path, path.parent / f"{path.name}-cache")
        if with_pip:
            made.install("pip")
        return made

    def install(self, *requirements: str | Path) -> None:
        args = [UV, "pip", "install", "--quiet", "--python", str(self.python), *map(str, requirements)]
        subprocess.run(args, check=True, capture_output=True, text=True, timeout=600)

    def env(self, **extra: str) -> dict[str, str]:
        """A user's environment: no test-venv variables; uv on PATH (it is how uv users have it)."""
        keep = ("HOME", "LANG", "SYSTEMROOT", "TMPDIR", "PIP_FIND_LINKS", "PIP_CERT", "SSL_CERT_FILE")
        env = {k: os.environ[k] for k in keep if k in os.environ}
        uv_only = self.path.parent / "uv-on-path"  # uv alone, not the test venv's other programs
        if not (uv_only / "uv").exists():
            uv_only.mkdir(exist_ok=True)
            (uv_only / "uv").symlink_to(UV)
        env["PATH"] = os.pathsep.join([str(self.bin), str(uv_only), "/usr/bin", "/bin"])
        env["FAPILOG_HUB_CACHE"] = str(self.cache)
        env.update(extra)
        return env

    def hub(self, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
        exe = self.bin / "fapilog-hub"
        return subprocess.run(
            [str(exe), *args], capture_output=True, text=True, timeout=600, env=self.env(**env), cwd=cwd or self.path
        )

    def version(self, distribution: str) -> str | None:
        code = (
            "import importlib.metadata as m, sys\n"
            "try: print(m.version(sys.argv[1]))\n"
            "except m.PackageNotFoundError: print('')\n"
        )
        out = subprocess.run([str(self.python), "-c", code, distribution], capture_output=True, text=True, check=True)
        return out.stdout.strip() or None
