"""Reading conformance results: which checks exist, which failed, whether a plugin conforms.

The checks themselves live in the installable ``fapilog-hub-conformance`` package
(``packages/fapilog-hub-conformance``), which runs inside each plugin's virtualenv; this
module only interprets the outcomes the probe reported.
"""

from __future__ import annotations

from typing import Any

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"

# The suite's checks, as documented on the "Quality and compliance" page:
# id -> (plugin types, required, what it verifies). tests/test_evaluation_conformance.py runs the
# suite and checks that this list names exactly the checks it reports.
CHECKS: dict[str, tuple[str, bool, str]] = {
    "protocol": ("all", True, "fapilog's validate_<type>() accepts the plugin (name, async methods, signatures)"),
    "lifecycle": ("all", True, "fapilog's validate_plugin_lifecycle(): start() and stop() run without raising"),
    "stop_idempotent": ("all", False, "start(), stop(), stop() again: the second stop does not raise"),
    "health_check": ("all", False, "health_check(), when present, returns a bool after start()"),
    "sink.accepts_writes": ("sink", True, "20 ordinary events written after start() are accepted"),
    "sink.drains_on_stop": (
        "sink",
        True,
        "all 20 events are at the destination (file, stdout, HTTP receiver) once stop() returns",
    ),
    "sink.odd_events": (
        "sink",
        True,
        "10 unusual events (empty, unicode, 60 levels deep, 2000 keys, 1 MB string, ...) are written without raising",
    ),
    "redactor.returns_mapping": ("redactor", True, "redact() returns a dict"),
    "redactor.unrelated_fields_untouched": ("redactor", True, "an event with nothing sensitive comes back unchanged"),
    "redactor.odd_input": ("redactor", True, "the 10 unusual events never raise and always return a dict"),
    "redactor.no_input_mutation": ("redactor", False, "the input event is not modified in place"),
    "redactor.idempotent": ("redactor", False, "redacting twice gives the same event as redacting once"),
    "filter.event_or_none": (
        "filter",
        True,
        "for 50 events, filter() returns a dict (kept) or None (dropped), nothing else",
    ),
    "filter.odd_input": ("filter", True, "the 10 unusual events never raise"),
    "enricher.returns_mapping": ("enricher", True, "enrich() returns a dict of additions"),
    "enricher.keeps_fields": (
        "enricher",
        True,
        "merged the way fapilog merges enrichments, no existing field disappears",
    ),
    "enricher.odd_input": ("enricher", True, "the 10 unusual events never raise and always return a dict"),
    "enricher.semantic_groups": (
        "enricher",
        False,
        "additions target only context, diagnostics or data (fapilog's v1.1 groups)",
    ),
    "enricher.no_input_mutation": ("enricher", False, "the input event is not modified in place"),
    "processor.returns_bytes": ("processor", True, "process() turns a serialized event into bytes"),
    "processor.odd_input": ("processor", True, "empty, non-JSON and 1 MB payloads never raise"),
    "processor.process_many": ("processor", False, "process_many(), when present, returns one result per input"),
}


def conforms(checks: list[dict[str, Any]]) -> bool:
    """No required check failed (and at least one check ran)."""
    return bool(checks) and not failed_required(checks)


def failed_required(checks: list[dict[str, Any]]) -> list[str]:
    return [
        f"{c['check']}: {c['detail']}" if c["detail"] else c["check"]
        for c in checks
        if c["outcome"] == FAILED and c["required"]
    ]
