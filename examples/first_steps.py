"""First steps in a script: structured fields, bound context and a redacted secret.

Run it with `python examples/first_steps.py`; each event is one JSON line on stdout.
The getting-started page includes this file, and tests/test_examples.py runs it and
compares its output with first_steps.out.
"""

import asyncio

from fapilog import LoggerBuilder


def main() -> None:
    log = (
        LoggerBuilder()
        .with_name("checkout")
        .with_preset("production")  # masks well-known credential fields by name
        .with_redaction(fields=["card_number"])  # ...plus the fields you name
        .build()
    )
    log.info("service started", port=8080)

    log.bind(request_id="req-42")  # every later event carries the request id
    log.info(
        "payment accepted",
        amount_cents=1999,
        card_number="4111 1111 1111 1111",
        password="hunter2",
    )

    # A script's last events can be lost at exit unless the queue is drained.
    asyncio.run(log.stop_and_drain())


if __name__ == "__main__":
    main()
