import os

from fapilog import Settings, runtime

settings = Settings(
    core={"sinks": ["loki"]},
    sink_config={
        "loki": {
            "url": os.environ.get("LOKI_URL", "http://localhost:3100"),
            "labels": {"service": "checkout", "env": "dev"},
            "batch_size": 1,
        }
    },
)

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)
