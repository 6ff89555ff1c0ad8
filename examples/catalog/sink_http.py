import os

from fapilog import Settings, runtime

# The http sink is configured by the top-level `http` settings (FAPILOG_HTTP__ENDPOINT),
# not by sink_config.http.
settings = Settings(
    core={"sinks": ["http"]},
    http={
        "endpoint": os.environ.get("LOG_ENDPOINT", "https://logs.example.com/ingest"),
        "batch_size": 1,
    },
)

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)
