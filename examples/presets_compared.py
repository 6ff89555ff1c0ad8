"""What each of fapilog's presets builds, read from the logger it returns.

`get_async_logger(preset=NAME)` for every name in `fapilog.list_presets()`; each line
comes from the logger's own sinks, enrichers, redactors, filters and worker settings
(private attributes: 0.18.1 has no public accessor for them), not from the preset's
dictionary. The program runs in a temporary directory because `hardened` adds a
rotating-file sink under ./logs.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with presets_compared.out.
"""

import asyncio
import os
import tempfile
import warnings

from fapilog import get_async_logger, list_presets

LEVEL_NAMES = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}


def names(plugins) -> str:
    return ", ".join(getattr(p, "name", type(p).__name__) for p in plugins) or "none"


def level(log) -> str:
    gates = [f for f in log._filters if f.name == "level"]
    if not gates:
        return "DEBUG (no level filter)"
    return LEVEL_NAMES[gates[0]._min_priority]


def redactors(log) -> str:
    described = []
    for r in log._redactors:
        if r.name == "field_mask":
            described.append(f"field_mask ({len(r._fields)} fields)")
        elif r.name == "regex_mask":
            described.append(f"regex_mask ({len(r._patterns)} patterns)")
        elif r.name == "field_blocker":
            described.append(f"field_blocker ({len(r._effective_blocklist)} fields)")
        else:
            described.append(r.name)
    return ", ".join(described) or "none"


async def describe(preset: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log = await get_async_logger(f"preset-{preset}", preset=preset, reuse=False)
    print(preset)
    for warning in caught:
        print(f"  {warning.category.__name__}: {warning.message}")
    print(f"  level: {level(log)}; sinks: {names(log._sinks)}")
    print(f"  enrichers: {names(log._enrichers)}; processors: {names(log._processors)}")
    print(f"  redactors: {redactors(log)}")
    print(
        f"  workers: {log._num_workers}; batch_max_size: {log._batch_max_size};"
        f" drop_on_full: {log._drop_on_full}"
    )
    print(f"  protected levels: {', '.join(sorted(log._protected_levels))}")
    adaptive = log._pressure_monitor is not None
    print(
        f"  adaptive controller: {'on' if adaptive else 'off'};"
        f" sink circuit breakers: {len(log._circuit_breakers or [])}"
    )
    result = await log.drain()
    summary = type(result.adaptive).__name__ if result.adaptive else None
    print(f"  DrainResult.adaptive: {summary}")


async def main() -> None:
    os.chdir(tempfile.mkdtemp())
    print("presets:", ", ".join(list_presets()))
    for preset in list_presets():
        await describe(preset)
    assert os.listdir(".") == [], "no preset wrote a file before its first event"


if __name__ == "__main__":
    asyncio.run(main())
