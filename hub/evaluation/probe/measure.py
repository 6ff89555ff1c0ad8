"""Throughput and p95 latency of one plugin operation, interleaved with a reference plugin.

fapilog's `benchmark_async` times each call; the plugin and the reference of the same type
are measured alternately in the same process (reference, plugin, reference, plugin, ...),
so a machine that slows down mid-run slows both, and the ratio stays comparable.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from fapilog.testing import benchmark_async
from fapilog_hub_conformance.events import sample_event

OPERATION = {"sink": "write", "enricher": "enrich", "redactor": "redact", "filter": "filter", "processor": "process"}


def _argument(plugin_type: str) -> Any:
    event = sample_event(7)
    if plugin_type == "processor":
        import json

        return memoryview(json.dumps(event).encode())
    return event


async def _once(plugin_type: str, make: Callable[[], Any], iterations: int, warmup: int) -> dict[str, float]:
    plugin = make()
    if hasattr(plugin, "start"):
        await plugin.start()
    try:
        result = await benchmark_async(
            plugin_type,
            getattr(plugin, OPERATION[plugin_type]),
            _argument(plugin_type),
            iterations=iterations,
            warmup=warmup,
        )
    finally:
        if hasattr(plugin, "stop"):
            await plugin.stop()
    return {"ops_per_second": result.ops_per_second, "p95_ms": result.p95_latency_ms}


async def compare(
    plugin_type: str,
    make: Callable[[], Any],
    reference: Callable[[], Any],
    *,
    iterations: int,
    warmup: int,
    rounds: int,
) -> dict[str, Any]:
    plugin_runs, reference_runs = [], []
    for _ in range(rounds):
        reference_runs.append(await _once(plugin_type, reference, iterations, warmup))
        plugin_runs.append(await _once(plugin_type, make, iterations, warmup))

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "iterations": iterations,
        "warmup": warmup,
        "rounds": rounds,
        "ops_per_second": median(plugin_runs, "ops_per_second"),
        "p95_ms": median(plugin_runs, "p95_ms"),
        "reference_ops_per_second": median(reference_runs, "ops_per_second"),
        "reference_p95_ms": median(reference_runs, "p95_ms"),
    }
