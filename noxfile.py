"""Every way to build and check fapilog hub. `nox -s test` is what CI runs.

Sessions install the project with its pinned dependencies into their own virtualenv,
so a fresh clone needs only Python and nox (and Debian's chromium for browser tests).
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"  # uv when present: much faster installs
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["test"]

BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1"}  # Material's MkDocs-2 banner is noise, not a warning
# nbval: re-execute every notebook in this environment's kernel and compare all stored
# outputs, with tests/sanitize.cfg masking what legitimately varies.
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/sanitize.cfg"]
# Every core: tests/conftest.py keeps together what shares state (a notebook's kernel, a
# module fixture, the served build) and hands out every other test alone, long files first
# (without --no-loadscope-reorder xdist would reorder by test count). Without tests/ (nox -s
# notebooks) plain loadscope keeps each notebook on one worker.
PARALLEL = ["-n", "auto", "--dist", "loadscope", "--no-loadscope-reorder"]
NOTEBOOK_DIRS = [d for d in ("tutorials", "notebooks") if Path(d).is_dir()]
# The packages this repository publishes carry their own tests (packages/*/tests).
PACKAGE_TESTS = sorted(str(p) for p in Path("packages").glob("*/tests") if p.is_dir())
# External plugin packages the catalog lists (registry/plugins/*.yml). They are installed
# into the build environment like any community plugin, as regular (not editable)
# packages; the build discovers them through their entry points.
PLUGIN_PACKAGES = sorted(str(p.parent) for p in Path("examples/plugins").glob("*/pyproject.toml"))


def install(session: nox.Session, extras: str = "test") -> None:
    """The locked toolchain into the session's virtualenv, then the catalog's plugin packages.

    uv.lock fixes every package, transitive ones too, at one version (tests/test_lock.py
    fails when it is out of date with pyproject.toml); `uv sync --frozen` installs exactly
    that, this project editable, and removes what the lock does not list.
    """
    session.install("uv==0.13.9")  # the pin in pyproject.toml: a newcomer's nox may bring no uv
    env = {"UV_PROJECT_ENVIRONMENT": session.virtualenv.location}
    session.run_install("uv", "sync", "--frozen", "--extra", extras, env=env)
    session.install(*PLUGIN_PACKAGES)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site with strict checks into site/."""
    install(session, "test")
    session.run("mkdocs", "build", "--strict", *session.posargs, env=BUILD_ENV)


@nox.session
def serve(session: nox.Session) -> None:
    """Build and serve the site with live reload on http://127.0.0.1:8000/."""
    install(session, "test")
    # Built for the address it is served on: at the root, as the README says (with the
    # published site_url, MkDocs would serve under /fapilog-hub/), and with absolute links
    # (catalog.json, the feed, the sitemap) pointing at this server.
    env = {**BUILD_ENV, "HUB_SITE_URL": "http://127.0.0.1:8000/"}
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=env)


@nox.session
def test(session: nox.Session) -> None:
    """Every check: units, examples, Markdown blocks, notebooks, strict build, browser."""
    install(session)
    session.run("pytest", *PARALLEL, *NBVAL, "tests", *PACKAGE_TESTS, *NOTEBOOK_DIRS, *session.posargs, env=BUILD_ENV)


@nox.session
def notebooks(session: nox.Session) -> None:
    """Re-execute every notebook and compare its stored outputs (nbval)."""
    install(session)
    session.run("pytest", *PARALLEL, *NBVAL, *NOTEBOOK_DIRS, *session.posargs)


@nox.session
def examples(session: nox.Session) -> None:
    """Run every example program and every Python block in the Markdown pages."""
    install(session)
    session.run("pytest", "tests/test_examples.py", "tests/test_markdown_blocks.py", *session.posargs)


@nox.session
def e2e(session: nox.Session) -> None:
    """Browser tests (Debian's chromium) against a freshly built site."""
    install(session)
    session.run("pytest", "tests/e2e", *session.posargs, env=BUILD_ENV)


@nox.session
def metrics(session: nox.Session) -> None:
    """Fetch outside figures (PyPI, pypistats, GitHub, ecosyste.ms) into data/metrics/history.json."""
    install(session, "test")
    session.run("python", "-m", "hub.metrics.collect", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over every Python file of the repository (pyproject.toml says what it leaves out)."""
    session.install("ruff==0.17.6")  # the pin in pyproject.toml; tests/test_lint.py runs the same
    session.run("ruff", "check", ".")  # what is left out: [tool.ruff] in pyproject.toml
    session.run("ruff", "format", "--check", ".")


@nox.session
def catalog(session: nox.Session) -> None:
    """Check the registry, refresh releases from PyPI, evaluate the plugins (network, slow the first time)."""
    install(session)
    session.run("python", "-m", "hub.catalog", "check")
    session.run("python", "-m", "hub.catalog", "refresh")
    # Evaluate the catalog's plugins (sandboxed; only what changed) into
    # registry/results/evaluations.json. Posargs go to the evaluation (--only, --cold, ...).
    session.run("python", "-m", "hub.evaluation", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks; results are printed and written to benchmarks/results/."""
    install(session)
    session.run("python", "benchmarks/catalog_search.py", *session.posargs, env=BUILD_ENV)
    # Cold and warm evaluation of the whole catalog -> registry/results/timings.json.
    session.run("python", "-m", "hub.evaluation.timing")


@nox.session(name="docs-lint")
def docs_lint(session: nox.Session) -> None:
    """Front matter, Markdown lint (pymarkdownlnt), spelling (codespell); failures name file:line."""
    install(session)
    session.run("python", "-m", "hub.docs_lint")


@nox.session(name="update-goldens")
def update_goldens(session: nox.Session) -> None:
    """Re-execute notebooks in place and rewrite examples/*.out (review the diff!)."""
    install(session)
    for folder in NOTEBOOK_DIRS:
        for path in sorted(p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts):
            session.run("jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", str(path))
    session.run("pytest", "tests/test_examples.py", "tests/test_catalog_usage.py", env={"HUB_UPDATE_GOLDENS": "1"})
