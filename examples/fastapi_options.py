"""FastAPI beyond the basics: identity headers, header redaction, FAPILOG_FASTAPI__*
variables, setup_logging() and the lifespan's drain timeout.

Every app runs in process: an httpx client talks to it through its ASGI interface,
inside the app's lifespan, as tutorial 6 does. Events written to stdout by the
`stdout_json` sink are captured and parsed; the middleware wired by hand logs to a
`MockSink`. The last part stands up a slow log receiver on 127.0.0.1.

The recipes guide includes this file; tests/test_examples.py runs it and compares its
output with fastapi_options.out.
"""

import asyncio
import contextlib
import io
import json
import os
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated, Any

import httpx
from fapilog import get_async_logger
from fapilog.fastapi import (
    FastAPIBuilder,
    LoggingMiddleware,
    RequestContextMiddleware,
    get_request_logger,
    setup_logging,
)
from fapilog.testing import MockSink
from fastapi import Depends, FastAPI, Request

IDENTITY = {
    "X-Request-ID": "req-1",
    "X-User-ID": "user-7",
    "X-Tenant-ID": "acme",
    "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
}
SECRETS = {"Authorization": "Bearer sk_live_1", "X-Session": "s3cr3t"}


def make_app(lifespan=None) -> FastAPI:
    app = FastAPI(lifespan=lifespan)

    @app.get("/ok")
    async def ok() -> dict:
        return {}

    @app.get("/health")
    async def health() -> dict:
        return {}

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("store down")

    @app.get("/me")
    async def me(request: Request, log: Annotated[Any, Depends(get_request_logger)]):
        await log.info("profile read")
        await log.info(
            "profile read, ids passed",
            user_id=request.headers.get("X-User-ID"),
            tenant_id=request.headers.get("X-Tenant-ID"),
        )
        return {}

    return app


async def call(app: FastAPI, requests, *, lifespan: bool = True) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with contextlib.AsyncExitStack() as stack:
        if lifespan:
            await stack.enter_async_context(app.router.lifespan_context(app))
        client = httpx.AsyncClient(transport=transport, base_url="http://api.test")
        await stack.enter_async_context(client)
        for path, headers in requests:
            await client.get(path, headers=headers)


async def stdout_events(app: FastAPI, requests) -> list[dict]:
    """Run the app's lifespan around the requests; the JSON events it printed."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out):
        await call(app, requests)
        out.flush()
    lines = out.buffer.getvalue().decode().splitlines()
    return [json.loads(line)["log"] for line in lines]


def builder() -> FastAPIBuilder:
    return FastAPIBuilder().reuse(False)  # a new logger for each app (tutorial 6)


async def identity_headers() -> None:
    print("1. Identity headers on GET /me:", ", ".join(IDENTITY))
    events = await stdout_events(make_app(builder().build()), [("/me", IDENTITY)])
    for event in events:
        context = {k: v for k, v in event["context"].items() if k != "message_id"}
        print(f"  {event['message']}: context {context}")
    assert all("trace_id" not in e["context"] for e in events)


async def header_logging() -> None:
    print("2. Headers logged by LoggingMiddleware(include_headers=True, ...):")
    for label, preset, options in (
        ("additional_redact_headers=['x-session']", None, {"additional_redact_headers": ["x-session"]}),
        ("allow_headers=['authorization']", None, {"allow_headers": ["authorization"]}),
        ("allow_headers=['authorization'], production preset", "production", {"allow_headers": ["authorization"]}),
    ):  # fmt: skip
        sink = MockSink()
        log = await get_async_logger(preset=preset, sinks=[sink], reuse=False)
        app = make_app()
        app.add_middleware(
            LoggingMiddleware, logger=log, include_headers=True, **options
        )
        app.add_middleware(RequestContextMiddleware)
        await call(app, [("/ok", SECRETS)], lifespan=False)
        await log.drain()
        headers = sink.events[-1]["data"]["headers"]
        shown = {k: headers[k] for k in ("authorization", "x-session") if k in headers}
        print(f"  {label}: {shown}")


async def environment_variables() -> None:
    print(
        "3. Builder code: skip_paths(['/ok']), sample_rate(1.0); GET /ok, /health, /boom"
    )
    requests = [("/ok", {}), ("/health", {}), ("/boom", {})]
    for env in (
        {},
        {"FAPILOG_FASTAPI__SKIP_PATHS": "/health,/boom"},
        {"FAPILOG_FASTAPI__SAMPLE_RATE": "0"},
        {"FAPILOG_FASTAPI__SKIP_PATHS": "/boom", "FAPILOG_FASTAPI__LOG_ERRORS_ON_SKIP": "false"},
    ):  # fmt: skip
        os.environ.update(env)
        lifespan = builder().skip_paths(["/ok"]).sample_rate(1.0).build()
        for name in env:
            del os.environ[name]
        events = await stdout_events(make_app(lifespan), requests)
        paths = [path for path, _ in requests]  # in request order (ERROR may overtake)
        events.sort(key=lambda e: paths.index(e["data"]["path"]))
        logged = [f"{e['message']} {e['data']['path']}" for e in events]
        print(f"  {env or 'no variables'}: {logged}")


async def legacy_setup_logging() -> None:
    print("4. setup_logging(), deprecated:")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lifespan = setup_logging(
            include_headers=True, additional_redact_headers=["x-session"]
        )
    print(f"  {caught[0].category.__name__}: {caught[0].message}")
    events = await stdout_events(make_app(lifespan), [("/ok", SECRETS)])
    headers = events[-1]["data"]["headers"]
    print("  headers logged:", {k: headers[k] for k in ("authorization", "x-session")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        second = setup_logging()
    events = await stdout_events(make_app(second), [("/ok", {})])
    print("  a second setup_logging() app in this process logs:", len(events), "events")
    assert events == []
    try:
        await stdout_events(make_app(builder().with_preset("fastapi").build()), [])
    except ValueError as error:
        print("  with_preset('fastapi') at startup:", error)


class SlowIntake(BaseHTTPRequestHandler):
    received = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(1.0)  # one second per event
        SlowIntake.received += 1
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


async def drain_timeout() -> None:
    print("5. Shutdown with 8 events queued for an intake that takes 1 s per event:")
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowIntake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/logs"
    # add_http() adds the sink; in 0.18.1 its endpoint must come from the http
    # settings (see the troubleshooting page), here from the environment.
    os.environ["FAPILOG_HTTP__ENDPOINT"] = url
    lifespan = builder().add_http(url).build()
    app = make_app(lifespan)
    async with app.router.lifespan_context(app):
        for n in range(8):
            await app.state.fapilog_logger.info("order placed", n=n)
        started = time.monotonic()
    took = time.monotonic() - started
    print("  lifespan shutdown returned after 5 s, before 8 s:", 5 <= took < 8)
    print("  events received by then, fewer than 8:", SlowIntake.received < 8)
    assert 5 <= took < 8 and SlowIntake.received < 8
    deadline = time.monotonic() + 15
    while SlowIntake.received < 8 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    print("  received in the end (the drain went on):", SlowIntake.received)
    assert SlowIntake.received == 8
    server.shutdown()
    del os.environ["FAPILOG_HTTP__ENDPOINT"]


async def main() -> None:
    await identity_headers()
    await header_logging()
    await environment_variables()
    await legacy_setup_logging()
    await drain_timeout()


if __name__ == "__main__":
    asyncio.run(main())
