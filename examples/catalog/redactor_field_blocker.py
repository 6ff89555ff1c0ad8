from fapilog import Settings, runtime

settings = Settings(
    core={"redactors": ["field_blocker"]},
    redactor_config={"field_blocker": {"blocked_fields": ["ssn", "api_key"]}},
)

with runtime(settings=settings) as log:
    log.info(
        "customer updated", customer_id=7, ssn="078-05-1120", api_key="sk_live_abc"
    )
