from fapilog import Settings, runtime

settings = Settings(
    core={"redactors": ["field_mask"]},
    # Paths start at the event's top level: your fields live under "data".
    redactor_config={
        "field_mask": {"fields_to_mask": ["data.password", "data.card.number"]}
    },
)

with runtime(settings=settings) as log:
    log.info(
        "signed in",
        user="alice",
        password="hunter2",
        card={"number": "4111111111111111", "brand": "visa"},
    )
