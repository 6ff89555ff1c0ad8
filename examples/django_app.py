"""fapilog in a Django app: a request-logging middleware, correlation ids, Django's own
`django.request` warnings through fapilog's stdlib bridge.

fapilog 0.18.1 ships no Django integration; this is a middleware of about twenty
lines. Django views are synchronous here, so the app uses fapilog's sync logger. The
program configures Django in code, sends requests with Django's test client (no
server, no database) and prints what reached the logger's sink (a `MockSink`; in a
deployment, the default JSON on stdout).

Needs `pip install django`. The recipes guide includes this file;
tests/test_examples.py runs it and compares its output with django_app.out.
"""

import asyncio
import logging
import time
import uuid

import django
from django.conf import settings
from django.http import JsonResponse
from django.test import Client
from django.urls import path
from fapilog import get_logger
from fapilog.core.errors import request_id_var
from fapilog.core.stdlib_bridge import enable_stdlib_bridge
from fapilog.testing import MockSink

sink = MockSink()
log = get_logger("shop", sinks=[sink], reuse=False)


class FapilogRequestMiddleware:
    """One event per request; every event logged meanwhile carries the request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        token = request_id_var.set(request_id)  # read by fapilog as correlation_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            log.info(
                "request_completed",
                method=request.method,
                path=request.path,
                status_code=response.status_code,
                latency_ms=round((time.perf_counter() - started) * 1000, 3),
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_id_var.reset(token)

    def process_exception(self, request, exception):
        log.exception("request_failed", method=request.method, path=request.path)
        return None  # let Django answer with its 500


def order(request, order_id: int):
    log.info("order read", order_id=order_id)
    return JsonResponse({"order_id": order_id})


def report(request):
    raise RuntimeError("report store unavailable")


urlpatterns = [path("orders/<int:order_id>", order), path("reports/daily", report)]

settings.configure(
    DEBUG=False,
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    MIDDLEWARE=[f"{__name__}.FapilogRequestMiddleware"],
    LOGGING_CONFIG=None,  # keep Django from installing its own console handlers
)
django.setup()
# Django's 4xx/5xx warnings and errors (logger "django.request") go to fapilog too.
enable_stdlib_bridge(log, level=logging.WARNING, target_loggers=[logging.getLogger("django.request")])  # fmt: skip


def main() -> None:
    client = Client(raise_request_exception=False)
    responses = [
        client.get("/orders/7", headers={"X-Request-ID": "req-1"}),
        client.get("/orders/none", headers={"X-Request-ID": "req-2"}),
        client.get("/reports/daily", headers={"X-Request-ID": "req-3"}),
    ]
    asyncio.run(log.stop_and_drain())

    for response in responses:
        header = response.headers.get("X-Request-ID")
        print(
            f"{response.status_code} {response.request['PATH_INFO']} X-Request-ID: {header}"
        )
    # By request, then level: ERROR events may overtake INFO ones in the queue.
    order = {"WARNING": 0, "INFO": 1, "ERROR": 2}
    events = sorted(
        sink.events,
        key=lambda e: (
            e["context"]["correlation_id"] or "",
            order[e["level"]],
            e["message"],
        ),
    )
    for event in events:
        data = event["data"]
        shown = {k: data[k] for k in ("order_id", "status_code", "path") if k in data}
        origin = event["diagnostics"].get("origin")
        exception = event["diagnostics"].get("exception", {}).get("error.type")
        extra = f" exception={exception}" if exception else ""
        print(
            f"{event['context']['correlation_id'] or '-'} {event['level']} {event['message']}"
            f" {shown} origin={origin}{extra}"
        )
    without_id = [
        e["message"] for e in sink.events if not e["context"]["correlation_id"]
    ]
    print("events without a correlation id:", without_id)
    assert without_id == ["Not Found: /orders/none"]


if __name__ == "__main__":
    main()
