"""Reading conformance results: which checks exist, which failed, whether a plugin conforms.

The checks themselves live in the installable ``fapilog-hub-conformance`` package
(``packages/fapilog-hub-conformance``), which runs inside each plugin's virtualenv; this
module only interprets the outcomes the probe reported.
"""

from __future__ import annotations

from typing import Any

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


def conforms(checks: list[dict[str, Any]]) -> bool:
    """No required check failed (and at least one check ran)."""
    return bool(checks) and not failed_required(checks)


def failed_required(checks: list[dict[str, Any]]) -> list[str]:
    return [f"{c['check']}: {c['detail']}" if c["detail"] else c["check"] for c in checks if c["outcome"] == FAILED and c["required"]]


def counts(checks: list[dict[str, Any]]) -> dict[str, int]:
    return {outcome: sum(1 for c in checks if c["outcome"] == outcome) for outcome in (PASSED, FAILED, SKIPPED)}
