"""Events the suite feeds to plugins: ordinary ones, and odd ones a plugin must survive.

All are JSON-shaped dicts in fapilog's envelope layout (level, message, logger,
context, diagnostics, data), built deterministically so a failure reproduces.
"""

from __future__ import annotations

from typing import Any


def sample_event(n: int = 0) -> dict[str, Any]:
    """An ordinary event; `n` varies the message and the data so events differ."""
    return {
        "timestamp": f"2026-01-01T00:00:{n % 60:02d}.000Z",
        "level": ("DEBUG", "INFO", "WARNING", "ERROR")[n % 4],
        "message": f"request {n} handled",
        "logger": "conformance",
        "context": {"request_id": f"req-{n:04d}", "trace_id": f"{n:032x}"},
        "diagnostics": {},
        "data": {"path": "/orders", "status": 200, "duration_ms": 12.5 + n, "items": [n, n + 1]},
    }


def unrelated_event() -> dict[str, Any]:
    """An event with nothing sensitive in it: a redactor must return it unchanged."""
    return {
        "timestamp": "2026-01-01T00:00:00.000Z",
        "level": "INFO",
        "message": "health check passed",
        "logger": "conformance",
        "context": {"request_id": "req-0001"},
        "diagnostics": {},
        "data": {"path": "/health", "status": 200, "duration_ms": 1.25, "region": "eu-west", "ok": True},
    }


def odd_events() -> list[tuple[str, dict[str, Any]]]:
    """(label, event) pairs that are valid JSON-shaped data but unusual in shape or size."""
    deep: dict[str, Any] = {"leaf": "bottom"}
    for depth in range(60):
        deep = {f"level{depth}": deep}
    return [
        ("empty event", {}),
        ("only a message", {"message": "bare"}),
        ("unicode and control characters", {"message": "héllo ✓ 日本語 \u0000 \t \n", "data": {"ключ": "значение"}}),
        ("deeply nested data (60 levels)", {"message": "deep", "data": deep}),
        ("wide data (2000 keys)", {"message": "wide", "data": {f"k{i}": i for i in range(2000)}}),
        (
            "lists of mixed values",
            {"message": "lists", "data": {"mixed": [1, "two", None, 3.5, True, {"x": [1, 2]}, []]}},
        ),
        (
            "null, bool and number leaves",
            {"message": None, "level": "INFO", "data": {"n": None, "b": False, "f": -0.0, "big": 2**62}},
        ),
        ("a 1 MB string", {"message": "big", "data": {"blob": "x" * 1_000_000}}),
        (
            "dotted and empty keys",
            {"message": "keys", "data": {"a.b.c": 1, "": "empty key", "data": {"data": "nested"}}},
        ),
        ("non-dict groups", {"message": "groups", "context": None, "diagnostics": [], "data": "not a dict"}),
    ]
