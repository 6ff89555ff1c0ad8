from fapilog import Settings, runtime

# Meant to keep or drop whole traces: every event of a trace_id gets the same decision.
settings = Settings(
    core={"filters": ["trace_sampling"]},
    filter_config={"trace_sampling": {"sample_rate": 0.5}},
)

with runtime(settings=settings) as log:
    for trace in ("trace-a", "trace-b", "trace-c", "trace-d"):
        log.info("span started", trace_id=trace)
        log.info("span finished", trace_id=trace)

# In fapilog 0.18.1 the filter looks for trace_id at the top of the event, but fapilog
# files it under "context", so the filter never finds it and samples each event at
# random instead: the two events of one trace can get different decisions.
