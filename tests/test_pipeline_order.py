"""The pipeline diagrams on the site draw the stages in the order fapilog runs them.

fapilog is run with one recording plugin of each stage type (filter, enricher, redactor,
processor, sink), registered by name the way built-ins are, and configured through
`Settings` like any plugin; each records when it sees the event. Every Mermaid diagram
under docs/ that names two or more stages is parsed (nodes, edges, labels) and its stage
order compared with the recorded one. The home page and the async guide must have such a
diagram, so deleting or restyling it cannot silently turn the check off.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from support import ROOT

DOCS = ROOT / "docs"
REQUIRED = ("docs/index.md", "docs/guides/async-best-practices.md")
STAGES = ("filter", "enricher", "redactor", "processor", "sink")

FENCE = re.compile(r"^```mermaid\s*$")
ARROW = re.compile(r"\s*(?:--\s+.*?\s+-->|-->\|[^|]*\||-->|==>|-\.->)\s*")
NODE = re.compile(r"^(?P<id>[A-Za-z_][\w.-]*)\s*(?P<shape>[\[({].*)?$")
NOT_NODES = ("flowchart", "graph", "subgraph", "end", "classDef", "class ", "style", "linkStyle", "%%", "direction")


# --- what fapilog does -------------------------------------------------------------------


def recorded_order() -> list[str]:
    """The stages in the order they see one event, from a real fapilog logger."""
    from fapilog import Settings, get_async_logger
    from fapilog.plugins import loader

    seen: list[str] = []

    class Plugin:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        async def start(self) -> None:
            pass

        async def stop(self) -> None:
            pass

    class Filter(Plugin):
        name = "hub_recording_filter"

        async def filter(self, event: dict) -> dict:
            seen.append("filter")
            return event

    class Enricher(Plugin):
        name = "hub_recording_enricher"

        async def enrich(self, event: dict) -> dict:
            seen.append("enricher")
            return {}

    class Redactor(Plugin):
        name = "hub_recording_redactor"

        async def redact(self, event: dict) -> dict:
            seen.append("redactor")
            return event

    class Processor(Plugin):
        name = "hub_recording_processor"

        async def process(self, view: memoryview) -> memoryview:
            seen.append("processor")
            return view

    class Sink(Plugin):
        name = "hub_recording_sink"

        async def write(self, entry: dict) -> None:
            seen.append("sink")

        async def write_serialized(self, view: Any) -> None:
            seen.append("sink")

    plugins = {
        "fapilog.filters": Filter,
        "fapilog.enrichers": Enricher,
        "fapilog.redactors": Redactor,
        "fapilog.processors": Processor,
    }
    for group, cls in plugins.items():
        loader.register_builtin(group, cls.name, cls)
    settings = Settings(
        core={
            "filters": [Filter.name],
            "enrichers": [Enricher.name],
            "redactors": [Redactor.name],
            "processors": [Processor.name],
            "serialize_in_flush": True,  # processors run only on the serialized path
        }
    )

    async def run() -> None:
        log = await get_async_logger("pipeline-order", settings=settings, sinks=[Sink()], reuse=False)
        await log.info("one event")
        await log.drain()

    try:
        asyncio.run(run())
    finally:
        for group, cls in plugins.items():
            loader._registry_for_group(group).pop(cls.name, None)  # noqa: SLF001
    return seen


@pytest.fixture(scope="module")
def fapilog_order() -> list[str]:
    order = recorded_order()
    assert sorted(order) == sorted(STAGES), f"each stage should see the event once, recorded {order}"
    return order


# --- what the diagrams say ---------------------------------------------------------------


@dataclass(frozen=True)
class Diagram:
    path: str  # relative to the repository
    line: int  # of the ```mermaid fence
    lines: list[tuple[int, str]]  # (line number, text) inside the fence


def mermaid_diagrams(path: str, text: str) -> Iterator[Diagram]:
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if FENCE.match(lines[i].strip()):
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append((i + 1, lines[i]))
                i += 1
            yield Diagram(path, start, body)
        i += 1


def stage_of(label: str) -> str | None:
    words = re.sub(r"<[^>]+>", " ", label).replace('"', " ").lower().split()
    first = words[0] if words else ""
    return first.removesuffix("s") if first.removesuffix("s") in STAGES else None


def stage_order(diagram: Diagram) -> list[tuple[str, int]]:
    """The diagram's stage nodes, in the order its edges lead through them, with their lines."""
    labels: dict[str, str] = {}
    first_line: dict[str, int] = {}
    edges: list[tuple[str, str]] = []
    for number, raw in diagram.lines:
        line = raw.strip()
        if not line or line.startswith(NOT_NODES):
            continue
        ids = []
        for token in ARROW.split(line):
            match = NODE.match(token.strip())
            if not match:
                continue
            node, shape = match["id"], match["shape"]
            ids.append(node)
            first_line.setdefault(node, number)
            if shape:
                labels[node] = shape.strip("[](){}")
            labels.setdefault(node, node)
        edges += list(zip(ids, ids[1:], strict=False))
    # Kahn's topological sort, ties broken by where a node first appears.
    incoming = {node: 0 for node in labels}
    for _, dst in edges:
        incoming[dst] += 1
    ready = sorted((n for n, k in incoming.items() if k == 0), key=first_line.__getitem__)
    ordered = []
    while ready:
        node = ready.pop(0)
        ordered.append(node)
        for src, dst in edges:
            if src == node:
                incoming[dst] -= 1
                if incoming[dst] == 0:
                    ready.append(dst)
        ready.sort(key=first_line.__getitem__)
    return [(stage, first_line[node]) for node in ordered if (stage := stage_of(labels[node]))]


def problems(diagram: Diagram, actual: list[str]) -> list[str]:
    drawn = stage_order(diagram)
    names = [stage for stage, _ in drawn]
    if names == actual:
        return []
    # The line of the first stage out of place (or of the last one, if one is missing).
    wrong = [at for (stage, at), expected in zip(drawn, actual, strict=False) if stage != expected]
    line = wrong[0] if wrong else (drawn[-1][1] if drawn else diagram.line)
    return [
        f"{diagram.path}:{line}: the diagram draws the stages as {' -> '.join(names)}; "
        f"fapilog runs {' -> '.join(actual)}"
    ]


def pipeline_diagrams() -> list[Diagram]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        rel = page.relative_to(ROOT).as_posix()
        for diagram in mermaid_diagrams(rel, page.read_text(encoding="utf-8")):
            if len(stage_order(diagram)) >= 2:
                found.append(diagram)
    return found


DIAGRAMS = pipeline_diagrams()


def test_required_pages_draw_the_pipeline():
    drawn = {d.path for d in DIAGRAMS}
    missing = [page for page in REQUIRED if page not in drawn]
    assert not missing, f"no Mermaid pipeline diagram found on {missing}: the order check would check nothing"


@pytest.mark.parametrize("diagram", DIAGRAMS, ids=lambda d: f"{d.path}:{d.line}")
def test_diagram_draws_fapilog_order(diagram: Diagram, fapilog_order: list[str]):
    found = problems(diagram, fapilog_order)
    if found:
        pytest.fail("\n".join(found), pytrace=False)


def test_planted_wrong_order_fails_with_file_and_line(fapilog_order: list[str]):
    """The check can fail: the home page with enrichers drawn before filters is caught."""
    page = "docs/index.md"
    text = (ROOT / page).read_text(encoding="utf-8")
    (diagram,) = [d for d in DIAGRAMS if d.path == page]
    number, line = next((n, t) for n, t in diagram.lines if "filter" in t and "enrich" in t)
    planted = line.replace('filter["filters"]', "PLANT").replace('enrich["enrichers"]', 'filter["filters"]')
    planted = planted.replace("PLANT", 'enrich["enrichers"]')
    assert planted != line, "the planting found nothing to swap; update this self-check"
    broken = text.splitlines()
    broken[number - 1] = planted
    (wrong,) = [d for d in mermaid_diagrams(page, "\n".join(broken)) if d.path == page and d.line == diagram.line]
    assert problems(wrong, fapilog_order) == [
        f"{page}:{number}: the diagram draws the stages as enricher -> filter -> redactor -> processor -> sink; "
        f"fapilog runs {' -> '.join(fapilog_order)}"
    ]
