"""A real HTTP receiver on 127.0.0.1 for testing HTTP-shaped sinks (http, webhook, Loki push).

It runs in its own process (so its work does not share the sink's interpreter lock),
answers every POST with 200 and counts the log events in each body, whatever the shape:
a JSON list, ``{"logs": [...]}``-style wrappers, Loki's ``{"streams": [{"values": [...]}]}``,
newline-delimited JSON, or one JSON object. ``GET /_stats`` returns the counts.

    with Receiver() as receiver:
        sink = HttpSink({"endpoint": receiver.url + "/logs"})
        ...
        receiver.events()  # events received so far
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def count_events(body: bytes) -> int:
    try:
        payload: Any = json.loads(body)
    except ValueError:
        return sum(1 for line in body.splitlines() if line.strip())
    if isinstance(payload, list):
        return len(payload)
    if isinstance(payload, dict):
        if isinstance(payload.get("streams"), list):
            return sum(len(s.get("values", [])) for s in payload["streams"] if isinstance(s, dict))
        for value in payload.values():
            if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                return len(value)
    return 1


class _Handler(BaseHTTPRequestHandler):
    stats = {"requests": 0, "events": 0, "bytes": 0}
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.lock:
            self.stats["requests"] += 1
            self.stats["events"] += count_events(body)
            self.stats["bytes"] += len(body)
        self._reply(200, b"{}")

    do_PUT = do_POST

    def do_GET(self) -> None:  # noqa: N802
        with self.lock:
            self._reply(200, json.dumps(self.stats).encode())

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:  # quiet: the sink under test owns stdout
        return


def serve() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


class Receiver:
    """Starts the receiver process on a free loopback port; stops it on exit."""

    def __enter__(self) -> Receiver:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from fapilog_hub_conformance.receiver import serve; serve()"],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        line = self._proc.stdout.readline() if self._proc.stdout else ""
        if not line.strip().isdigit():
            self._proc.kill()
            raise RuntimeError("the HTTP receiver did not start")
        self.port = int(line)
        self.url = f"http://127.0.0.1:{self.port}"
        return self

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url + "/_stats", timeout=5) as response:  # noqa: S310 - loopback only
            return json.loads(response.read())

    def events(self) -> int:
        return self.stats()["events"]

    def __exit__(self, *exc: object) -> None:
        self._proc.kill()
        self._proc.wait()


if __name__ == "__main__":
    serve()
