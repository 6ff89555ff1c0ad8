import asyncio

from fapilog.plugins.sinks import MemoryMappedPersistence

# fapilog 0.18.1 ships this with PLUGIN_METADATA but does not register it as a sink, so
# it cannot be enabled by name: it is a building block for custom sinks, with
# open/append_line/close instead of start/write/stop.


async def main() -> None:
    async with MemoryMappedPersistence("events.log", initial_size_bytes=4096) as store:
        await store.append_line(b'{"message": "order placed", "order_id": 42}')
        print(await store.stats())


asyncio.run(main())
