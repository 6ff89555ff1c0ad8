"""A property-based test of redaction with Hypothesis: no generated secret leaks.

The property: a secret logged under a `password` key, at any nesting path, appears in
no value of the redacted event. Hypothesis generates secrets and paths, runs the
redactors of a real logger (`get_async_logger(preset="production")`) on each event,
and, when the property fails, shrinks the failure to a minimal example. The shrunk
example is then logged through a real logger to confirm the leak end to end, and the
test is run again with a deeper redaction limit.

Needs `pip install hypothesis`. Runs are derandomized so the output is the same each
time. The recipes guide includes this file; tests/test_examples.py runs it and
compares its output with property_based_redaction.out.
"""

import asyncio
import string
import tempfile

from fapilog import AsyncLoggerBuilder, get_async_logger
from fapilog.plugins.redactors import redact_in_order
from fapilog.testing import MockSink
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(tempfile.mkdtemp())  # not ./.hypothesis beside this file
SECRETS = st.text(alphabet=string.ascii_letters + string.digits, min_size=8)
PATHS = st.lists(st.text(alphabet=string.ascii_lowercase, min_size=1), max_size=10)


def nest(path: list[str], leaf: dict) -> dict:
    for key in reversed(path):
        leaf = {key: leaf}
    return leaf


def strings_in(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings_in(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings_in(value)]
    return [node] if isinstance(node, str) else []


FAILURES: list[tuple[str, list[str]]] = []  # Hypothesis replays the shrunk one last


def property_test(redactors):
    @settings(database=None, derandomize=True, max_examples=300, deadline=None)
    @given(secret=SECRETS, path=PATHS)
    def no_secret_leaks(secret: str, path: list[str]) -> None:
        event = {
            "level": "INFO",
            "message": "login",
            "data": nest(path, {"password": secret}),
        }
        redacted = asyncio.run(redact_in_order(event, redactors))
        leaked = any(secret in s for s in strings_in(redacted))
        if leaked:
            FAILURES.append((secret, path))
        assert not leaked

    return no_secret_leaks


async def redactors_of(builder_or_preset) -> list:
    if isinstance(builder_or_preset, str):
        log = await get_async_logger(
            preset=builder_or_preset, sinks=[MockSink()], reuse=False
        )
    else:
        log = await builder_or_preset.reuse(False).build_async()
    redactors = list(log._redactors)
    await log.drain()
    return redactors


def run(name: str, redactors) -> bool:
    try:
        property_test(redactors)()
    except AssertionError as failure:
        print(f"{name}: the property fails; Hypothesis shrank it to")
        notes = "\n".join(getattr(failure, "__notes__", []))
        print(notes.split("Explanation:")[0].rstrip())
        return False
    else:
        print(f"{name}: the property held for 300 generated examples")
        return True


async def leaks_through_a_logger(path: list[str], secret: str) -> bool:
    sink = MockSink()
    log = await get_async_logger(preset="production", sinks=[sink], reuse=False)
    await log.info("login", **nest(path, {"password": secret}))
    await log.drain()
    return any(secret in s for s in strings_in(sink.events))


def main() -> None:
    assert not run("production preset", asyncio.run(redactors_of("production")))
    secret, path = FAILURES[-1]
    leaks = asyncio.run(leaks_through_a_logger(path, secret))
    print("the shrunk example, logged through a real production logger, leaks:", leaks)
    assert leaks
    deeper = AsyncLoggerBuilder().with_preset("production").with_redaction(max_depth=16)
    assert run("with_redaction(max_depth=16)", asyncio.run(redactors_of(deeper)))


if __name__ == "__main__":
    main()
