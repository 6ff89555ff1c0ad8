"""hub/postgres.py: the throwaway cluster the examples' tests and plugin evaluation both start."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

import hub.postgres
from hub.postgres import SOCKET_PORT, throwaway_cluster, unavailable
from support import NO_POSTGRES, NO_POSTGRES_REASON, free_port

needs_a_server = pytest.mark.skipif(NO_POSTGRES, reason=NO_POSTGRES_REASON)


def fetch(sql: str, **connect) -> object:
    async def query() -> object:
        connection = await asyncpg.connect(user="postgres", database="postgres", **connect)
        try:
            return await connection.fetchval(sql)
        finally:
            await connection.close()

    return asyncio.run(query())


@needs_a_server
def test_this_machine_can_start_a_cluster():
    # Linux CI installs Debian's postgresql; a missing server there is an error, never a skip.
    assert unavailable() is None


@needs_a_server
def test_socket_only_cluster_answers_on_its_socket_and_opens_no_tcp_port():
    # What plugin evaluation starts: the sandbox has no network, the socket folder is the way in.
    with throwaway_cluster() as cluster:
        assert cluster.dsn is None
        assert (cluster.socket_dir / f".s.PGSQL.{SOCKET_PORT}").exists()
        via_socket = {"host": str(cluster.socket_dir), "port": SOCKET_PORT}
        assert fetch("SELECT 1", **via_socket) == 1
        # Asked of the server itself: another PostgreSQL on this machine may hold TCP 5432.
        assert fetch("SHOW listen_addresses", **via_socket) == ""
        workdir = cluster.socket_dir.parent
    assert not workdir.exists(), "the cluster's files outlived it"


@needs_a_server
def test_tcp_cluster_answers_on_127_0_0_1():
    port = free_port()
    with throwaway_cluster(tcp_port=port) as cluster:
        assert cluster.dsn == f"postgresql://postgres@127.0.0.1:{port}/postgres"
        assert fetch("SELECT 1", dsn=cluster.dsn) == 1
        assert fetch("SHOW listen_addresses", dsn=cluster.dsn) == "127.0.0.1"


def test_a_cluster_that_cannot_start_says_why(monkeypatch):
    # The evaluation runner records this message against the plugins that need the server.
    monkeypatch.setattr(hub.postgres, "unavailable", lambda: "no postgres system user")
    with pytest.raises(hub.postgres.PostgresUnavailable, match="no postgres system user"), throwaway_cluster():
        pass
