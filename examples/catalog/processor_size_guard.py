from fapilog import Settings, runtime

# Processors work on serialized bytes, so they need serialize_in_flush.
settings = Settings(
    core={"processors": ["size_guard"], "serialize_in_flush": True},
    processor_config={"size_guard": {"max_bytes": 1000, "action": "truncate"}},
)

with runtime(settings=settings) as log:
    log.info("small event")
    log.info("large event " + "x" * 2000)

# In fapilog 0.18.1 an oversized event comes out as the bare marker in the second line:
# the processor looks for `message` and the preserved fields (level, timestamp, logger)
# at the top of the payload, but the v1.1 envelope nests them under "log".
