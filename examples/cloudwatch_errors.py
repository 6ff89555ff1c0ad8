"""What fapilog's CloudWatch sink does when CloudWatch Logs refuses PutLogEvents.

CloudWatch is not reachable here: a local server on 127.0.0.1 speaks the CloudWatch Logs
JSON protocol (see cloudwatch_local.py) and answers PutLogEvents with the error this
program chooses, as AWS does: HTTP 400 and the error code in `__type`. Internal
diagnostics are on (FAPILOG_CORE__INTERNAL_LOGGING_ENABLED) and captured from stderr.

boto3 has retries of its own (its retry settings); AWS_MAX_ATTEMPTS=1 turns them off
here, so that each answer counted is one try of the sink's.

1. ThrottlingException twice, then success.
2. ThrottlingException every time.
3. AccessDeniedException every time (say, an IAM policy without logs:PutLogEvents).
"""

import asyncio
import contextlib
import io
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

os.environ["FAPILOG_CORE__INTERNAL_LOGGING_ENABLED"] = "true"  # before fapilog reads it
os.environ["AWS_MAX_ATTEMPTS"] = "1"  # no retries inside boto3
os.environ.setdefault("AWS_ACCESS_KEY_ID", "local-demo")  # the receiver checks no
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local-demo")  # signatures

from fapilog import LoggerBuilder  # noqa: E402

PUTS: list[str] = []  # what the receiver answered to each PutLogEvents
ERRORS: list[str] = []  # the errors still to answer, in order; then success


class CloudWatchLogsReceiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        operation = self.headers["X-Amz-Target"].split(".")[-1]
        self.rfile.read(int(self.headers["Content-Length"]))
        status, reply = 200, {}
        if operation == "PutLogEvents":
            if ERRORS:
                error = ERRORS.pop(0)
                status, reply = 400, {"__type": error, "message": "refused"}
            else:
                reply = {"nextSequenceToken": "1"}
            PUTS.append(reply.get("__type", "accepted"))
        payload = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


def run(endpoint: str, errors: list[str]) -> None:
    PUTS.clear()
    ERRORS[:] = errors
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        log = (
            LoggerBuilder()
            .with_name("billing")
            .reuse(False)
            .add_cloudwatch(
                "/shop/billing",
                stream="worker-1",
                region="eu-west-1",
                endpoint_url=endpoint,
                batch_size=1,  # one PutLogEvents per event, sent at once
                max_retries=3,
                retry_delay=0.05,
            )
            .build()
        )
        log.info("invoice issued", invoice="INV-77")
        asyncio.run(log.stop_and_drain())
    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    events = [line for line in lines if "component" not in line]  # stderr fallback
    warnings = sorted(
        {line["message"] for line in lines if line.get("level") == "WARN"}
    )
    print("  PutLogEvents answers:", PUTS)
    print("  events written to stderr instead:", len(events))
    print("  fapilog's warnings:", warnings)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CloudWatchLogsReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_port}"

    print("1. throttled twice:")
    run(endpoint, ["ThrottlingException"] * 2)
    assert PUTS[-1] == "accepted"
    print("2. throttled every time:")
    run(endpoint, ["ThrottlingException"] * 10)
    assert "accepted" not in PUTS and len(PUTS) == 3  # max_retries=3: three tries
    print("3. access denied every time:")
    run(endpoint, ["AccessDeniedException"] * 10)
    assert "accepted" not in PUTS
    server.shutdown()


if __name__ == "__main__":
    main()
