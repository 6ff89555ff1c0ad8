from fapilog import Settings, runtime

# A pass-through processor: bytes in, the same bytes out. Useful as a baseline when
# measuring the cost of other processors.
settings = Settings(core={"processors": ["zero_copy"], "serialize_in_flush": True})

with runtime(settings=settings) as log:
    log.info("order placed", order_id=42)
