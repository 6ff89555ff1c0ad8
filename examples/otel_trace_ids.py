"""OpenTelemetry trace and span ids in fapilog events.

fapilog's `context_vars` enricher (on by default) is written to add the current
OpenTelemetry span's ids as `context.trace_id` and `context.span_id`. In 0.18.1 it never
does: it calls the span context's `is_valid` as a method, but OpenTelemetry defines it
as a property, and the resulting error is swallowed. This program shows that, and two
ways to get the ids into events: pass them with the call, or bind them for the span's
duration.

Needs `pip install opentelemetry-api opentelemetry-sdk`. No exporter is configured:
the spans stay in process.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with otel_trace_ids.out.
"""

import asyncio
from contextlib import contextmanager

from fapilog import get_async_logger
from fapilog.plugins.enrichers.context_vars import ContextVarsEnricher
from fapilog.testing import MockSink
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

trace.set_tracer_provider(TracerProvider())
tracer = trace.get_tracer("checkout")


def span_ids() -> dict[str, str]:
    """The current span's ids in the W3C hex form, or nothing outside a span."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {
        "trace_id": f"{context.trace_id:032x}",
        "span_id": f"{context.span_id:016x}",
    }


@contextmanager
def span_bound(log, name: str):
    """Start a span and bind its ids to the logger until the span ends."""
    with tracer.start_as_current_span(name) as span:
        ids = span_ids()
        log.bind(**ids)
        try:
            yield span
        finally:
            log.unbind(*ids)


def ids_in(event: dict) -> str:
    context = event["context"]
    found = {key: context[key] for key in ("trace_id", "span_id") if key in context}
    return ", ".join(f"{key}={value}" for key, value in found.items()) or "no ids"


async def main() -> None:
    sink = MockSink()
    log = await get_async_logger("checkout", sinks=[sink], reuse=False)

    with tracer.start_as_current_span("charge-card"):
        ids = span_ids()
        await log.info("plain call inside the span")
        enriched = await ContextVarsEnricher().enrich({})  # the enricher, called here
        await log.info("ids passed with the call", **span_ids())

    with span_bound(log, "ship-order"):
        bound = span_ids()
        await log.info("ids bound for the span")
    await log.info("after the span")
    await log.drain()

    # Sample ids are random: show them as the span they came from.
    names = {
        ids["trace_id"]: "<charge-card trace>",
        ids["span_id"]: "<charge-card span>",
    }
    names |= {
        bound["trace_id"]: "<ship-order trace>",
        bound["span_id"]: "<ship-order span>",
    }
    for event in sink.events:
        shown = ids_in(event)
        for raw, name in names.items():
            shown = shown.replace(raw, name)
        print(f"{event['message']}: {shown}")
        print(f"  in data: {sorted(event['data'])}")

    direct = enriched["context"]
    print("the enricher, called inside the span, finds:", sorted(direct))
    assert "trace_id" not in direct
    is_property = isinstance(vars(trace.SpanContext)["is_valid"], property)
    print("SpanContext.is_valid is a property:", is_property)
    assert is_property
    events = {event["message"]: event["context"] for event in sink.events}
    assert "trace_id" not in events["plain call inside the span"]
    assert events["ids passed with the call"]["trace_id"] == ids["trace_id"]
    assert events["ids bound for the span"]["span_id"] == bound["span_id"]
    assert "trace_id" not in events["after the span"]


if __name__ == "__main__":
    asyncio.run(main())
