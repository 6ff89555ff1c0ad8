from fapilog import Settings, runtime

# runtime_info is on by default; listing enrichers replaces the default list.
settings = Settings(core={"enrichers": ["runtime_info"]})

with runtime(settings=settings) as log:
    log.info("service started")
