"""A throwaway PostgreSQL cluster, for the two places that need a real database.

- The tests of the examples and catalog snippets connect over TCP on 127.0.0.1.
- Plugin evaluation gives the server no TCP port at all (``listen_addresses=''``): the
  sandboxed plugin has no network, so the socket folder is its one way in, and the
  plugin's configuration names that folder as its host (asyncpg treats a path as one).

Debian's server binaries (package ``postgresql``) refuse to run as root, so as root the
cluster runs as the ``postgres`` user (``runuser``) in a folder that user owns. Either way
it trusts local connections, and it is stopped and deleted when the block ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SOCKET_PORT = 5432  # without TCP the port only names the socket file (.s.PGSQL.5432)


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here, or did not start; the message says why."""


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0  # no geteuid on Windows


def server_bindir() -> Path:
    """Where initdb and pg_ctl live (Debian keeps them out of PATH)."""
    candidates = []
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(result.stdout.strip()))
    # Newest installed major version first: /usr/lib/postgresql/<major>/bin
    candidates += sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: int(p.parent.name),
        reverse=True,
    )
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (initdb, pg_ctl); on Debian: apt-get install -y postgresql"
    )


def unavailable() -> str | None:
    """Why no cluster can be started here, or None when one can."""
    try:
        server_bindir()
    except PostgresUnavailable as error:
        return str(error)
    if _as_root():
        if shutil.which("runuser") is None:
            return "runuser not found: as root, PostgreSQL must be started as the postgres user"
        if subprocess.run(["id", "postgres"], capture_output=True, check=False).returncode != 0:
            return "no postgres system user (Debian's postgresql package creates it)"
    return None


@dataclass(frozen=True)
class Cluster:
    socket_dir: Path  # the folder holding the server's Unix socket
    dsn: str | None  # the TCP address, when the cluster listens on 127.0.0.1


@contextmanager
def throwaway_cluster(parent: Path | None = None, *, tcp_port: int | None = None) -> Iterator[Cluster]:
    """Start a fresh cluster; yield it; stop it and delete its files afterwards.

    With ``tcp_port`` it also listens on 127.0.0.1 at that port; without, on its socket only.
    ``parent`` must be reachable by the postgres user (pytest's tmp_path is not: its
    parents are private to root), hence the system temporary folder by default.
    """
    why = unavailable()
    if why:
        raise PostgresUnavailable(why)
    bindir = server_bindir()
    as_root = _as_root()
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="hub-pg-", dir=parent))
    datadir, socket_dir, log = workdir / "data", workdir / "socket", workdir / "server.log"
    socket_dir.mkdir()

    def run(*args: str) -> None:
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise PostgresUnavailable(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{server_log}")

    try:
        if as_root:
            for folder in (workdir, socket_dir):
                shutil.chown(folder, user="postgres", group="postgres")
        run(str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres", "--no-sync")
        listen = "127.0.0.1" if tcp_port is not None else "''"
        options = f"-p {tcp_port or SOCKET_PORT} -k {socket_dir} -c listen_addresses={listen} -c fsync=off"
        run(str(bindir / "pg_ctl"), "-D", str(datadir), "-o", options, "-l", str(log), "-w", "start")
        try:
            yield Cluster(socket_dir, f"postgresql://postgres@127.0.0.1:{tcp_port}/postgres" if tcp_port else None)
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
