"""Shared fixtures for the hub's checks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.postgres import throwaway_cluster

sys.path.insert(0, str(Path(__file__).parent))  # tests/ helpers for tests in subfolders

from support import NO_POSTGRES, NO_POSTGRES_REASON, Build, build_site, free_port  # noqa: E402


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The site, built once per test session and shared by the build and browser tests.

    It is built for the address the browser tests serve it on, so that links under
    site_url (instant navigation, the sitemap) behave as on the published site.
    """
    return build_site(tmp_path_factory.mktemp("site") / "site", site_url=f"http://127.0.0.1:{free_port()}/")


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL server for the session, started only if a test asks for it."""
    if NO_POSTGRES:
        pytest.skip(NO_POSTGRES_REASON)
    with throwaway_cluster(tcp_port=free_port()) as cluster:
        yield cluster.dsn
