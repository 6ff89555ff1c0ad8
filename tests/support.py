"""Helpers shared by the checks (imported by tests; fixtures live in conftest.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent

# Set HUB_UPDATE_GOLDENS=1 to rewrite examples/*.out from a fresh run instead of
# comparing (review the diff before committing it).
UPDATE_GOLDENS = os.environ.get("HUB_UPDATE_GOLDENS") == "1"

# Set by the macOS and Windows CI jobs, whose runners have no PostgreSQL server to start;
# the Linux jobs run the checks against a real one. Anywhere else a missing server is an
# error, never a skip.
NO_POSTGRES = os.environ.get("HUB_POSTGRES") == "absent"
NO_POSTGRES_REASON = "no PostgreSQL server on this machine (HUB_POSTGRES=absent)"

# Debian's chromium, never a browser that Playwright downloads itself.
CHROMIUM = os.environ.get("HUB_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps calling Google services, which a closed
# network refuses (and which would count as requests leaving 127.0.0.1).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Build:
    site_dir: Path
    returncode: int
    log: str
    site_url: str | None = None


def build_site(
    site_dir: Path,
    config: Path = ROOT / "mkdocs.yml",
    site_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 600,
) -> Build:
    """A strict build into site_dir, in a subprocess exactly as `nox -s docs` runs it.

    site_url, when given, is where the site will be served (see HUB_SITE_URL in mkdocs.yml).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8", **(extra_env or {})}
    if site_url:
        env["HUB_SITE_URL"] = site_url
    # One build at a time across xdist workers: builds share .cache/ (mkdocs-jupyter writes
    # its rendered notebooks there without a lock, and a concurrent build could read one
    # half-written on a fresh clone).
    (ROOT / ".cache").mkdir(exist_ok=True)
    with FileLock(ROOT / ".cache" / "build.lock"):
        result = _run_build(config, site_dir, env, timeout)
    return Build(site_dir, result.returncode, result.stdout + result.stderr, site_url)


def _run_build(config: Path, site_dir: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(config),
            "--site-dir",
            str(site_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
    )


def venv_python(venv: Path) -> Path:
    """The interpreter of a virtualenv, wherever the platform puts it."""
    return venv / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(build: Build) -> Iterator[str]:
    """Serve a built site on the 127.0.0.1 address it was built for; yield that address."""
    assert build.returncode == 0, f"the site did not build:\n{build.log}"
    url = build.site_url
    port = url.rsplit(":", 1)[1].strip("/")
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", port, "--bind", "127.0.0.1", "--directory", str(build.site_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30  # a loaded CI machine may take seconds to start Python
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the site's server at {url} did not answer: {error}") from error
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Traffic:
    """What a page did: console and page errors, and every address it requested."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def outside_requests(self) -> list[str]:
        """Requests that left 127.0.0.1 (the site's own server)."""
        local = ("http://127.0.0.1:", "data:", "blob:", "about:")
        return [url for url in self.requests if not url.startswith(local)]


@contextmanager
def open_page(browser, **context_options) -> Iterator:
    """A page in a fresh browser context, with what it does recorded in ``page.traffic``.

    Waits allow 60 s, twice Playwright's default: a loaded 2-core CI machine takes seconds
    to swap a large notebook page.
    """
    context = browser.new_context(**context_options)
    context.set_default_timeout(60_000)
    page = context.new_page()
    traffic = Traffic()
    page.on("console", lambda m: m.type == "error" and traffic.console_errors.append(m.text))
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.traffic = traffic
    try:
        yield page
    finally:
        context.close()


def severe_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings on a Playwright page, each with where it is."""
    from axe_playwright_python.sync_playwright import Axe  # imported here: only browser tests need it

    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
