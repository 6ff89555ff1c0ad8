"""An asyncio job worker: per-job context that follows tasks and threads, and nowhere else.

`log.bind(...)` stores context in a contextvar, so it belongs to the task that bound it:
concurrent jobs each carry their own `job_id`, and the main task never sees them.
asyncio copies the context into tasks it creates and into `asyncio.to_thread`, but
not into `loop.run_in_executor`: there, `fapilog.run_in_executor_with_context` carries
it across. The worker logs with the sync facade, which only enqueues (it never waits
on I/O), so the same logger works in coroutines and in threads.

The jobs overlap in time; their steps are spaced so the output order is stable.
"""

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor

from fapilog import Settings, get_logger, run_in_executor_with_context

log = get_logger(
    "worker", settings=Settings(core={"log_level": "INFO", "sinks": ["stdout_json"]})
)


def checksum(payload: bytes) -> str:
    """Blocking work, run in a thread pool; logs with whatever context it was given."""
    digest = hashlib.sha256(payload).hexdigest()[:12]
    log.info("checksum computed", size=len(payload))
    return digest


async def handle(
    job_id: str, payload: bytes, start_after: float, pool: ThreadPoolExecutor
) -> None:
    await asyncio.sleep(start_after)
    log.bind(job_id=job_id)  # this task's context only
    log.info("job started")
    await asyncio.sleep(0.9)  # waiting on I/O while the other jobs run
    digest = await run_in_executor_with_context(
        pool, checksum, payload
    )  # context follows
    log.info("job finished", digest=digest)


async def main() -> None:
    log.info("worker started", jobs=3)
    with ThreadPoolExecutor(max_workers=2) as pool:
        await asyncio.gather(
            handle("job-a", b"alpha", 0.0, pool),
            handle("job-b", b"bravo", 0.3, pool),
            handle("job-c", b"charlie", 0.6, pool),
        )
        log.bind(job_id="job-d")
        # A bare run_in_executor runs checksum without this task's context: no job_id.
        await asyncio.get_running_loop().run_in_executor(pool, checksum, b"delta")
        log.unbind("job_id")
    log.info("worker idle")  # the jobs' bindings did not leak into the main task


if __name__ == "__main__":
    asyncio.run(main())
    # The worker runs in its own thread; drain it before the process exits.
    asyncio.run(log.stop_and_drain())
