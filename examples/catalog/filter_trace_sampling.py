from fapilog import Settings, runtime

# Keeps or drops whole traces: every event of a trace gets the same decision.
settings = Settings(
    core={"filters": ["trace_sampling"]},
    filter_config={"trace_sampling": {"sample_rate": 0.5}},
)

with runtime(settings=settings) as log:
    for trace in ("trace-a", "trace-b", "trace-c", "trace-d"):
        log.info("span started", trace_id=trace)
        log.info("span finished", trace_id=trace)
