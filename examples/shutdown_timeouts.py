"""What fapilog's shutdown settings do in 0.18.1, measured with a deliberately slow sink.

- A drain writes every queued event, however long the sink takes;
  `shutdown_timeout_seconds` does not shorten it.
- `asyncio.wait_for(log.drain(), timeout)` raises on time, but the drain goes on in
  its thread and `asyncio.run()` waits for it before returning.
- `flush_on_critical=True` does not send an ERROR ahead of its batch; `await
  log.flush()` does, but returns only after waiting 5 s for an acknowledgement.
- On SIGTERM the drain is not cut at `atexit_drain_timeout_seconds` either.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with shutdown_timeouts.out.
"""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import fapilog
from fapilog import Settings, get_async_logger, get_logger
from fapilog.core.settings import CoreSettings
from fapilog.testing import MockSink, MockSinkConfig

QUEUED = 20
SINK_LATENCY = 0.05  # seconds per event: 20 events take about 1 s to write


def defaults() -> None:
    core = CoreSettings()
    for key in (
        "shutdown_timeout_seconds",
        "atexit_drain_enabled",
        "atexit_drain_timeout_seconds",
        "signal_handler_enabled",
        "flush_on_critical",
        "batch_timeout_seconds",
    ):
        print(f"  {key} = {getattr(core, key)}")


def who_reads(setting: str) -> list[str]:
    """The modules of the installed fapilog whose source names a setting."""
    package = Path(fapilog.__file__).parent
    return sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "tests" not in path.parts and setting in path.read_text(encoding="utf-8")
    )


def drain_writes_everything() -> None:
    sink = MockSink(MockSinkConfig(latency_seconds=SINK_LATENCY))
    settings = Settings(core={"shutdown_timeout_seconds": 0.2})
    log = get_logger("slow", settings=settings, sinks=[sink], reuse=False)
    for i in range(QUEUED):
        log.info("queued", i=i)
    started = time.perf_counter()
    result = asyncio.run(log.stop_and_drain())
    took = time.perf_counter() - started
    print(f"  submitted={result.submitted} processed={result.processed}")
    print(f"  dropped={result.dropped} written={len(sink.events)}")
    assert len(sink.events) == QUEUED and result.dropped == 0
    print("  drain took longer than shutdown_timeout_seconds (0.2 s):", took > 0.2)
    assert took > 0.2


def wait_for_does_not_abandon() -> None:
    sink = MockSink(MockSinkConfig(latency_seconds=SINK_LATENCY))

    async def main() -> None:
        log = await get_async_logger("slow-async", sinks=[sink], reuse=False)
        for i in range(QUEUED):
            await log.info("queued", i=i)
        try:
            await asyncio.wait_for(log.drain(), timeout=0.2)
        except TimeoutError:
            written = len(sink.events)
            print("  TimeoutError after 0.2 s; written so far < 20:", written < QUEUED)
            assert written < QUEUED

    asyncio.run(main())
    print("  written when asyncio.run() returned:", len(sink.events))
    assert len(sink.events) == QUEUED


def flush_on_critical() -> None:
    async def error_in_waiting_batch(flag: bool, batch_timeout: float) -> int:
        sink = MockSink()
        settings = Settings(
            core={
                "flush_on_critical": flag,
                "batch_max_size": 100,
                "batch_timeout_seconds": batch_timeout,
            }
        )
        log = await get_async_logger(
            f"crit-{flag}-{batch_timeout}", settings=settings, sinks=[sink], reuse=False
        )
        await log.error("payment provider down")
        await asyncio.sleep(0.5)
        written = len(sink.events)
        await log.drain()
        return written

    for flag, batch_timeout, expected in (
        (False, 5.0, 0),
        (True, 5.0, 0),
        (False, 0.25, 1),
    ):
        written = asyncio.run(error_in_waiting_batch(flag, batch_timeout))
        print(
            f"  flush_on_critical={flag}, batch_timeout_seconds={batch_timeout}:"
            f" {written} written after 0.5 s"
        )
        assert written == expected

    async def flushed() -> tuple[int, float]:
        sink = MockSink()
        settings = Settings(core={"batch_max_size": 100, "batch_timeout_seconds": 5.0})
        log = await get_async_logger(
            "flushed", settings=settings, sinks=[sink], reuse=False
        )
        await log.error("payment provider down")
        started = time.perf_counter()
        await log.flush()
        took = time.perf_counter() - started
        written = len(sink.events)
        await log.drain()
        return written, took

    written, took = asyncio.run(flushed())
    print(f"  await log.flush(): {written} written when it returned")
    assert written == 1
    print("  ...and flush() returned only after its 5 s wait:", took > 4.9)
    assert took > 4.9


# A child process: a slow sink that stamps each write, 20 queued events, then SIGTERM
# (what Kubernetes sends when it stops a pod).
CHILD = """
import asyncio, os, signal, time
from fapilog import get_logger

class SlowSink:
    name = "slow"
    async def start(self): pass
    async def stop(self): pass
    async def write(self, entry):
        await asyncio.sleep(0.1)
        print(entry["data"]["i"], time.monotonic(), flush=True)

log = get_logger("pod", sinks=[SlowSink()])
for i in range(20):
    log.info("step", i=i)
print("SIGTERM", time.monotonic(), flush=True)
os.kill(os.getpid(), signal.SIGTERM)
"""


def sigterm_drain() -> None:
    env = {**os.environ, "FAPILOG_CORE__ATEXIT_DRAIN_TIMEOUT_SECONDS": "0.5"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env
    )
    stamps = dict(line.split() for line in child.stdout.splitlines())
    signalled = float(stamps.pop("SIGTERM"))
    last_write = max(float(t) for t in stamps.values())
    print(f"  written: {len(stamps)} of 20, exit status {child.returncode}")
    assert len(stamps) == 20 and child.returncode == -15
    print("  writes went on past the 0.5 s timeout:", last_write - signalled > 0.5)
    assert last_write - signalled > 0.5


def main() -> None:
    print("Defaults (CoreSettings):")
    defaults()
    print("Modules that name the setting:")
    for setting in ("shutdown_timeout_seconds", "flush_on_critical"):
        print(f"  {setting}: {', '.join(who_reads(setting))}")
    print("stop_and_drain() with 20 events queued behind a slow sink:")
    drain_writes_everything()
    print("asyncio.wait_for(log.drain(), timeout=0.2):")
    wait_for_does_not_abandon()
    print("An ERROR, 0.5 s after it was logged:")
    flush_on_critical()
    print("SIGTERM with FAPILOG_CORE__ATEXIT_DRAIN_TIMEOUT_SECONDS=0.5:")
    sigterm_drain()


if __name__ == "__main__":
    main()
