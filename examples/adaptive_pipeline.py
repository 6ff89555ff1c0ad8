"""The production preset's adaptive controller under a load its sink cannot keep up with.

The settings are the `production` preset's (`fapilog.core.presets.get_preset`) with a
queue of 200 events instead of 10,000, so that a few seconds of overload fill it. The
sink takes 100 ms per event. For 3.5 s the program logs 50 INFO events and one ERROR
every 50 ms, then drains and prints `DrainResult.adaptive`.

How far the pressure climbs depends on the machine's speed, so the program prints
only what holds on any machine: the controller escalated, swapped in stricter
filters and added workers; INFO events were shed; every ERROR was written.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with adaptive_pipeline.out.
"""

import asyncio
import time
from collections import Counter

from fapilog import Settings, get_async_logger
from fapilog.core.presets import get_preset
from fapilog.core.pressure import PressureLevel
from fapilog.testing import MockSink, MockSinkConfig

LEVEL_NAMES = {20: "INFO", 30: "WARNING", 40: "ERROR"}


def describe(f) -> str:
    if f.name == "level":
        return f"level >= {LEVEL_NAMES[f._min_priority]}"
    if f.name == "adaptive_sampling":
        always = ", ".join(sorted(f._always_pass))
        return f"adaptive_sampling (target {f._target_eps:g}/s, always {always})"
    return f.name


async def main() -> None:
    config = get_preset("production")
    config.pop("_apply_credentials_preset")  # redaction presets: not needed here
    config["core"]["max_queue_size"] = 200
    print("production preset, adaptive section:")
    for key, value in config["adaptive"].items():
        print(f"  {key} = {value}")

    adaptive = Settings(**config).adaptive
    print("queue fill that escalates to elevated / high / critical:")
    print(
        f"  {adaptive.escalate_to_elevated} / {adaptive.escalate_to_high}"
        f" / {adaptive.escalate_to_critical}"
    )
    sink = MockSink(MockSinkConfig(latency_seconds=0.1))
    log = await get_async_logger(
        "adaptive", settings=Settings(**config), sinks=[sink], reuse=False
    )
    print("filters at each pressure level (the logger's own ladder):")
    for level, filters in log._adaptive_filter_ladder.items():
        print(f"  {level.value}: {', '.join(describe(f) for f in filters)}")

    logged = Counter()
    started = time.monotonic()
    while time.monotonic() - started < 3.5:
        for _ in range(50):
            await log.info("tick")
            logged["INFO"] += 1
        await log.error("tock")
        logged["ERROR"] += 1
        await asyncio.sleep(0.05)
    result = await log.drain()
    written = Counter(event["level"] for event in sink.events)
    summary = result.adaptive

    levels = list(PressureLevel)
    print("pressure levels, lowest first:", ", ".join(level.value for level in levels))
    peak = levels.index(summary.peak_pressure_level)
    print("peak pressure above normal:", peak > 0)
    print("escalations >= 1:", summary.escalation_count >= 1)
    print("filter sets swapped >= 1:", summary.filters_swapped >= 1)
    print("peak workers above the preset's 2:", summary.peak_workers > 2)
    print("INFO written < INFO logged:", written["INFO"] < logged["INFO"])
    print("ERROR written == ERROR logged:", written["ERROR"] == logged["ERROR"])
    filtered = result.submitted - result.processed - result.dropped
    print("some events filtered out by the stricter filters:", filtered > 0)
    assert filtered > 0
    assert peak > 0 and summary.escalation_count >= 1 and summary.filters_swapped >= 1
    assert summary.peak_workers > 2
    assert written["INFO"] < logged["INFO"] and written["ERROR"] == logged["ERROR"]
    print("submitted == logged:", result.submitted == sum(logged.values()))
    assert result.submitted == sum(logged.values())


if __name__ == "__main__":
    asyncio.run(main())
