"""What several tests of hub/evaluation/ share: a stored result to judge or render (entry),
an entry of the results file (stored), and the mark of tests that run code in the sandbox."""

from __future__ import annotations

import sys

import pytest

from hub.evaluation import conformance

# Tests that run code in the sandbox: bubblewrap exists on Linux only; elsewhere the
# runner refuses (tested by test_sandbox_refuses_to_run_where_it_cannot_contain).
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the evaluation sandbox needs Linux (bubblewrap)")


BENCH = {  # the shape bench.summarize() writes
    "seconds_per_round": 0.3,
    "calls": 1000,
    "reference_calls": 1000,
    "warmup": 100,
    "rounds": 5,
    "throughput_ratio": 1.0,
    "p95_ratio": 1.0,
    "ops_per_second": 1000.0,
    "p95_ms": 1.0,
    "reference_ops_per_second": 1000.0,
    "reference_p95_ms": 1.0,
}


def entry(**plugin):
    checks = [
        {"check": name, "outcome": "passed", "detail": "", "required": required}
        for name, (_, required, _) in conformance.CHECKS.items()
        if name.startswith(("protocol", "lifecycle", "stop_idempotent", "health_check", "redactor."))
    ]
    record = {
        "status": "passed",
        "failure": None,
        "failure_kind": None,
        "conformance": checks,
        "bench": BENCH,
        "source_file": "pkg/mod.py",
        "behaviour": {"findings": [], "counts": {"HIGH": 0, "MEDIUM": 0, "LOW": 0}},
    }
    record.update(plugin)
    return {
        "package": "pkg",
        "version": "1.0",
        "plugins": {"redactor/x": record},
        "security": {
            "bandit": {"status": "scanned", "findings": []},
            "pip_audit": {"status": "scanned", "audited": 3, "vulnerabilities": []},
            "licenses": {
                "status": "checked",
                "packages": [{"package": "pkg==1.0", "license": "MIT", "allowed": True}],
                "findings": [],
            },
        },
    }


def stored(package: str, fapilog_version: str) -> dict:
    return {"package": package, "version": "1.0", "fapilog_version": fapilog_version, "plugins": {}}
