import os

from fapilog import Settings, runtime

# Needs the postgres extra: pip install "fapilog[postgres]"
settings = Settings(
    core={"sinks": ["postgres"]},
    sink_config={
        "postgres": {
            "dsn": os.environ.get(
                "DATABASE_URL", "postgresql://app@localhost:5432/app"
            ),
            "table_name": "app_logs",  # created on first use (create_table defaults to true)
            "batch_size": 1,
        }
    },
)

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)
