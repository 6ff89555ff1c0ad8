"""Ship events to Grafana Loki, shown against a local receiver that records the pushes.

Loki is not running here, so this program starts a small HTTP server on 127.0.0.1 that
answers like Loki's push API (`POST /loki/api/v1/push`, 204 No Content) and keeps what
it receives. fapilog's Loki sink cannot tell the difference: point `url` at your Loki
(or Grafana Cloud) and the same code ships there.
"""

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fapilog import LoggerBuilder

PUSHES: list[dict] = []  # what "Loki" received: one entry per HTTP request


class LokiReceiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        PUSHES.append({"path": self.path, "tenant": self.headers.get("X-Scope-OrgID"), "body": json.loads(body)})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # keep the demo's output to what Loki received
        pass


def wait_for_push(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not PUSHES and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), LokiReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    loki_url = f"http://127.0.0.1:{server.server_port}"

    log = (
        LoggerBuilder()
        .with_name("checkout")
        .add_loki(
            loki_url,
            tenant_id="shop",  # sent as X-Scope-OrgID (multi-tenant Loki)
            labels={"service": "checkout", "env": "staging"},  # static stream labels
            label_keys=["level"],  # event fields promoted to labels: keep cardinality low
            batch_size=100,
            batch_timeout="0.5s",
        )
        .build()
    )
    log.info("order received", order_id="A-1001")
    log.warning("stock low", sku="SKU-7", remaining=2)
    log.info("order shipped", order_id="A-1001")

    # A service keeps running and the sink pushes each batch when it is full or
    # batch_timeout has passed. This demo waits for that push before it drains, because
    # fapilog 0.18.1 does not flush a batching sink's partial batch when it drains.
    wait_for_push()
    asyncio.run(log.stop_and_drain())
    server.shutdown()

    for push in PUSHES:
        print(f"POST {push['path']} tenant={push['tenant']}")
        for stream in sorted(push["body"]["streams"], key=lambda s: s["stream"]["level"]):
            print("  stream", json.dumps(stream["stream"], sort_keys=True))
            for _timestamp_ns, line in stream["values"]:
                event = json.loads(line)
                print("    line", event["message"], json.dumps(event["data"], sort_keys=True))


if __name__ == "__main__":
    main()
