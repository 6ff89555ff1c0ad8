"""What fapilog's Loki sink does when Loki refuses a push, and which time Loki gets.

Loki is not running here: a small HTTP server on 127.0.0.1 answers like Loki's push API,
with the status this program chooses, and records every request. Internal diagnostics
are turned on (FAPILOG_CORE__INTERNAL_LOGGING_ENABLED) so that fapilog's own warnings
can be shown; they go to stderr, captured here.

1. Loki answers 400 (a bad request, e.g. an entry too old or a label limit reached).
2. Loki answers 500 every time.
3. Loki accepts the push: compare the entry's time with the event's own timestamp.
"""

import asyncio
import contextlib
import io
import json
import os
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

os.environ["FAPILOG_CORE__INTERNAL_LOGGING_ENABLED"] = "true"  # before fapilog reads it

from fapilog import LoggerBuilder  # noqa: E402

PUSHES: list[dict] = []
ANSWER = {"status": 204}  # what "Loki" answers; changed by each part


class LokiReceiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        PUSHES.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(ANSWER["status"])
        self.end_headers()
        if ANSWER["status"] != 204:
            self.wfile.write(b"entry too far behind")

    def log_message(self, *args) -> None:
        pass


def run(url: str, status: int, batch_size: int, wait: float = 0.0) -> list[dict]:
    """Log two events against a Loki answering `status`; return the stderr lines."""
    PUSHES.clear()
    ANSWER["status"] = status
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        log = (
            LoggerBuilder()
            .with_name("checkout")
            .reuse(False)  # a new logger each run, not the drained one from the cache
            .add_loki(
                url,
                batch_size=batch_size,
                batch_timeout="1s",
                max_retries=3,
                retry_delay=0.05,
            )
            .build()
        )
        log.info("order received", order_id="A-1")
        log.info("order shipped", order_id="A-1")
        time.sleep(wait)  # for a partial batch: its timed flush, before the drain
        asyncio.run(log.stop_and_drain())
    return [json.loads(line) for line in stderr.getvalue().splitlines()]


def report(title: str, lines: list[dict]) -> None:
    events = [line for line in lines if "component" not in line]  # the stderr fallback
    warnings = sorted({line["message"] for line in lines if "component" in line})
    print(title)
    print("  requests to Loki:", len(PUSHES))
    print("  events written to stderr instead:", len(events))
    print("  fapilog's diagnostics:", warnings)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), LokiReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"

    report("1. Loki answers 400:", run(url, 400, batch_size=1))
    assert len(PUSHES) == 2  # one try per batch of one, no retry

    report("2. Loki answers 500:", run(url, 500, batch_size=2))
    assert len(PUSHES) == 3  # max_retries=3 means three tries in all

    run(url, 204, batch_size=100, wait=1.5)
    (stream,) = PUSHES[0]["streams"]
    for pushed_ns, line in stream["values"]:
        event = json.loads(line)
        logged = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00"))
        late = int(pushed_ns) / 1e9 - logged.timestamp()
        print(
            f"3. {event['message']}: Loki's time is 0.9 s or more after it:",
            late >= 0.9,
        )
    server.shutdown()


if __name__ == "__main__":
    main()
