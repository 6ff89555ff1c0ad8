"""Behavioural conformance checks for fapilog plugins (the suite the fapilog hub runs).

In a plugin's own tests::

    from fapilog_hub_conformance import assert_conforms

    def test_my_redactor_conforms():
        assert_conforms("redactor", lambda: MyRedactor(fields=["password"]))

Inside a running event loop (pytest-asyncio, anyio) use ``await assert_conforms_async(...)``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .receiver import Receiver
from .suite import (
    FAILED,
    PASSED,
    PLUGIN_TYPES,
    SKIPPED,
    CheckResult,
    Factory,
    check_enricher,
    check_filter,
    check_processor,
    check_redactor,
    check_sink,
    conforms,
    run_suite,
)

__version__ = "0.1.0"


class ConformanceError(AssertionError):
    """Raised by assert_conforms; the message lists every failed required check."""


async def assert_conforms_async(plugin_type: str, factory: Factory, **options: Any) -> list[CheckResult]:
    results = await run_suite(plugin_type, factory, **options)
    if not conforms(results):
        lines = [f"  {r.check}: {r.detail}" for r in results if r.failed and r.required]
        raise ConformanceError(f"{plugin_type} does not conform:\n" + "\n".join(lines))
    return results


def assert_conforms(plugin_type: str, factory: Factory, **options: Any) -> list[CheckResult]:
    """Run the suite and raise ConformanceError if a required check failed.

    Returns every result (advisory failures and skips included) for further assertions.
    """
    return asyncio.run(assert_conforms_async(plugin_type, factory, **options))


__all__ = [
    "PASSED",
    "FAILED",
    "SKIPPED",
    "PLUGIN_TYPES",
    "CheckResult",
    "ConformanceError",
    "Receiver",
    "assert_conforms",
    "assert_conforms_async",
    "check_enricher",
    "check_filter",
    "check_processor",
    "check_redactor",
    "check_sink",
    "conforms",
    "run_suite",
]
