"""fapilog's own Prometheus metrics (core.enable_metrics), in the exposition format.

With `enable_metrics=True` and `prometheus_client` installed, each logger records into
its own `CollectorRegistry`, not prometheus_client's global one, so a plain
`generate_latest()` shows no fapilog metric. 0.18.1 has no public accessor for that
registry; this program reads the private `log._metrics.registry`.

Three runs show what the counters mean: a clean run, a run that overflows a tiny
queue, and a run whose sink fails. Timing series (`*_seconds`, `*_created`) vary from
run to run and are left out.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with prometheus_metrics.out.
"""

import asyncio
import contextlib
import io
import subprocess
import sys

from fapilog import Settings, get_logger
from fapilog.testing import MockSink, MockSinkConfig
from prometheus_client import REGISTRY, generate_latest


def exposition(log) -> dict[str, str]:
    """The registry's sample lines by series name, without timing series."""
    lines = generate_latest(log._metrics.registry).decode().splitlines()
    samples = [line for line in lines if not line.startswith("#")]
    return {
        line.rsplit(" ", 1)[0]: line
        for line in samples
        if "_seconds" not in line and "_created" not in line
    }


def run(sink, events: int, **core):
    settings = Settings(core={"enable_metrics": True, "log_level": "INFO", **core})
    log = get_logger("metrics", settings=settings, sinks=[sink], reuse=False)
    for i in range(events):
        log.info("order placed", i=i)
    log.debug("not at INFO")
    result = asyncio.run(log.stop_and_drain())
    return log, result


# Without prometheus_client (hidden from the import system here), the setting is off.
WITHOUT_CLIENT = """
import asyncio, sys
sys.modules["prometheus_client"] = None
from fapilog import Settings, get_logger
from fapilog.testing import MockSink
settings = Settings(core={"enable_metrics": True})
log = get_logger("no-client", settings=settings, sinks=[MockSink()], reuse=False)
print(log._metrics.is_enabled, log._metrics.registry)
asyncio.run(log.stop_and_drain())
"""


def main() -> None:
    print("1. Five INFO events and one DEBUG below the level; two enrichers (default):")
    log, result = run(MockSink(), 5)
    series = exposition(log)
    for name in (
        "fapilog_events_submitted_total",
        "fapilog_events_filtered_total",
        "fapilog_events_processed_total",
        "fapilog_batch_size_sum",
        "fapilog_queue_high_watermark",
    ):
        print("  ", series[name])
    print("   DrainResult.processed:", result.processed)
    watermark = result.queue_depth_high_watermark
    print("   DrainResult.queue_depth_high_watermark > 0:", watermark > 0)
    assert watermark > 0 and series["fapilog_queue_high_watermark"].endswith(" 0.0")
    assert series["fapilog_events_processed_total"].endswith(" 10.0")
    assert result.processed == 5

    print("   The same run with enrichers=[]:")
    log, result = run(MockSink(), 5, enrichers=[])
    print("  ", exposition(log)["fapilog_events_processed_total"])
    assert exposition(log)["fapilog_events_processed_total"].endswith(" 0.0")

    print("2. 200 events into a queue of 3 (drop_on_full=True, slow sink):")
    slow = MockSink(MockSinkConfig(latency_seconds=0.01))
    log, result = run(slow, 200, max_queue_size=3, drop_on_full=True)
    series = exposition(log)
    dropped = series['fapilog_events_dropped_total{protected="false"}']
    print("  ", series["fapilog_events_submitted_total"])
    print(
        "   dropped_total equals DrainResult.dropped:",
        dropped.endswith(f" {result.dropped}.0"),
    )
    print("   some were dropped:", result.dropped > 0)
    assert dropped.endswith(f" {result.dropped}.0") and result.dropped > 0

    print("3. A sink that fails after two writes:")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        log, result = run(MockSink(MockSinkConfig(fail_after=2)), 5)
    series = exposition(log)
    fallback = [line for line in stderr.getvalue().splitlines() if '"message"' in line]
    print("   events written to the stderr fallback:", len(fallback))
    print("   DrainResult.processed:", result.processed)
    errors = [name for name in series if name.startswith("fapilog_sink_errors_total")]
    print("   fapilog_sink_errors_total series:", errors)
    assert len(fallback) == 3 and errors == []

    fapilog_in_global = [
        line
        for line in generate_latest(REGISTRY).decode().splitlines()
        if "fapilog" in line
    ]
    print("fapilog lines in prometheus_client's global registry:", fapilog_in_global)
    assert fapilog_in_global == []

    child = subprocess.run(
        [sys.executable, "-c", WITHOUT_CLIENT], capture_output=True, text=True
    )
    print("without prometheus_client: enabled, registry =", child.stdout.strip())
    assert child.stdout.strip() == "False None"


if __name__ == "__main__":
    main()
