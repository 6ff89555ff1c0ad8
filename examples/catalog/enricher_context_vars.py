from fapilog import Settings, runtime

settings = Settings(core={"enrichers": ["context_vars"]})

with runtime(settings=settings) as log:
    log.bind(request_id="req-42", user_id="u-7")
    log.info("order placed")
