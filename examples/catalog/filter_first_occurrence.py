from fapilog import Settings, runtime

# Passes the first occurrence of each message within the window, drops repeats.
settings = Settings(
    core={"filters": ["first_occurrence"]},
    filter_config={"first_occurrence": {"window_seconds": 60}},
)

with runtime(settings=settings) as log:
    for _ in range(5):
        log.warning("config file missing, using defaults")
    log.warning("cache disabled")
