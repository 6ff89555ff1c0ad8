def test_enrich_returns_only_the_new_context():
    enricher = [[ class_name ]](service="checkout", environment="test")
    event = {"message": "hi", "context": {"request_id": "r1"}}
    assert asyncio.run(enricher.enrich(event)) == {"context": {"service": "checkout", "environment": "test"}}
    assert event == {"message": "hi", "context": {"request_id": "r1"}}, "the input event must not be mutated"


def test_fapilog_loads_the_enricher_by_name_and_merges_its_fields():
    settings = Settings(
        core={"enrichers": [NAME]},
        plugins={"allow_external": True},
        enricher_config={"extra": {NAME: {"service": "checkout"}}},
    )
    capture = asyncio.run(log_through(settings, ("order placed", {"order_id": 42})))
    [event] = capture.events
    assert event["context"]["service"] == "checkout"
    assert event["context"]["environment"] == "development"
    assert event["data"]["order_id"] == 42
