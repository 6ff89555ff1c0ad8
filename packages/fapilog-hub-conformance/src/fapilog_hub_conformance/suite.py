"""The conformance suite: fapilog's own validators plus behavioural checks per plugin type.

Each suite takes a *factory* (a zero-argument callable returning a fresh, unstarted plugin
instance) so that every check starts from a clean plugin, and returns a list of
:class:`CheckResult`. A check is *required* (its failure makes the plugin non-conforming) or
*advisory* (reported, and used by the hub's gold tier, but not a conformance failure).
A check that cannot be observed for this plugin is *skipped* with the reason, never passed.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fapilog import testing as fapilog_testing

from .events import odd_events, sample_event, unrelated_event

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
PLUGIN_TYPES = ("sink", "enricher", "redactor", "filter", "processor")
CHECK_TIMEOUT_SECONDS = 20.0  # one check; the hub's runner has its own, outer timeout
SINK_WRITES = 20  # events written by the delivery checks

Factory = Callable[[], Any]
Delivered = Callable[[], "int | Awaitable[int]"]


@dataclass(frozen=True)
class CheckResult:
    check: str
    outcome: str  # passed | failed | skipped
    detail: str = ""
    required: bool = True

    @property
    def failed(self) -> bool:
        return self.outcome == FAILED

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "outcome": self.outcome, "detail": self.detail, "required": self.required}


class _Check:
    """Collects results; each check body runs under a timeout with its exception recorded."""

    def __init__(self) -> None:
        self.results: list[CheckResult] = []

    async def run(self, check: str, body: Callable[[], Awaitable[tuple[str, str]]], *, required: bool = True) -> None:
        try:
            outcome, detail = await asyncio.wait_for(body(), CHECK_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            outcome, detail = FAILED, f"did not finish within {CHECK_TIMEOUT_SECONDS:.0f} s"
        except Exception as exc:  # the plugin's exception is the finding
            outcome, detail = FAILED, f"raised {type(exc).__name__}: {_short(exc)}"
        self.results.append(CheckResult(check, outcome, detail, required))


def _short(value: object, limit: int = 300) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def _start(plugin: Any) -> None:
    if hasattr(plugin, "start"):
        await plugin.start()


async def _stop(plugin: Any) -> None:
    if hasattr(plugin, "stop"):
        await plugin.stop()


_VALIDATORS = {
    "sink": fapilog_testing.validate_sink,
    "enricher": fapilog_testing.validate_enricher,
    "redactor": fapilog_testing.validate_redactor,
    "filter": fapilog_testing.validate_filter,
    "processor": fapilog_testing.validate_processor,
}


async def _common(checks: _Check, plugin_type: str, factory: Factory) -> None:
    """fapilog's validators and the lifecycle every plugin type shares."""

    async def protocol() -> tuple[str, str]:
        result = _VALIDATORS[plugin_type](factory())
        notes = "; ".join(result.errors + [f"warning: {w}" for w in result.warnings])
        return (PASSED if result.valid else FAILED), notes

    async def lifecycle() -> tuple[str, str]:
        result = await fapilog_testing.validate_plugin_lifecycle(factory())
        notes = "; ".join(result.errors + [f"warning: {w}" for w in result.warnings])
        return (PASSED if result.valid else FAILED), notes

    async def stop_idempotent() -> tuple[str, str]:
        plugin = factory()
        await _start(plugin)
        await _stop(plugin)
        await _stop(plugin)
        return PASSED, ""

    async def health() -> tuple[str, str]:
        plugin = factory()
        if not hasattr(plugin, "health_check"):
            return SKIPPED, "no health_check(); fapilog assumes healthy"
        await _start(plugin)
        try:
            value = await _maybe_await(plugin.health_check())
        finally:
            await _stop(plugin)
        if isinstance(value, bool):
            return PASSED, f"returned {value}"
        return FAILED, f"returned {type(value).__name__}, expected bool"

    await checks.run("protocol", protocol)
    await checks.run("lifecycle", lifecycle)
    await checks.run("stop_idempotent", stop_idempotent, required=False)
    await checks.run("health_check", health, required=False)


async def check_sink(factory: Factory, *, delivered: Delivered | None = None) -> list[CheckResult]:
    """A sink accepts writes after start, drains them by stop, and survives odd events.

    `delivered` (optional) returns how many events reached the sink's destination (lines
    in its file, requests at a receiver, rows in a table); without it the drain check is
    skipped, because nothing can observe it.
    """
    checks = _Check()
    await _common(checks, "sink", factory)

    async def accepts_writes() -> tuple[str, str]:
        sink = factory()
        await _start(sink)
        try:
            for n in range(SINK_WRITES):
                await sink.write(sample_event(n))
        finally:
            await _stop(sink)
        return PASSED, f"{SINK_WRITES} writes accepted"

    async def drains_on_stop() -> tuple[str, str]:
        if delivered is None:
            return SKIPPED, "no observable destination for this sink here"
        before = await _maybe_await(delivered())
        sink = factory()
        await _start(sink)
        for n in range(SINK_WRITES):
            await sink.write(sample_event(n))
        await _stop(sink)
        arrived = await _maybe_await(delivered()) - before
        if arrived >= SINK_WRITES:
            return PASSED, f"{arrived}/{SINK_WRITES} events at the destination after stop()"
        return FAILED, f"only {arrived}/{SINK_WRITES} events at the destination after stop()"

    async def odd() -> tuple[str, str]:
        sink = factory()
        await _start(sink)
        problems = []
        try:
            for label, event in odd_events():
                try:
                    await sink.write(event)
                except Exception as exc:
                    problems.append(f"{label}: {type(exc).__name__}: {_short(exc, 120)}")
        finally:
            await _stop(sink)
        return (FAILED, "; ".join(problems)) if problems else (PASSED, f"{len(odd_events())} odd events written")

    await checks.run("sink.accepts_writes", accepts_writes)
    await checks.run("sink.drains_on_stop", drains_on_stop)
    await checks.run("sink.odd_events", odd)
    return checks.results


async def check_redactor(factory: Factory) -> list[CheckResult]:
    """A redactor returns a mapping, leaves unrelated fields alone and never raises."""
    checks = _Check()
    await _common(checks, "redactor", factory)

    async def returns_mapping() -> tuple[str, str]:
        result = await factory().redact(sample_event(1))
        return (PASSED, "") if isinstance(result, dict) else (FAILED, f"returned {type(result).__name__}")

    async def unrelated() -> tuple[str, str]:
        event = unrelated_event()
        result = await factory().redact(copy.deepcopy(event))
        if result == event:
            return PASSED, ""
        changed = sorted(_changed_paths(event, result))
        return FAILED, "changed: " + ", ".join(changed[:10])

    async def odd() -> tuple[str, str]:
        redactor = factory()
        problems = []
        for label, event in odd_events():
            try:
                result = await redactor.redact(event)
                if not isinstance(result, dict):
                    problems.append(f"{label}: returned {type(result).__name__}")
            except Exception as exc:
                problems.append(f"{label}: {type(exc).__name__}: {_short(exc, 120)}")
        return (FAILED, "; ".join(problems)) if problems else (PASSED, f"{len(odd_events())} odd events")

    async def no_mutation() -> tuple[str, str]:
        event = _sensitive_event()
        before = copy.deepcopy(event)
        await factory().redact(event)
        return (PASSED, "") if event == before else (FAILED, "the input event was modified in place")

    async def idempotent() -> tuple[str, str]:
        redactor = factory()
        once = await redactor.redact(_sensitive_event())
        twice = await redactor.redact(copy.deepcopy(once))
        return (PASSED, "") if once == twice else (FAILED, "redacting twice differs from redacting once")

    await checks.run("redactor.returns_mapping", returns_mapping)
    await checks.run("redactor.unrelated_fields_untouched", unrelated)
    await checks.run("redactor.odd_input", odd)
    await checks.run("redactor.no_input_mutation", no_mutation, required=False)
    await checks.run("redactor.idempotent", idempotent, required=False)
    return checks.results


async def check_filter(factory: Factory) -> list[CheckResult]:
    """A filter returns the event (possibly transformed) or None, and never raises."""
    checks = _Check()
    await _common(checks, "filter", factory)

    async def event_or_none() -> tuple[str, str]:
        filt = factory()
        await _start(filt)
        kept = dropped = 0
        try:
            for n in range(50):
                result = await filt.filter(sample_event(n))
                if result is None:
                    dropped += 1
                elif isinstance(result, dict):
                    kept += 1
                else:
                    return FAILED, f"returned {type(result).__name__} for event {n}"
        finally:
            await _stop(filt)
        return PASSED, f"kept {kept}, dropped {dropped} of 50"

    async def odd() -> tuple[str, str]:
        filt = factory()
        await _start(filt)
        problems = []
        try:
            for label, event in odd_events():
                try:
                    result = await filt.filter(event)
                    if result is not None and not isinstance(result, dict):
                        problems.append(f"{label}: returned {type(result).__name__}")
                except Exception as exc:
                    problems.append(f"{label}: {type(exc).__name__}: {_short(exc, 120)}")
        finally:
            await _stop(filt)
        return (FAILED, "; ".join(problems)) if problems else (PASSED, f"{len(odd_events())} odd events")

    await checks.run("filter.event_or_none", event_or_none)
    await checks.run("filter.odd_input", odd)
    return checks.results


async def check_enricher(factory: Factory) -> list[CheckResult]:
    """An enricher returns additions that, merged the way fapilog merges them, remove nothing."""
    checks = _Check()
    await _common(checks, "enricher", factory)

    async def returns_mapping() -> tuple[str, str]:
        enricher = factory()
        await _start(enricher)
        try:
            result = await enricher.enrich(sample_event(1))
        finally:
            await _stop(enricher)
        return (
            (PASSED, f"added {sorted(result)}")
            if isinstance(result, dict)
            else (FAILED, f"returned {type(result).__name__}")
        )

    async def keeps_fields() -> tuple[str, str]:
        enricher = factory()
        await _start(enricher)
        try:
            event = sample_event(2)
            additions = await enricher.enrich(copy.deepcopy(event))
        finally:
            await _stop(enricher)
        merged = deep_merge(event, additions if isinstance(additions, dict) else {})
        lost = sorted(_paths(event) - _paths(merged))
        return (FAILED, "removed: " + ", ".join(lost[:10])) if lost else (PASSED, "")

    async def semantic_groups() -> tuple[str, str]:
        enricher = factory()
        await _start(enricher)
        try:
            result = await enricher.enrich(sample_event(3))
        finally:
            await _stop(enricher)
        other = (
            sorted(set(result) - {"context", "diagnostics", "data"}) if isinstance(result, dict) else ["<not a dict>"]
        )
        return (FAILED, f"top-level keys outside context/diagnostics/data: {other}") if other else (PASSED, "")

    async def odd() -> tuple[str, str]:
        enricher = factory()
        await _start(enricher)
        problems = []
        try:
            for label, event in odd_events():
                try:
                    result = await enricher.enrich(event)
                    if not isinstance(result, dict):
                        problems.append(f"{label}: returned {type(result).__name__}")
                except Exception as exc:
                    problems.append(f"{label}: {type(exc).__name__}: {_short(exc, 120)}")
        finally:
            await _stop(enricher)
        return (FAILED, "; ".join(problems)) if problems else (PASSED, f"{len(odd_events())} odd events")

    async def no_mutation() -> tuple[str, str]:
        enricher = factory()
        event = sample_event(4)
        before = copy.deepcopy(event)
        await _start(enricher)
        try:
            await enricher.enrich(event)
        finally:
            await _stop(enricher)
        return (PASSED, "") if event == before else (FAILED, "the input event was modified in place")

    await checks.run("enricher.returns_mapping", returns_mapping)
    await checks.run("enricher.keeps_fields", keeps_fields)
    await checks.run("enricher.odd_input", odd)
    await checks.run("enricher.semantic_groups", semantic_groups, required=False)
    await checks.run("enricher.no_input_mutation", no_mutation, required=False)
    return checks.results


async def check_processor(factory: Factory) -> list[CheckResult]:
    """A processor turns serialized bytes into bytes, for odd payloads too."""
    checks = _Check()
    await _common(checks, "processor", factory)
    payload = b'{"level":"INFO","message":"hello","data":{"n":1}}'

    async def returns_bytes() -> tuple[str, str]:
        proc = factory()
        await _start(proc)
        try:
            result = await proc.process(memoryview(payload))
        finally:
            await _stop(proc)
        if isinstance(result, (memoryview, bytes, bytearray)):
            return PASSED, f"{len(bytes(result))} bytes out for {len(payload)} in"
        return FAILED, f"returned {type(result).__name__}"

    async def odd() -> tuple[str, str]:
        proc = factory()
        await _start(proc)
        problems = []
        try:
            for label, data in [
                ("empty", b""),
                ("not JSON", b"\xff\xfe not json"),
                ("1 MB", b'{"m":"' + b"x" * 1_000_000 + b'"}'),
            ]:
                try:
                    result = await proc.process(memoryview(data))
                    if not isinstance(result, (memoryview, bytes, bytearray)):
                        problems.append(f"{label}: returned {type(result).__name__}")
                except Exception as exc:
                    problems.append(f"{label}: {type(exc).__name__}: {_short(exc, 120)}")
        finally:
            await _stop(proc)
        return (FAILED, "; ".join(problems)) if problems else (PASSED, "3 odd payloads")

    async def process_many() -> tuple[str, str]:
        proc = factory()
        if not hasattr(proc, "process_many"):
            return SKIPPED, "no process_many()"
        await _start(proc)
        try:
            out = await proc.process_many([memoryview(payload)] * 5)
        finally:
            await _stop(proc)
        return (PASSED, "") if len(list(out)) == 5 else (FAILED, f"{len(list(out))} results for 5 inputs")

    await checks.run("processor.returns_bytes", returns_bytes)
    await checks.run("processor.odd_input", odd)
    await checks.run("processor.process_many", process_many, required=False)
    return checks.results


SUITES: dict[str, Callable[..., Awaitable[list[CheckResult]]]] = {
    "sink": check_sink,
    "enricher": check_enricher,
    "redactor": check_redactor,
    "filter": check_filter,
    "processor": check_processor,
}


async def run_suite(plugin_type: str, factory: Factory, **options: Any) -> list[CheckResult]:
    """Run the suite for `plugin_type` ('sink', 'enricher', 'redactor', 'filter', 'processor')."""
    if plugin_type not in SUITES:
        raise ValueError(f"unknown plugin type {plugin_type!r}; expected one of {PLUGIN_TYPES}")
    return await SUITES[plugin_type](factory, **options)


def conforms(results: list[CheckResult]) -> bool:
    """True when no required check failed (advisory failures and skips do not count)."""
    return not any(r.failed and r.required for r in results)


def deep_merge(base: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """fapilog's merge of enricher output: nested dicts merge, anything else overwrites."""
    merged = dict(base)
    for key, value in updates.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path in a nested dict, inner nodes included (an empty dict is a path too)."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            paths |= {path} | _paths(child, path)
    return paths


def _changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = set(before) | set(after)
        return [
            p
            for k in keys
            for p in _changed_paths(before.get(k, _MISSING), after.get(k, _MISSING), f"{prefix}.{k}" if prefix else k)
        ]
    return [] if before == after else [prefix or "<event>"]


_MISSING = object()


def _sensitive_event() -> dict[str, Any]:
    # Obviously fake values (example.com, a published test card number).
    event = sample_event(5)
    event["data"].update(
        {"password": "correct horse battery staple", "email": "someone@example.com", "card_number": "4111111111111111"}
    )
    event["data"]["callback"] = "https://user:secret@example.com/hook"
    return event
