"""hub/site.py is the composition root: the one module above the catalog, the evaluation,
the reviews and the metrics. Checked here from the source's imports (function-level ones
included) and from what it builds."""

from __future__ import annotations

import ast
import shutil
from collections import defaultdict
from pathlib import Path

import pydantic
import pytest

from hub import site
from hub.catalog.models import CatalogEntry
from hub.project import ROOT

HUB = ROOT / "hub"
# Run alone in isolated interpreters (never imported): outside the package graph.
PROBES = {HUB / "catalog" / "probe.py", *(HUB / "evaluation" / "probe").glob("*.py")}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "hub":
            found |= {f"hub.{a.name}" for a in node.names} if node.module == "hub" else {node.module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "hub"}
    return found


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def package_graph() -> dict[str, set[str]]:
    """hub's parts (subpackages and top-level modules) -> the parts they import.

    `__main__` modules are command-line entry points, above every part, and left out.
    """
    graph: dict[str, set[str]] = defaultdict(set)
    for path in HUB.rglob("*.py"):
        if path in PROBES or path.name == "__main__.py":
            continue
        mine = _part(_module(path))
        graph[mine] |= {_part(m) for m in _imports(path)} - {mine, "hub"}
    return graph


def test_no_part_of_the_hub_imports_another_in_a_cycle():
    graph = package_graph()
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != "open", "import cycle: " + " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_only_the_build_hooks_import_the_composition_root():
    importers = sorted(p for p, deps in package_graph().items() if "site" in deps)
    assert importers == ["mkdocs_hooks"]


def test_the_catalog_imports_none_of_the_parts_built_on_it():
    assert package_graph()["catalog"].isdisjoint({"evaluation", "reviews", "metrics", "site", "mkdocs_hooks"})


def test_a_built_entry_is_immutable():
    entry = CatalogEntry.model_construct(id="sink/x")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        entry.id = "sink/y"


def test_another_registry_is_judged_by_its_own_entries(tmp_path: Path):
    """A build of another registry folder (the hostile-registry tests) takes evaluation targets,
    and so exemptions and tiers, from that folder, never from registry/plugins/."""
    shutil.copy(ROOT / "registry" / "plugins" / "fapilog-sqlite.yml", tmp_path)
    sources = site.load(tmp_path, discovery=object())  # discovery is not read by load()
    external = {t.package for t in sources.targets.values() if not t.builtin}
    assert external == {"fapilog-sqlite"}
    assert [e.package for e in sources.entries.values()] == ["fapilog-sqlite"]


def test_hand_written_pages_ask_for_evaluation_fragments_with_the_one_block_syntax(tmp_path: Path):
    """`<!-- hub:evaluation-NAME -->` goes through hub.blocks like every page block; the names
    come from hub.evaluation.fragments, and an unknown one fails with the names that exist."""
    from hub import blocks
    from hub.evaluation import fragments

    shutil.copy(ROOT / "registry" / "plugins" / "fapilog-sqlite.yml", tmp_path)
    page_blocks = site.page_blocks(site.load(tmp_path, discovery=object()))
    assert set(page_blocks) == {f"evaluation-{name}" for name in fragments.PAGE_SECTIONS}
    assert "evaluation-plugin" not in page_blocks  # generated plugin pages render theirs directly
    where = blocks.Where(page_url="catalog/quality/", extra={})
    page = "Intro.\n\n<!-- hub:evaluation-rules -->\n\n```text\n<!-- hub:evaluation-rules -->\n```\n"
    filled = blocks.fill(page, where, page_blocks)
    assert "<table" in filled and filled.count("<!-- hub:evaluation-rules -->") == 1  # the fenced one stays
    with pytest.raises(blocks.BlockError, match=r"no block named 'evaluation-rule'; known: .*'evaluation-rules'"):
        blocks.fill("<!-- hub:evaluation-rule -->\n", where, page_blocks)
