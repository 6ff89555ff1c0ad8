"""Fixtures of the fapilog-hub command's tests (the helpers are in hub_cli_support.py).

- ``catalog_document``: catalog.json as the site build makes it, generated once per
  session with the hub's own code (``hub.site.generate``), so the tests read
  what the site publishes, not a committed copy that could drift from it.
- ``server`` / ``module_server``: a real ``http.server`` on 127.0.0.1 (see CatalogServer).
- ``cli_dist``: this package's sdist and wheel, built once per session with uv.

Tests that install from the registry (PyPI or its mirror) into new venvs are marked ``pypi``.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # hub_cli_support, for any rootdir or import mode

from hub_cli_support import PACKAGE, SITE_URL, CatalogServer, build  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "pypi: installs packages from the registry (PyPI or its mirror) into venvs")


def _generate_catalog():
    from hub import site

    return site.generate(SITE_URL)


@pytest.fixture(scope="session")
def catalog_generation():
    """The catalog's generation, started in the background: its probes run while venvs are built."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(_generate_catalog)


@pytest.fixture(scope="session")
def catalog_document(catalog_generation) -> dict:
    """The catalog.json the site build publishes, made by the hub's own code."""
    return json.loads(catalog_generation.result().files["catalog/catalog.json"])


@pytest.fixture
def server():
    running = CatalogServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def module_server():
    running = CatalogServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def cli_dist(tmp_path_factory) -> dict[str, Path]:
    """This package built as a user would get it (sdist, and the wheel built from the sdist)."""
    found = build(PACKAGE, tmp_path_factory.mktemp("cli-dist"), sdist=True)
    return {p.suffix: p for p in found}  # ".whl", ".gz"
