def test_redact_masks_listed_fields_at_any_depth_and_keeps_the_input():
    redactor = [[ class_name ]](fields=["password"], mask="[hidden]")
    event = {"data": {"user": "ada", "password": "s3cret", "nested": [{"Password": "x"}]}}
    redacted = asyncio.run(redactor.redact(event))
    assert redacted == {"data": {"user": "ada", "password": "[hidden]", "nested": [{"Password": "[hidden]"}]}}
    assert event["data"]["password"] == "s3cret", "the input event must not be mutated"


def test_fapilog_loads_the_redactor_by_name_and_the_secret_never_reaches_the_sink():
    settings = Settings(
        core={"redactors": [NAME]},
        plugins={"allow_external": True},
        redactor_config={"extra": {NAME: {"fields": ["api_key"]}}},
    )
    capture = asyncio.run(log_through(settings, ("calling partner", {"api_key": "sk-live-123", "partner": "acme"})))
    [event] = capture.events
    assert event["data"]["api_key"] == "***"
    assert event["data"]["partner"] == "acme"
    assert "sk-live-123" not in json.dumps(event)
