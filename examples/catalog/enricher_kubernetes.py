import os

from fapilog import Settings, runtime

# In a pod, the Downward API sets these variables; outside Kubernetes this example
# sets them itself so there is something to read.
os.environ.setdefault("POD_NAME", "checkout-7d4b9c8f6d-x2x7q")
os.environ.setdefault("POD_NAMESPACE", "shop")
os.environ.setdefault("NODE_NAME", "node-a")

settings = Settings(core={"enrichers": ["kubernetes"]})

with runtime(settings=settings) as log:
    log.info("service started")
