import os

from fapilog import Settings, runtime

settings = Settings(
    core={"sinks": ["webhook"]},
    sink_config={
        "webhook": {
            "endpoint": os.environ.get("WEBHOOK_URL", "https://hooks.example.com/logs"),
            "secret": os.environ.get(
                "WEBHOOK_SECRET", "change-me"
            ),  # signs each request
            "batch_size": 1,
        }
    },
)

with runtime(settings=settings) as log:
    log.warning("disk almost full", free_percent=4)
