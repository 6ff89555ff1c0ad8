"""Ship events to AWS CloudWatch Logs, shown against a local receiver.

CloudWatch is not reachable here. fapilog's CloudWatch sink talks to AWS through boto3,
and boto3 accepts a custom `endpoint_url` (the setting LocalStack users know), so this
program serves the three CloudWatch Logs calls the sink makes (CreateLogGroup,
CreateLogStream, PutLogEvents) on 127.0.0.1 and records them. The receiver checks no
signatures, hence the placeholder credentials below. Against AWS, drop `endpoint_url`
and the placeholders: boto3 finds real credentials (IAM role, environment, profile).

Needs `pip install "fapilog[aws]"` (boto3).
"""

import asyncio
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fapilog import LoggerBuilder

CALLS: list[tuple[str, dict]] = []  # (operation, request body) in arrival order


class CloudWatchLogsReceiver(BaseHTTPRequestHandler):
    """Answers the CloudWatch Logs JSON protocol: the operation is in X-Amz-Target."""

    def do_POST(self) -> None:
        operation = self.headers["X-Amz-Target"].split(".")[-1]  # Logs_20140328.PutLogEvents
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        CALLS.append((operation, body))
        reply = {"nextSequenceToken": str(len(CALLS))} if operation == "PutLogEvents" else {}
        payload = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


def wait_for(operation: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(op == operation for op, _ in CALLS) and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CloudWatchLogsReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Placeholders for the local receiver only; never put real keys in code.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local-demo")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local-demo")

    log = (
        LoggerBuilder()
        .with_name("billing")
        .add_cloudwatch(
            "/shop/billing",
            stream="billing-worker-1",
            region="eu-west-1",
            endpoint_url=f"http://127.0.0.1:{server.server_port}",
            batch_size=100,
            batch_timeout="0.5s",
        )
        .build()
    )
    log.info("invoice issued", invoice="INV-77", amount_cents=4200)
    log.info("invoice emailed", invoice="INV-77")

    # Wait for the timed batch flush (see loki_push.py: 0.18.1 does not flush a
    # partial batch at drain), then drain.
    wait_for("PutLogEvents")
    asyncio.run(log.stop_and_drain())
    server.shutdown()

    for operation, body in CALLS:
        if operation != "PutLogEvents":
            print(operation, json.dumps(body, sort_keys=True))
            continue
        print(operation, body["logGroupName"], body["logStreamName"], f"{len(body['logEvents'])} events")
        for event in body["logEvents"]:
            record = json.loads(event["message"])  # each message is the JSON event
            print("  ", record["level"], record["message"], json.dumps(record["data"], sort_keys=True))


if __name__ == "__main__":
    main()
