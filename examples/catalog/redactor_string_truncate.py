from fapilog import Settings, runtime

# fapilog 0.18.1 does not pass redactor_config.string_truncate to the redactor (the
# setting is accepted and ignored); configuring it under "extra" reaches it. It
# truncates every string in the event, timestamp and ids included, so keep the limit
# above their length (ISO timestamps are 24 characters, message ids 36).
settings = Settings(
    core={"redactors": ["string_truncate"]},
    redactor_config={"extra": {"string_truncate": {"max_string_length": 40}}},
)

with runtime(settings=settings) as log:
    log.info("upload received", body="x" * 100)
