from fapilog import Settings, runtime

settings = Settings(
    core={"filters": ["level"]},
    filter_config={"level": {"min_level": "WARNING"}},
)

with runtime(settings=settings) as log:
    log.info("dropped: below WARNING")
    log.warning("kept: disk almost full")
