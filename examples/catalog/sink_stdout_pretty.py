from fapilog import Settings, runtime

settings = Settings(core={"sinks": ["stdout_pretty"]})

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)
