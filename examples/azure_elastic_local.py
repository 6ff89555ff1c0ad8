"""Azure Monitor (Logs Ingestion API) and Elasticsearch (_bulk API), against local receivers.

Neither service can be reached from the machines that run the tests, so one local
HTTP server on 127.0.0.1 stands in for both and records what arrives:

- Azure Monitor's Logs Ingestion API takes a JSON array of records, POSTed to
  `/dataCollectionRules/<rule id>/streams/<stream>?api-version=2023-01-01` with a bearer
  token. fapilog's built-in `http` sink sends exactly that shape.
- Elasticsearch's `_bulk` API takes NDJSON in which every document line follows an
  action line (`{"create": {...}}`). The `http` sink's NDJSON has document lines only,
  so this program uses a small custom sink instead.

Whether the services accept these requests is not tested here. The recipes guide
includes this file; tests/test_examples.py runs it and compares its output with
azure_elastic_local.out.
"""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
from fapilog import Settings, get_logger

REQUESTS: list[dict] = []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        url = urlsplit(self.path)
        REQUESTS.append(
            {
                "path": url.path,
                "query": parse_qs(url.query),
                "scheme": self.headers.get("Authorization", "").split(" ")[0],
                "type": self.headers.get("Content-Type"),
                "body": self.rfile.read(int(self.headers["Content-Length"])).decode(),
            }
        )
        self.send_response(204 if "streams" in url.path else 200)
        self.end_headers()
        if "streams" not in url.path:
            self.wfile.write(b'{"errors": false}')

    def log_message(self, *args) -> None:
        pass


class ElasticBulkSink:
    """Each event as one `create` action in `_bulk` NDJSON, into a data stream."""

    name = "elastic_bulk"

    def __init__(self, url: str, index: str, api_key: str) -> None:
        self.url, self.index, self.api_key = url, index, api_key

    async def start(self) -> None:
        self.client = httpx.AsyncClient(timeout=5.0)

    async def stop(self) -> None:
        await self.client.aclose()

    async def write(self, entry: dict) -> None:
        document = {"@timestamp": entry["timestamp"], **entry}
        lines = [{"create": {"_index": self.index}}, document]
        body = "".join(json.dumps(line, default=str) + "\n" for line in lines)
        response = await self.client.post(
            f"{self.url}/_bulk",
            content=body,
            headers={
                "Content-Type": "application/x-ndjson",
                "Authorization": f"ApiKey {self.api_key}",
            },
        )
        response.raise_for_status()  # on error fapilog writes the event to stderr


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    # Azure: endpoint = <data collection endpoint>/dataCollectionRules/<DCR immutable
    # id>/streams/<stream>?api-version=2023-01-01. The token comes from Entra ID.
    azure = Settings(
        core={"sinks": ["http"]},
        http={
            "endpoint": f"{base}/dataCollectionRules/dcr-0123/streams/Custom-AppLogs_CL"
            "?api-version=2023-01-01",
            "headers": {"Authorization": "Bearer <token from Entra ID>"},
            "batch_format": "array",
            "batch_size": 1,
        },
    )
    log = get_logger("azure", settings=azure, reuse=False)
    log.info("order placed", order_id=7)
    asyncio.run(log.stop_and_drain())

    elastic = ElasticBulkSink(base, index="logs-shop-default", api_key="<api key>")
    log = get_logger("elastic", sinks=[elastic], reuse=False)
    log.warning("stock low", sku="A-1", left=3)
    asyncio.run(log.stop_and_drain())
    server.shutdown()

    azure_request, elastic_request = REQUESTS
    print("Azure Monitor:", "POST", azure_request["path"])
    print("  api-version:", azure_request["query"]["api-version"])
    print("  Authorization:", azure_request["scheme"], "<token>")
    print("  Content-Type:", azure_request["type"])
    records = json.loads(azure_request["body"])
    print(
        "  body: a JSON array of",
        len(records),
        "record(s) with fields",
        sorted(records[0]),
    )
    assert isinstance(records, list) and records[0]["message"] == "order placed"

    print("Elasticsearch:", "POST", elastic_request["path"])
    print("  Authorization:", elastic_request["scheme"], "<key>")
    print("  Content-Type:", elastic_request["type"])
    action, document = (
        json.loads(line) for line in elastic_request["body"].splitlines()
    )
    print("  action line:", action)
    print("  document fields:", sorted(document))
    assert action == {"create": {"_index": "logs-shop-default"}}
    assert document["@timestamp"] == document["timestamp"]


if __name__ == "__main__":
    main()
