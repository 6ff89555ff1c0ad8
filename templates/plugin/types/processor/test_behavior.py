def test_process_wraps_the_record_in_an_envelope():
    processor = [[ class_name ]](topic="audit")
    out = asyncio.run(processor.process(memoryview(b'{"message":"hi"}\n')))
    assert json.loads(bytes(out)) == {"topic": "audit", "record": {"message": "hi"}}


def test_fapilog_loads_the_processor_by_name_on_the_serialized_path():
    settings = Settings(
        core={"processors": [NAME], "serialize_in_flush": True},
        plugins={"allow_external": True},
        processor_config={"extra": {NAME: {"topic": "audit"}}},
    )
    capture = asyncio.run(log_through(settings, ("order placed", {"order_id": 42})))
    assert capture.events == [], "with serialize_in_flush the sink receives bytes, not mappings"
    [payload] = capture.serialized
    envelope = json.loads(payload)
    assert envelope["topic"] == "audit"
    assert "order placed" in json.dumps(envelope["record"])


def test_without_serialize_in_flush_processors_do_not_run():
    # A fapilog behaviour worth knowing: processors act on serialized bytes only.
    settings = Settings(core={"processors": [NAME]}, plugins={"allow_external": True})
    capture = asyncio.run(log_through(settings, ("order placed", {})))
    assert capture.serialized == []
    assert [event["message"] for event in capture.events] == ["order placed"]
