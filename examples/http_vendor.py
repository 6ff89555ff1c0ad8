"""Ship events to an HTTP log intake (Datadog, Splunk HEC, Logtail, your own collector).

Every such vendor takes JSON over HTTPS with an API key in a header. fapilog's `http`
sink posts batches as a JSON array, as NDJSON or wrapped in an object. Here the whole
configuration comes from environment variables, as a deployment would set them (the
API key from a secret store), and a local receiver stands in for the vendor and
records what arrives.
"""

import asyncio
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fapilog import Settings, get_logger

REQUESTS: list[dict] = []


class IntakeReceiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        REQUESTS.append(
            {
                "path": self.path,
                "api_key": self.headers.get("DD-API-KEY"),
                "type": self.headers.get("Content-Type"),
                "lines": body.splitlines(),
            }
        )
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), IntakeReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    # What the deployment sets (Kubernetes env, systemd unit, .env file...).
    os.environ.update(
        {
            "FAPILOG_CORE__SINKS": '["http"]',
            "FAPILOG_HTTP__ENDPOINT": f"http://127.0.0.1:{server.server_port}/api/v2/logs",
            "FAPILOG_HTTP__HEADERS_JSON": '{"DD-API-KEY": "from-your-secret-store"}',
            "FAPILOG_HTTP__BATCH_FORMAT": "ndjson",
            "FAPILOG_HTTP__BATCH_SIZE": "3",
        }
    )
    # settings=Settings() reads exactly those variables. (Plain get_logger() would read
    # them too, but also add a stdout sink of its own: see the integration guide.)
    log = get_logger("api", settings=Settings())
    for n in range(6):
        log.info("request served", path=f"/items/{n}", status=200)

    # Two full batches of three: each is posted as soon as it fills, so nothing waits
    # in a partial batch when the logger drains.
    deadline = time.monotonic() + 10
    while len(REQUESTS) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    asyncio.run(log.stop_and_drain())
    server.shutdown()

    for request in REQUESTS:
        print(f"POST {request['path']} DD-API-KEY={request['api_key']} ({request['type']})")
        for line in request["lines"]:
            event = json.loads(line)
            print("  ", event["level"], event["message"], json.dumps(event["data"], sort_keys=True))


if __name__ == "__main__":
    main()
