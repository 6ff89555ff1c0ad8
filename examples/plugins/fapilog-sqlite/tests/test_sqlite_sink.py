"""The SQLite sink on its own and inside a real fapilog logger."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
from fapilog import Settings, runtime
from fapilog.plugins.loader import load_plugin
from fapilog.plugins.metadata import PluginMetadata
from fapilog.testing import validate_plugin_lifecycle, validate_sink
from fapilog_sqlite import PLUGIN_METADATA, SqliteSink


def rows(path, table="events"):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT level, logger, message, event FROM {table} ORDER BY id").fetchall()


def test_metadata_is_valid_for_fapilog():
    meta = PluginMetadata.model_validate(PLUGIN_METADATA)
    assert (meta.plugin_type, meta.name) == ("sink", "sqlite")


def test_fapilog_validators_accept_the_sink(tmp_path):
    sink = SqliteSink(path=str(tmp_path / "v.db"))
    assert validate_sink(sink).valid
    lifecycle = asyncio.run(validate_plugin_lifecycle(sink))
    assert lifecycle.valid, lifecycle.errors
    assert lifecycle.warnings == []  # stop() twice is fine


def test_write_stores_columns_and_the_whole_event(tmp_path):
    db = tmp_path / "sub" / "logs.db"
    sink = SqliteSink(path=str(db), table="app_log")

    async def go():
        await sink.start()
        await sink.write({"timestamp": "t1", "level": "ERROR", "logger": "api", "message": "boom", "data": {"n": 1}})
        await sink.write({"level": "INFO", "message": "naïve ✓"})
        assert await sink.health_check()
        await sink.stop()
        assert not await sink.health_check()

    asyncio.run(go())
    stored = rows(db, "app_log")
    assert [r[:3] for r in stored] == [("ERROR", "api", "boom"), ("INFO", None, "naïve ✓")]
    assert json.loads(stored[0][3])["data"] == {"n": 1}


def test_write_before_start_opens_the_database(tmp_path):
    sink = SqliteSink(path=str(tmp_path / "late.db"))
    asyncio.run(sink.write({"level": "INFO", "message": "early"}))
    assert rows(tmp_path / "late.db")[0][2] == "early"


@pytest.mark.parametrize("table", ["events; DROP TABLE x", "1abc", ""])
def test_table_must_be_an_identifier(table):
    with pytest.raises(ValueError, match="identifier"):
        SqliteSink(table=table)


def test_fapilog_loads_it_by_name_through_its_entry_point(tmp_path):
    sink = load_plugin("fapilog.sinks", "sqlite", {"path": str(tmp_path / "ep.db")})
    assert isinstance(sink, SqliteSink)


def test_a_logger_writes_events_to_the_database(tmp_path):
    db = tmp_path / "app.db"
    settings = Settings(
        core={"sinks": ["sqlite"]},
        plugins={"allowlist": ["sqlite"]},  # external plugins load only when allowed
        sink_config={"extra": {"sqlite": {"path": str(db)}}},
    )
    with runtime(settings=settings) as log:
        log.info("order placed", order_id=42)
        log.error("payment failed", order_id=42)
    stored = rows(db)
    # Rows follow the order the sink received them, and fapilog may hand an ERROR to
    # the sinks before an INFO logged earlier: compare without order.
    assert sorted((r[0], r[2]) for r in stored) == [("ERROR", "payment failed"), ("INFO", "order placed")]
    assert all(json.loads(r[3])["data"] == {"order_id": 42} for r in stored)
