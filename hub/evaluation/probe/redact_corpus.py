"""Pass every corpus record through a redactor (or a whole fapilog logger) and return the output.

No scoring happens here: the records go back to the hub, which compares them with the
corpus labels. A record the redactor raised on is returned as an error.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def load(corpus_path: str) -> list[dict[str, Any]]:
    return json.loads(Path(corpus_path).read_text(encoding="utf-8"))["records"]


def envelope(record: dict[str, Any]) -> dict[str, Any]:
    """The record as an event reaches a redactor in fapilog's pipeline."""
    return {
        "timestamp": "2026-01-01T00:00:00.000Z",
        "level": "INFO",
        "message": record["message"],
        "logger": "corpus",
        "context": {},
        "diagnostics": {},
        "data": copy.deepcopy(record["data"]),
    }


async def with_plugin(make: Callable[[], Any], corpus_path: str) -> list[dict[str, Any]]:
    redactor = make()
    if hasattr(redactor, "start"):
        await redactor.start()
    outputs = []
    try:
        for record in load(corpus_path):
            try:
                out = await redactor.redact(envelope(record))
                outputs.append({"id": record["id"], "event": out})
            except Exception as exc:
                outputs.append({"id": record["id"], "error": f"{type(exc).__name__}: {exc}"[:300]})
    finally:
        if hasattr(redactor, "stop"):
            await redactor.stop()
    return outputs


# How each configuration is built: fapilog's own builder, as a user would write it.
CONFIGURATIONS: dict[str, Callable[[Any], Any]] = {
    "no redaction configured (builder defaults)": lambda b: b,
    "with_preset('production')": lambda b: b.with_preset("production"),
}


async def with_presets(corpus_path: str, folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Log the corpus through a real logger per redaction preset and read back what it wrote."""
    from fapilog.builder import AsyncLoggerBuilder
    from fapilog.redaction import list_redaction_presets

    configurations = dict(CONFIGURATIONS)
    for name in list_redaction_presets():
        configurations[f"with_redaction(preset='{name}')"] = lambda b, name=name: b.with_redaction(preset=name)
    configurations["with_redaction(preset='CREDENTIALS', url_credentials=True)"] = lambda b: b.with_redaction(
        preset="CREDENTIALS", url_credentials=True
    )
    records = load(corpus_path)
    outputs: dict[str, list[dict[str, Any]]] = {}
    for number, (label, configure) in enumerate(configurations.items()):
        directory = folder / f"configuration-{number}"
        directory.mkdir(parents=True)
        # A fresh, uncached logger each time: fapilog reuses a logger built under the same
        # name by default, and the first one is already drained and stopped here.
        builder = configure(AsyncLoggerBuilder().with_name(f"corpus-{number}").reuse(False).add_file(str(directory)))
        logger = await builder.build_async()
        for record in records:
            await logger.info(record["message"], corpus_record=record["id"], **copy.deepcopy(record["data"]))
        await logger.stop_and_drain()
        written = []
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    event = json.loads(line)
                    event = event.get("log", event)
                    data = event.get("data") or {}
                    written.append({"id": data.pop("corpus_record", None), "event": event})
        outputs[label] = written
    return outputs
