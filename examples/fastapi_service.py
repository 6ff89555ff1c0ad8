"""A FastAPI service with request logging, correlation ids and redaction.

`FastAPIBuilder` returns a lifespan: on startup it creates the async logger and adds
two middlewares (request context, request logging), on shutdown it drains the logger.
Handlers get the logger through the `get_request_logger` dependency; every event
logged during a request carries the request's correlation id (from `X-Request-ID`, or a
new UUID), which is also returned to the client.

To run it as a server: `uvicorn fastapi_service:app`. Run as a script, it runs the
app's lifespan and sends four requests with an httpx client through the app's ASGI
interface, in process, and exits; the JSON lines are the logs, the last lines what
the client saw.

Needs `pip install "fapilog[fastapi]" httpx`.
"""

import asyncio
from typing import Annotated, Any

import httpx
from fapilog.fastapi import FastAPIBuilder, get_request_logger
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel

lifespan = (
    FastAPIBuilder()
    .with_name("payments-api")
    .with_preset("production")  # JSON on stdout, credential redaction, INFO and up
    # Builder presets in fapilog 0.18.1 lose the URL-credential redactor; add it back.
    .with_redaction(fields=["card_number", "cvv"], url_credentials=True)
    .skip_paths(["/health"])  # no event for health probes (errors are still logged)
    .build()
)
app = FastAPI(lifespan=lifespan)


class Payment(BaseModel):
    amount_cents: int
    card_number: str
    cvv: str


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}


@app.post("/payments", status_code=201)
async def create_payment(
    payment: Payment, log: Annotated[Any, Depends(get_request_logger)]
) -> dict:
    # Logging the whole model is fine: the redactors mask card_number and cvv.
    await log.info("payment accepted", **payment.model_dump())
    return {"payment_id": "pay-1"}


@app.get("/payments/{payment_id}")
async def get_payment(payment_id: str) -> dict:
    raise HTTPException(status_code=404, detail="no such payment")


@app.get("/reports/daily")
async def daily_report() -> dict:
    raise RuntimeError("report store unavailable")


async def main() -> None:
    seen = []
    # What a server does: run the lifespan (startup, then drain at shutdown) around
    # the requests. raise_app_exceptions=False turns the unhandled error into a 500.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api.test") as client,
    ):
        # First, so that the output order does not depend on timing: ERROR is a
        # protected level and can overtake INFO events still waiting in the queue.
        seen.append(await client.get("/reports/daily"))
        seen.append(await client.get("/health"))
        seen.append(
            await client.post(
                "/payments",
                json={
                    "amount_cents": 1999,
                    "card_number": "4111111111111111",
                    "cvv": "123",
                },
                headers={"X-Request-ID": "req-7f3a"},
            )
        )
        seen.append(await client.get("/payments/pay-404"))

    # Printed after the logger drained, so the log lines above are complete.
    for response in seen:
        request = response.request
        print(
            f"{request.method} {request.url.path} -> {response.status_code}",
            "X-Request-ID:",
            response.headers.get("x-request-id"),
        )


if __name__ == "__main__":
    asyncio.run(main())
