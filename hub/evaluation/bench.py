"""Benchmark figures as ratios to a reference plugin of the same type, measured in the same run.

The probe measures the plugin and its type's reference alternately in one process with
fapilog's ``benchmark_async`` (``probe/measure.py``); here the raw figures become the two
ratios the site shows:

- **throughput ratio** = plugin ops/s ÷ reference ops/s (above 1: faster than the reference);
- **p95 ratio** = plugin p95 latency ÷ reference p95 latency (below 1: lower tail latency).

Absolute figures depend on the machine; the ratios compare across machines because both
sides ran together.
"""

from __future__ import annotations

from typing import Any


def summarize(raw: dict[str, Any]) -> dict[str, Any]:
    ops, ref_ops = raw["ops_per_second"], raw["reference_ops_per_second"]
    p95, ref_p95 = raw["p95_ms"], raw["reference_p95_ms"]
    return {
        **raw,
        "throughput_ratio": round(ops / ref_ops, 3) if ref_ops else None,
        "p95_ratio": round(p95 / ref_p95, 3) if ref_p95 else None,
    }


def comparison_rows(plugins: dict[str, dict[str, Any]], plugin_type: str) -> list[dict[str, Any]]:
    """One row per plugin of a type for the side-by-side table, fastest first; unmeasured last."""
    rows = []
    for plugin_id, record in plugins.items():
        if not plugin_id.startswith(plugin_type + "/"):
            continue
        figures = record.get("bench") or {}
        rows.append(
            {
                "plugin": plugin_id.split("/", 1)[1],
                "throughput_ratio": figures.get("throughput_ratio"),
                "p95_ratio": figures.get("p95_ratio"),
                "ops_per_second": figures.get("ops_per_second"),
                "p95_ms": figures.get("p95_ms"),
                "not_benchmarked": figures.get("not_benchmarked") or (None if figures else "no benchmark result"),
            }
        )
    return sorted(rows, key=lambda r: (r["throughput_ratio"] is None, -(r["throughput_ratio"] or 0)))
