"""Custom log levels: fapilog.register_level(), what passes at each log_level, and the limits.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with custom_levels.out.
"""

import asyncio

import fapilog
from fapilog import Settings, get_logger
from fapilog.core.levels import get_all_levels, get_level_priority
from fapilog.testing import MockSink

# Register before the first logger exists; add_method=True adds log.trace(), log.notice().
fapilog.register_level("TRACE", priority=5, add_method=True)
fapilog.register_level("NOTICE", priority=35, add_method=True)


def levels_written(name: str, settings: Settings) -> list[str]:
    sink = MockSink()
    log = get_logger(name, settings=settings, sinks=[sink], reuse=False)
    log.trace("entering")
    log.debug("variables")
    log.info("order placed")
    log.notice("disk at 80%")
    log.warning("slow response")
    log.audit("role changed")
    asyncio.run(log.stop_and_drain())
    # Sorted by priority: AUDIT has its own queue and may arrive first.
    return sorted({e["level"] for e in sink.events}, key=get_level_priority)


def main() -> None:
    print("all levels by priority:")
    for name, priority in sorted(get_all_levels().items(), key=lambda kv: kv[1]):
        print(f"  {priority:>2} {name}")

    try:
        fapilog.register_level("AUDIT", priority=25)
    except ValueError as error:
        print("register AUDIT again:", error)

    for level in ("DEBUG", "INFO", "WARNING"):
        written = levels_written(f"at-{level}", Settings(core={"log_level": level}))
        print(f"log_level={level}: {', '.join(written)}")

    try:
        Settings(core={"log_level": "NOTICE"})
    except Exception as error:
        message = str(error).splitlines()[2].strip().split(" [")[0]
        print("log_level=NOTICE:", type(error).__name__, "-", message)

    # A custom threshold goes through the level filter instead.
    for min_level in ("NOTICE", "VERBOSE"):  # VERBOSE was never registered
        settings = Settings(
            core={"log_level": "DEBUG", "filters": ["level"]},
            filter_config={"level": {"min_level": min_level}},
        )
        written = levels_written(f"filter-{min_level}", settings)
        print(f"level filter min_level={min_level}: {', '.join(written)}")

    try:
        fapilog.register_level("VERBOSE", priority=15)
    except RuntimeError as error:
        print("register after the first logger:", error)


if __name__ == "__main__":
    main()
