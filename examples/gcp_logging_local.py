"""Ship events to Google Cloud Logging (the `entries:write` API), against a local receiver.

fapilog 0.18.1 has no built-in Google Cloud sink; fapilog's own docs show a custom sink
for it. This one is about forty lines: it turns each fapilog event into a Cloud Logging
`LogEntry` (`severity`, `timestamp`, `jsonPayload`, `trace`, `spanId`) and POSTs it to
`/v2/entries:write` with httpx, which fapilog already depends on. It sends one entry
per request: fapilog 0.18.1 never calls a sink's `stop()`, so a sink that buffered
entries would lose its last batch when the logger drains.

Cloud Logging cannot be reached from the machines that run the tests, so a small HTTP
server on 127.0.0.1 answers like the API (200 and `{}`) and records every request.
Whether Google accepts these requests is not tested here. Against Google, set
`endpoint` to "https://logging.googleapis.com" and pass a function that returns an
OAuth access token for a service account with the Logs Writer role.
"""

import asyncio
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from fapilog import get_logger

REQUESTS: list[dict] = []  # what "Cloud Logging" received, one item per HTTP request

# fapilog level -> Cloud Logging LogSeverity; anything else is DEFAULT.
SEVERITY = {
    "DEBUG": "DEBUG",
    "INFO": "INFO",
    "WARNING": "WARNING",
    "ERROR": "ERROR",
    "CRITICAL": "CRITICAL",
    "FATAL": "EMERGENCY",
    "AUDIT": "NOTICE",
    "SECURITY": "ALERT",
}


class CloudLoggingReceiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        REQUESTS.append(
            {
                "path": self.path,
                "scheme": self.headers.get("Authorization", "").split(" ")[0],
                "body": json.loads(
                    self.rfile.read(int(self.headers["Content-Length"]))
                ),
            }
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


class CloudLoggingSink:
    """Each fapilog event as one Cloud Logging entry, POSTed to entries:write."""

    name = "gcp_cloud_logging"

    def __init__(
        self,
        endpoint: str,
        project: str,
        log_id: str,
        token: Callable[[], str],
        resource: dict | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        self.endpoint, self.project, self.token = endpoint, project, token
        self.log_name = f"projects/{project}/logs/{log_id}"
        self.resource = resource or {"type": "global", "labels": {}}
        self.labels = labels or {}

    async def start(self) -> None:  # fapilog calls it before the first write
        self.client = httpx.AsyncClient(timeout=5.0)

    async def write(self, event: dict) -> None:
        context = event.get("context") or {}
        entry = {
            "severity": SEVERITY.get(event["level"], "DEFAULT"),
            "timestamp": event["timestamp"],
            "jsonPayload": event,  # the whole event; Cloud Logging shows `message`
        }
        if context.get("trace_id"):
            entry["trace"] = f"projects/{self.project}/traces/{context['trace_id']}"
        if context.get("span_id"):
            entry["spanId"] = context["span_id"]
        body = {
            "logName": self.log_name,
            "resource": self.resource,
            "labels": self.labels,
            "entries": [entry],
        }
        response = await self.client.post(
            f"{self.endpoint}/v2/entries:write",
            content=json.dumps(body, default=str),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token()}",
            },
        )
        response.raise_for_status()  # on error fapilog writes the event to stderr


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CloudLoggingReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    sink = CloudLoggingSink(
        f"http://127.0.0.1:{server.server_port}",
        project="shop-prod",
        log_id="checkout",
        token=lambda: "local-demo",  # on Google Cloud: an OAuth token of the runtime
        resource={"type": "cloud_run_revision", "labels": {"service_name": "checkout"}},
        labels={"env": "prod"},
    )
    log = get_logger("checkout", sinks=[sink], reuse=False)
    log.bind(trace_id="4bf92f3577b34da6a3ce929d0e0e4736", span_id="00f067aa0ba902b7")
    log.info("order placed", step=1)
    log.warning("stock low", step=2, sku="A-1")
    log.error("payment declined", step=3)
    asyncio.run(log.stop_and_drain())
    server.shutdown()

    first = REQUESTS[0]
    print("POST", first["path"], "Authorization:", first["scheme"], "<token>")
    print("  logName:", first["body"]["logName"])
    print("  resource:", json.dumps(first["body"]["resource"], sort_keys=True))
    print("  labels:", first["body"]["labels"])
    # ERROR is a protected level and may overtake the others: sort by step to print.
    entries = [entry for request in REQUESTS for entry in request["body"]["entries"]]
    entries.sort(key=lambda entry: entry["jsonPayload"]["data"]["step"])
    print(len(REQUESTS), "requests, one entry each:")
    for entry in entries:
        payload = entry["jsonPayload"]
        data = json.dumps(payload["data"], sort_keys=True)
        print("  ", entry["severity"], payload["message"], data)
    print("  trace:", entries[0]["trace"])
    print("  spanId:", entries[0]["spanId"])
    assert [e["severity"] for e in entries] == ["INFO", "WARNING", "ERROR"]
    assert all(r["body"]["logName"] == first["body"]["logName"] for r in REQUESTS)


if __name__ == "__main__":
    main()
