"""Throughput and p95 latency of one plugin operation, interleaved with a reference plugin.

fapilog's `benchmark_async` times each call; the plugin and the reference of the same type
are measured alternately in the same process (reference, plugin, reference, plugin, ...),
so a machine that slows down mid-run slows both, and the ratio stays comparable.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from fapilog.testing import benchmark_async
from fapilog_hub_conformance.events import sample_event

MIN_CALLS, MAX_CALLS = 200, 300_000
OPERATION = {"sink": "write", "enricher": "enrich", "redactor": "redact", "filter": "filter", "processor": "process"}


def _argument(plugin_type: str) -> Any:
    event = sample_event(7)
    if plugin_type == "processor":
        import json

        return memoryview(json.dumps(event).encode())
    return event


async def _once(plugin_type: str, make: Callable[[], Any], seconds: float, warmup: int) -> dict[str, float]:
    """One round: warm up, size the run to last about `seconds`, then time every call.

    A fixed call count would make a fast plugin's round last a millisecond, where one
    scheduler pause decides the result; sizing each round by time keeps rounds comparable.
    """
    plugin = make()
    if hasattr(plugin, "start"):
        await plugin.start()
    try:
        operation, argument = getattr(plugin, OPERATION[plugin_type]), _argument(plugin_type)
        started = time.perf_counter()
        for _ in range(warmup):
            await operation(argument)
        per_call = (time.perf_counter() - started) / warmup
        iterations = max(MIN_CALLS, min(MAX_CALLS, int(seconds / max(per_call, 1e-9))))
        result = await benchmark_async(plugin_type, operation, argument, iterations=iterations, warmup=0)
    finally:
        if hasattr(plugin, "stop"):
            await plugin.stop()
    return {"ops_per_second": result.ops_per_second, "p95_ms": result.p95_latency_ms, "calls": iterations}


async def compare(
    plugin_type: str,
    make: Callable[[], Any],
    reference: Callable[[], Any],
    *,
    seconds: float,
    warmup: int,
    rounds: int,
) -> dict[str, Any]:
    plugin_runs, reference_runs = [], []
    for _ in range(rounds):
        reference_runs.append(await _once(plugin_type, reference, seconds, warmup))
        plugin_runs.append(await _once(plugin_type, make, seconds, warmup))

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "seconds_per_round": seconds,
        "calls": sum(r["calls"] for r in plugin_runs),
        "reference_calls": sum(r["calls"] for r in reference_runs),
        "warmup": warmup,
        "rounds": rounds,
        "ops_per_second": median(plugin_runs, "ops_per_second"),
        "p95_ms": median(plugin_runs, "p95_ms"),
        "reference_ops_per_second": median(reference_runs, "ops_per_second"),
        "reference_p95_ms": median(reference_runs, "p95_ms"),
    }
