"""Level routing: routine events to stdout, warnings and errors to PostgreSQL.

The platform ships stdout to the log store; the rows in PostgreSQL are the ones an
on-call engineer queries (`WHERE level = 'ERROR'`). The PostgreSQL sink creates its
table on first use and stores the whole event as JSONB beside columns for timestamp,
level, logger, correlation_id and message.

Needs `pip install "fapilog[postgres]"` and a server. Tell the example where it is in the
variable fapilog itself reads:

    FAPILOG_POSTGRES__DSN=postgresql://user:password@localhost:5432/db python level_routing_postgres.py

The tests start a throwaway PostgreSQL cluster and pass its DSN the same way.
"""

import asyncio
import os
import sys

import asyncpg
from fapilog import LoggerBuilder

TABLE = "fapilog_example_alerts"  # this example's own table: it starts from scratch


def build_logger(dsn: str):
    return (
        LoggerBuilder()
        .with_name("orders")
        .with_level("INFO")
        .add_stdout()
        # batch_size=1: one INSERT per event. fapilog 0.18.1 does not stop sinks when a
        # logger drains, so a batching sink's last partial batch would never be written.
        .add_postgres(dsn=dsn, table=TABLE, batch_size=1)
        .with_routing(
            rules=[
                {"levels": ["DEBUG", "INFO"], "sinks": ["stdout_json"]},
                {"levels": ["WARNING", "ERROR", "CRITICAL"], "sinks": ["postgres"]},
            ]
        )
        .build()
    )


async def sql(dsn: str, query: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetch(query)
    finally:
        await conn.close()


def main() -> None:
    dsn = os.environ.get("FAPILOG_POSTGRES__DSN")
    if not dsn:
        sys.exit("Set FAPILOG_POSTGRES__DSN to a PostgreSQL connection string.")

    asyncio.run(sql(dsn, f"DROP TABLE IF EXISTS {TABLE}"))

    log = build_logger(dsn)
    log.info("order received", order_id="A-1001", items=3)
    log.warning("payment retry", order_id="A-1001", attempt=2)
    try:
        raise TimeoutError("card processor did not answer in 3 s")
    except TimeoutError:
        log.exception("payment failed", order_id="A-1001")
    log.info("order parked for manual review", order_id="A-1001")

    # Drain: the worker writes what is still queued (each event is its own batch here).
    asyncio.run(log.stop_and_drain())

    print(f"--- table {TABLE}, as the sink created it ---")
    columns = asyncio.run(
        sql(
            dsn,
            "SELECT column_name, data_type FROM information_schema.columns "
            f"WHERE table_name = '{TABLE}' ORDER BY ordinal_position",
        )
    )
    print(", ".join(f"{c['column_name']} {c['data_type']}" for c in columns))
    indexes = asyncio.run(
        sql(
            dsn,
            f"SELECT indexdef FROM pg_indexes WHERE tablename = '{TABLE}' ORDER BY indexname",
        )
    )
    print("indexes:", ", ".join(i["indexdef"].split(" USING ")[1] for i in indexes))
    print(f"--- rows in {TABLE} ---")
    query = f"""
        SELECT level, message, event->'data' AS data,
               event->'diagnostics'->'exception'->>'error.type' AS error
        FROM {TABLE} ORDER BY level"""
    for row in asyncio.run(sql(dsn, query)):
        print(row["level"], row["message"], row["data"], row["error"])


if __name__ == "__main__":
    main()
