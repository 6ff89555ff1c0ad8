"""hub/names.py defines fapilog's plugin types and groups once; the probes' copies agree.

The probes run alone in isolated interpreters and cannot import the hub, so they keep a
copy; this is what keeps the copies honest. The groups are also checked against fapilog.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hub import names
from hub.project import ROOT


def _groups_in(path: Path) -> set[str]:
    found = {node.value for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Constant)}
    strings = {v for v in found if isinstance(v, str)}
    if "fapilog.{t}s" in "".join(path.read_text().split()):  # a comprehension over the type names
        return {f"fapilog.{t}s" for t in strings if t in names.PLUGIN_TYPES}
    return {v for v in strings if v.startswith("fapilog.")}


def test_the_probes_copies_of_the_groups_agree_with_hub_names():
    expected = set(names.ENTRY_POINT_GROUPS.values())
    for probe in (ROOT / "hub/catalog/probe.py", ROOT / "hub/evaluation/probe/plugins.py"):
        assert _groups_in(probe) == expected, probe.relative_to(ROOT)


def test_the_groups_are_the_ones_fapilog_reads():
    loader = Path(__import__("fapilog.plugins.loader", fromlist=["x"]).__file__).read_text()
    assert set(re.findall(r'"(fapilog\.[a-z]+s)"', loader)) >= set(names.ENTRY_POINT_GROUPS.values())


def test_a_github_handle_is_what_github_accepts():
    handle = re.compile(names.GITHUB_HANDLE)
    assert all(handle.match(h) for h in ("chris-haste", "a", "A1", "x" * 39))
    assert not any(handle.match(h) for h in ("-lead", "x" * 40, "under_score", "sp ace", ""))
