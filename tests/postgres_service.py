"""A throwaway PostgreSQL cluster for the checks that need a real database.

Debian's server binaries (package `postgresql`) refuse to run as root, so when the tests
run as root the cluster runs as the `postgres` user (`runuser`), in a directory that
user owns. It listens on 127.0.0.1 on a free port, trusts local connections, and is
stopped and deleted when the block ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support import free_port


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing or the cluster did not start."""


def server_bindir() -> Path:
    """Where initdb and pg_ctl live (Debian keeps them out of PATH)."""
    candidates = []
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        candidates.append(Path(bindir))
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


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a fresh cluster; yield its DSN; stop it and delete its files afterwards."""
    bindir = server_bindir()
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0  # no geteuid on Windows
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    # Not under pytest's tmp_path: its parents are private to root, and the server
    # (running as postgres) must reach its data directory and socket.
    workdir = Path(tempfile.mkdtemp(prefix="hub-pg-"))
    datadir = workdir / "data"
    port = free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = (workdir / "server.log").read_text() if (workdir / "server.log").exists() else ""
            raise PostgresUnavailable(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{log}")

    try:
        if as_root:
            shutil.chown(workdir, user="postgres", group="postgres")
        run(
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-o",
            options,
            "-l",
            str(workdir / "server.log"),
            "-w",
            "start",
        )
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
