"""Local services some plugins need to be evaluated for real: a throwaway PostgreSQL.

The sandboxed plugin has no network (its own namespace), so the server listens on a Unix
socket only (``listen_addresses=''``): the socket folder is the one way in, and the
plugin's configuration names it as its host (asyncpg treats a path as a socket folder).
The cluster lives for one evaluation run and is deleted after it. PostgreSQL refuses to
run as root, so it runs as the ``postgres`` user, as the toolchain notes describe.
"""

from __future__ import annotations

import contextlib
import glob
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PORT = 5432  # only names the socket file (.s.PGSQL.5432); no TCP port is opened


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def postgres_unavailable() -> str | None:
    """Why no server can be started here, or None when one can."""
    if postgres_binaries() is None:
        return "PostgreSQL server binaries not installed (apt-get install postgresql)"
    if shutil.which("runuser") is None:
        return "runuser not available to start PostgreSQL as the postgres user"
    try:
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return "no postgres system user"
    return None


@contextlib.contextmanager
def postgres(parent: Path) -> Iterator[dict[str, str]]:
    """Start a cluster; yields the placeholders a plugin configuration can use."""
    binaries = postgres_binaries()
    assert binaries is not None
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir=parent))
    data, socket_dir = folder / "data", folder / "socket"
    socket_dir.mkdir()
    shutil.chown(folder, "postgres")
    shutil.chown(socket_dir, "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    try:
        subprocess.run(
            [*as_postgres, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-c listen_addresses='' -k {socket_dir} -p {PORT} -c fsync=off"
        subprocess.run(
            [
                *as_postgres,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield {"postgres_socket": str(socket_dir)}
    finally:
        subprocess.run(
            [*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
