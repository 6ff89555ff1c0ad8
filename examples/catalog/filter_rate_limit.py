from fapilog import Settings, runtime

# A token bucket: 3 events at once, then one every two seconds.
settings = Settings(
    core={"filters": ["rate_limit"]},
    filter_config={"rate_limit": {"capacity": 3, "refill_rate_per_sec": 0.5}},
)

with runtime(settings=settings) as log:
    for n in range(10):
        log.info("retrying", attempt=n)
