def test_filter_drops_matching_messages_and_keeps_others():
    plugin = [[ class_name ]](drop_prefixes=["healthcheck"])
    assert asyncio.run(plugin.filter({"message": "healthcheck ok"})) is None
    kept = {"message": "order placed"}
    assert asyncio.run(plugin.filter(kept)) is kept


def test_fapilog_loads_the_filter_by_name_and_drops_events():
    settings = Settings(
        core={"filters": [NAME]},
        plugins={"allow_external": True},
        filter_config={"extra": {NAME: {"drop_prefixes": ["healthcheck"]}}},
    )
    capture = asyncio.run(log_through(settings, ("healthcheck ok", {}), ("order placed", {}), ("healthcheck ok", {})))
    assert [event["message"] for event in capture.events] == ["order placed"]
