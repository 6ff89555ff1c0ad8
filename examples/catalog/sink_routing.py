from fapilog import Settings, runtime

# Errors go to stdout as JSON lines; everything else to the pretty console format.
settings = Settings(
    core={"sinks": ["routing"]},
    sink_config={
        "extra": {
            "routing": {"routes": {"ERROR": ["stdout_json"], "*": ["stdout_pretty"]}}
        }
    },
)

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)
    log.error("payment failed", order_id=42)

# The output shows the ERROR first: fapilog 0.18.1 handed it to the sinks ahead of the
# INFO logged before it. Order by timestamp where the order matters.
