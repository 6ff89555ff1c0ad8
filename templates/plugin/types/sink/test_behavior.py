def test_write_appends_one_json_line_per_event(tmp_path):
    sink = [[ class_name ]](path=str(tmp_path / "out" / "events.jsonl"))

    async def scenario() -> None:
        await sink.start()
        assert await sink.write({"message": "first", "n": 1}) is True
        assert await sink.write_serialized(memoryview(b'{"message":"second"}')) is True
        await sink.stop()

    asyncio.run(scenario())
    lines = (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["first", "second"]


def test_a_failed_write_returns_false_instead_of_raising(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    sink = [[ class_name ]](path=str(blocker / "events.jsonl"))  # parent is a file: open() fails
    assert asyncio.run(sink.write({"message": "lost"})) is False


def test_fapilog_loads_the_sink_by_name_and_writes_through_it(tmp_path):
    path = tmp_path / "events.jsonl"
    settings = Settings(
        core={"sinks": [NAME]},
        plugins={"allow_external": True},
        sink_config={"extra": {NAME: {"path": str(path)}}},
    )

    async def scenario() -> None:
        logger = await get_async_logger("plugin-test", settings=settings, reuse=False)
        await logger.info("order placed", order_id=42)
        await logger.drain()

    asyncio.run(scenario())
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["message"] for r in records] == ["order placed"]
    assert records[0]["data"]["order_id"] == 42
