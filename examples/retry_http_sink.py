"""Retries around the HTTP sink: what fapilog's own retry covers, and tenacity for the rest.

fapilog's `http` sink takes a `retry` object: its own `RetryConfig`, or any async
callable `retry(func, *args, **kwargs)`. Here a local receiver on 127.0.0.1 stands in
for a log intake that answers 503 Service Unavailable twice before accepting; it
records the status it answered to each request.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with retry_http_sink.out.
"""

import asyncio
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from fapilog import Settings, get_logger
from fapilog.core.retry import RetryConfig
from fapilog.plugins.sinks.http_client import HttpSink, HttpSinkConfig
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    wait_fixed,
)

ANSWERS: list[int] = []  # statuses still to answer; then 202
ANSWERED: list[int] = []  # what the receiver answered, request by request


class FlakyIntake(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        status = ANSWERS.pop(0) if ANSWERS else 202
        ANSWERED.append(status)
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class TenacityRetry:
    """fapilog's retry protocol (an async callable) backed by tenacity."""

    def __init__(self, **policy) -> None:
        self.policy = policy

    async def __call__(self, func, *args, **kwargs):
        self.attempts = 0  # counted for this page; not needed in your code

        async def attempt():
            self.attempts += 1
            return await func(*args, **kwargs)

        return await AsyncRetrying(**self.policy)(attempt)


def ship_one_event(name: str, **logger_kwargs) -> list[int]:
    ANSWERS[:] = [503, 503]
    ANSWERED.clear()
    log = get_logger(name, reuse=False, **logger_kwargs)
    log.info("order placed", order_id=42)
    time.sleep(1.5)  # let the sink send, and retry, before draining
    asyncio.run(log.stop_and_drain())
    return list(ANSWERED)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyIntake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/logs"

    own = RetryConfig(max_attempts=3, base_delay=0.05)
    sink = HttpSink(HttpSinkConfig(endpoint=url, retry=own))
    answered = ship_one_event("own-retry", sinks=[sink])
    print("RetryConfig(max_attempts=3), intake answers 503, 503, 202:", answered)
    assert answered == [503]

    settings = Settings(
        core={"sinks": ["http"]},
        http={"endpoint": url, "retry_max_attempts": 3, "retry_backoff_seconds": 0.05},
    )
    answered = ship_one_event("settings-retry", settings=settings)
    print("http.retry_max_attempts=3 (FAPILOG_HTTP__RETRY_MAX_ATTEMPTS):", answered)
    assert answered == [503]

    with_tenacity = TenacityRetry(
        retry=retry_if_result(lambda response: response.status_code >= 500)
        | retry_if_exception_type(httpx.TransportError),
        stop=stop_after_attempt(5),
        wait=wait_fixed(0.05),
    )
    sink = HttpSink(HttpSinkConfig(endpoint=url, retry=with_tenacity))
    answered = ship_one_event("tenacity-retry", sinks=[sink])
    print("tenacity, retry on 5xx or transport error:", answered)
    assert answered == [503, 503, 202]
    server.shutdown()

    # Nothing listens on this port: the connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    for retry in (RetryConfig(max_attempts=3, base_delay=0.05), with_tenacity):
        sink = HttpSink(HttpSinkConfig(endpoint=refused, retry=retry))
        log = get_logger("refused", sinks=[sink], reuse=False)
        log.info("order placed", order_id=43)
        time.sleep(1.5)
        asyncio.run(log.stop_and_drain())
        if isinstance(retry, RetryConfig):
            attempts = sink._sender._retrier.stats.attempt_count
            print(
                "RetryConfig(max_attempts=3), connection refused: attempts =", attempts
            )
            assert attempts == 1
        else:
            attempts = retry.attempts
            print("tenacity, connection refused: attempts =", attempts)
            assert attempts == 5


if __name__ == "__main__":
    main()
