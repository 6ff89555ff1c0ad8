"""fapilog's event schema v1.1, for code and queries written for v1.0.

Schema v1.1 moved fields: `metadata` became `data`, the top-level `correlation_id`
moved into `context`, the timestamp became an RFC 3339 string, and exception details
moved under `diagnostics.exception`. This program logs one event through the stdout
sink, reads the line back, and prints where each v1.0 field is now; then it shows that
a redactor path written for v1.0 masks nothing, and that the settings' own
`schema_version` is a different number.

Run it with `python examples/event_schema.py`.
"""

import asyncio
import contextlib
import io
import json
import re

from fapilog import LoggerBuilder, Settings, get_logger
from fapilog.core.errors import request_id_var
from fapilog.testing import MockSink


def one_line() -> dict:
    """Log one event through the stdout sink and return the line it wrote, parsed."""
    buffer = io.BytesIO()
    with contextlib.redirect_stdout(io.TextIOWrapper(buffer, encoding="utf-8")):
        log = LoggerBuilder().add_stdout(capture_mode=True).reuse(False).build()
        # What fapilog.fastapi's middleware sets for each request:
        request_id_var.set("corr-9")
        log.bind(request_id="req-1")
        try:
            {}["sku"]
        except KeyError:
            log.exception("order failed", user_id="u-7", order_id="A-1")
        asyncio.run(log.stop_and_drain())
        line = buffer.getvalue().decode()
    return json.loads(line)


def field_mask(paths: list[str]) -> dict:
    """The event a sink's write() gets, after a field_mask redactor with these paths."""
    sink = MockSink()
    settings = Settings(
        core={"redactors": ["field_mask"]},
        redactor_config={"field_mask": {"fields_to_mask": paths}},
    )
    log = get_logger("paths", settings=settings, sinks=[sink], reuse=False)
    log.info("login", password="hunter2")
    asyncio.run(log.stop_and_drain())
    return sink.events[0]


line = one_line()
print("top level:", sorted(line), "| schema_version:", line["schema_version"])
event = line["log"]
print("log:", sorted(event))
print("context:", sorted(event["context"]))
print("data:", event["data"])  # user_id went to context, not data
rfc3339 = re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", event["timestamp"])
print("timestamp is an RFC 3339 string:", rfc3339 is not None)
exception = event["diagnostics"]["exception"]
print("diagnostics.exception:", sorted(exception))
print("one key with a dot in it, no nested 'error':", "error" not in exception)

print("v1.0 path -> v1.1 path in a stdout line (jq syntax): value")
moves = [
    ("correlation_id", ["context", "correlation_id"]),
    ("metadata.order_id", ["data", "order_id"]),
    ("metadata.error.type", ["diagnostics", "exception", "error.type"]),
]
for old, new in moves:
    value = event
    for key in new:
        value = value[key]
    path = "".join(f'["{key}"]' if "." in key else f".{key}" for key in new)
    print(f"  {old} -> log{path}: {value}")

print("a sink's write() gets:", sorted(field_mask([])))
print("field_mask metadata.password:", field_mask(["metadata.password"])["data"])
print("field_mask data.password:", field_mask(["data.password"])["data"])
print("Settings().schema_version (the configuration's):", Settings().schema_version)
