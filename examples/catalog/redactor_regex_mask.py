from fapilog import Settings, runtime

# The patterns match field paths (dot-separated), not the values.
settings = Settings(
    core={"redactors": ["regex_mask"]},
    redactor_config={
        "regex_mask": {
            "patterns": [r"data\..*token.*", r"data\.headers\.authorization"]
        }
    },
)

with runtime(settings=settings) as log:
    log.info(
        "upstream call",
        access_token="eyJhbGciOi",
        headers={"authorization": "Bearer x", "accept": "json"},
    )
