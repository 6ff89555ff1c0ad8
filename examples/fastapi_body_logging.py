"""Request and response bodies in the logs of a FastAPI service, safely.

fapilog.fastapi's request log has method, path, status, latency and, if you allow
them, headers; never a body. This middleware
adds one event per request with the start of each body. It is plain ASGI: it wraps
`receive` and `send`, so it sees each chunk as the application reads or writes it and
passes it on unchanged. The route still gets the whole request body, a streaming
response still streams, and the middleware keeps at most LIMIT bytes of each body.

A body that is complete within the limit and JSON is logged as a dict, so the
redactors see its fields; anything else is logged as truncated text, which no
redactor reads field by field.

Needs `pip install "fapilog[fastapi]" httpx`. Run as a script, it sends four requests
through the app's ASGI interface, in process; the JSON lines are the middleware's
events, the last line what the routes and the client received.
"""

import asyncio
import json
from typing import Any

import httpx
from fapilog.fastapi import FastAPIBuilder
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

LIMIT = 64  # bytes of each body kept in the log


class Captured:
    """The first LIMIT bytes of a body, and its full size."""

    def __init__(self) -> None:
        self.head = b""
        self.size = 0
        self.is_json = False

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if len(self.head) < LIMIT:
            self.head += chunk[: LIMIT - len(self.head)]

    def for_log(self) -> Any:
        if self.is_json and self.size <= LIMIT:
            try:
                return json.loads(self.head)  # a dict: the redactors see its fields
            except ValueError:
                pass  # not valid JSON after all: logged as text
        text = self.head.decode("utf-8", errors="replace")
        return text + "...[truncated]" if self.size > LIMIT else text


def kind(message: dict) -> str:
    """An ASGI HTTP message's kind: "request", "response.start" or "response.body"."""
    return message["type"].removeprefix("http.")


def is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and b"json" in v for k, v in headers)


class BodyLoggingMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request, response = Captured(), Captured()
        request.is_json = is_json(scope["headers"])
        status = 500

        async def receive_and_keep() -> dict:
            message = await receive()
            if kind(message) == "request":
                request.add(message.get("body", b""))
            return message

        async def send_and_keep(message: dict) -> None:
            nonlocal status
            if kind(message) == "response.start":
                status = message["status"]
                response.is_json = is_json(message.get("headers", []))
            elif kind(message) == "response.body":
                response.add(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            log = scope["app"].state.fapilog_logger  # set by FastAPIBuilder's lifespan
            await log.info(
                "http_bodies",
                path=scope["path"],
                status_code=status,
                request_body=request.for_log(),
                request_bytes=request.size,
                response_body=response.for_log(),
                response_bytes=response.size,
            )


lifespan = (
    FastAPIBuilder()
    .with_name("orders-api")
    .with_preset("production")  # credential redaction: masks password and token fields
    .skip_paths(["/login", "/upload", "/export", "/notes"])  # only the body events here
    .build()
)
app = FastAPI(lifespan=lifespan)
app.add_middleware(BodyLoggingMiddleware)
received: dict[str, int] = {}


@app.post("/login")
async def login(request: Request) -> dict:
    credentials = await request.json()  # the middleware did not consume the body
    received["/login"] = len(await request.body())
    return {"user": credentials["user"], "token": "tok-8c1e"}


@app.post("/upload")
async def upload(request: Request) -> dict:
    received["/upload"] = len(await request.body())
    return {"stored": True}


@app.post("/notes")
async def notes(request: Request) -> dict:
    received["/notes"] = len(await request.body())
    return {"stored": True}


@app.get("/export")
async def export() -> StreamingResponse:
    async def rows():
        for n in range(1000):
            yield f"row {n}\n"

    return StreamingResponse(rows(), media_type="text/plain")


async def main() -> None:
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api.test") as client,
    ):
        await client.post("/login", json={"user": "ada", "password": "hunter2"})
        await client.post("/upload", content=b"x" * 10_000)
        await client.post("/notes", json={"password": "hunter2", "note": "a" * 100})
        exported = await client.get("/export")
    received["/export (client)"] = len(exported.content)

    # Printed after the logger drained, so the log lines above are complete.
    print("bytes the routes and the client received:", received)
    export_size = sum(len(f"row {n}\n") for n in range(1000))
    assert received["/upload"] == 10_000 and received["/export (client)"] == export_size


if __name__ == "__main__":
    asyncio.run(main())
