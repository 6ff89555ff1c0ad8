"""A service in a Kubernetes pod: JSON lines on stdout, pod metadata on every event.

In a pod you configure nothing in code. fapilog detects Kubernetes (the service-account
mount, or POD_NAME in the environment), turns on its `kubernetes` enricher, and writes
JSON to stdout because stdout is not a terminal; the node's log agent (Fluent Bit,
Vector, the Datadog or Grafana agent) tails it. The enricher reads the variables that
the Deployment passes in through the Downward API (see the guide's manifest).
Only `get_logger()` without `settings=` or `preset=` detects: a builder, or any
`settings=`, skips the detection, and then the enricher must be named (see the guide).

Outside a cluster this demo sets those variables itself, with the values a pod of the
`checkout` Deployment would see. In a pod they are already set: leave that step out.
"""

import asyncio
import os

from fapilog import get_logger

POD_ENVIRONMENT = {
    "POD_NAME": "checkout-7d9f8b6c5d-x2x9k",  # metadata.name
    "POD_NAMESPACE": "shop",  # metadata.namespace
    "NODE_NAME": "worker-node-3",  # spec.nodeName
    "CONTAINER_NAME": "app",
    "FAPILOG_SERVICE": "checkout",  # diagnostics.service
    "FAPILOG_ENV": "production",  # diagnostics.env
}


def main() -> None:
    os.environ.update(POD_ENVIRONMENT)  # demo only: the Deployment sets these in a pod

    log = get_logger("checkout.api")  # zero configuration: detection does the rest
    log.debug("not shown: Kubernetes detection sets the level to INFO")
    log.info("server ready", port=8080)
    log.warning("upstream slow", upstream="inventory", latency_ms=870)

    # Kubernetes stops a pod with SIGTERM, which fapilog handles by draining. A
    # program that ends on its own must drain before it exits.
    asyncio.run(log.stop_and_drain())


if __name__ == "__main__":
    main()
