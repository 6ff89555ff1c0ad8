"""fapilog-sqlite: a fapilog sink that stores each event as a row in a SQLite database.

SQLite needs no server, keeps logs queryable with plain SQL (``SELECT ... WHERE level =
'ERROR'``), and ships with Python, so this sink has no dependency beyond fapilog.
Every write runs in a worker thread so the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["PLUGIN_METADATA", "SqliteSink"]
__version__ = "0.1.0"

# A table name is spliced into SQL (SQLite cannot bind identifiers), so it must be a
# plain identifier; anything else is refused at construction.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")

_COLUMNS = ("timestamp", "level", "logger", "message")


class SqliteSink:
    """Writes each finalized event to ``table`` in the SQLite file at ``path``.

    Columns: ``id``, ``timestamp``, ``level``, ``logger``, ``message`` and ``event``
    (the whole event as JSON, so nothing is lost and SQLite's JSON functions apply).
    """

    name = "sqlite"

    def __init__(self, *, path: str = "logs.sqlite3", table: str = "events", synchronous: str = "NORMAL") -> None:
        if not _IDENTIFIER.fullmatch(table):
            raise ValueError(f"table must be a plain SQL identifier, got {table!r}")
        if synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError(f"synchronous must be OFF, NORMAL, FULL or EXTRA, got {synchronous!r}")
        self.path = Path(path)
        self.table = table
        self.synchronous = synchronous.upper()
        self._conn: sqlite3.Connection | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        async with self._lock:
            if self._conn is None:
                self._conn = await asyncio.to_thread(self._open)

    async def stop(self) -> None:
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                await asyncio.to_thread(conn.close)

    async def write(self, entry: dict[str, Any]) -> None:
        row = (*(_text(entry.get(column)) for column in _COLUMNS), json.dumps(entry, default=str, ensure_ascii=False))
        async with self._lock:
            if self._conn is None:  # written to before start(): open lazily rather than lose the event
                self._conn = await asyncio.to_thread(self._open)
            await asyncio.to_thread(self._insert, self._conn, row)

    async def health_check(self) -> bool:
        async with self._lock:
            if self._conn is None:
                return False
            try:
                await asyncio.to_thread(self._conn.execute, "SELECT 1")
            except sqlite3.Error:
                return False
            return True

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: asyncio.to_thread may pick any worker thread; the
        # lock above serialises access.
        conn = sqlite3.connect(self.path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")  # readers never block the logger
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT, level TEXT, "
            "logger TEXT, message TEXT, event TEXT NOT NULL)"
        )
        conn.commit()
        return conn

    def _insert(self, conn: sqlite3.Connection, row: tuple[str | None, ...]) -> None:
        with conn:  # one transaction per event: a crash loses at most the event in flight
            conn.execute(
                f"INSERT INTO {self.table} (timestamp, level, logger, message, event) VALUES (?, ?, ?, ?, ?)",
                row,
            )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# Read by fapilog tooling and by plugin catalogs; validated by fapilog's PluginMetadata.
PLUGIN_METADATA = {
    "name": "sqlite",
    "version": __version__,
    "plugin_type": "sink",
    "entry_point": "fapilog_sqlite:SqliteSink",
    "description": "Stores each log event as a row in a local SQLite database, queryable with SQL.",
    "author": "fapilog hub contributors",
    "homepage": "https://fapilog.github.io/fapilog-hub/catalog/sink/sqlite/",
    "repository": "https://github.com/fapilog/fapilog-hub/tree/main/examples/plugins/fapilog-sqlite",
    "license": "Apache-2.0",
    "compatibility": {"min_fapilog_version": "0.18.0", "max_fapilog_version": "0.18.99", "python_version": ">=3.10"},
    "api_version": "1.0",
    "dependencies": [],
    "tags": ["sqlite", "database", "local", "sql"],
    "config_schema": {
        "type": "object",
        "properties": {
            "path": {"type": "string", "description": "SQLite database file; created with its folder if missing"},
            "table": {
                "type": "string",
                "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,62}$",
                "description": "Table for the events",
            },
            "synchronous": {
                "type": "string",
                "enum": ["OFF", "NORMAL", "FULL", "EXTRA"],
                "description": "SQLite's durability setting (PRAGMA synchronous)",
            },
        },
        "additionalProperties": False,
    },
    "default_config": {"path": "logs.sqlite3", "table": "events", "synchronous": "NORMAL"},
}
