"""Plugins named in `core.sinks`, `core.enrichers`, `core.redactors`, `core.filters` and
`core.processors` exist.

One job. fapilog does not fail on a plugin it cannot find: it carries on without it,
and says so only on its internal diagnostics channel, which is off by default (tried
with fapilog 0.18.1: `core={"redactors": ["field_msk"]}` logs `password="secret"`
unmasked and prints nothing; with `FAPILOG_CORE__INTERNAL_LOGGING_ENABLED=true` it
prints "plugin load failed"). A name must be

- a built-in (fapilog's registries and aliases, `fapilog.plugins.loader`), or
- an entry point of that group in the test environment (the project's plugin packages),
  or a plugin of `registry/plugins/*.yml`, or
- defined in the same notebook, page or program: a class attribute `name = "x"`, a
  `PLUGIN_METADATA` `"name": "x"`, `obj.name = "x"`, `register_builtin(group, "x", ...)`,
  or an entry-point line `x = "module:attribute"` (names are compared as fapilog
  normalizes them: lower case, `-` as `_`).

Read from Python (dict literals holding a `core` mapping or `Settings(core=...)`) and from
YAML/JSON/TOML blocks.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from typing import Any

import yaml

from hub.checks.fapilog_model import ENTRY_POINT_GROUPS, builtin_plugins
from hub.checks.markdown import Problem
from hub.checks.settings_paths import parse_data
from hub.checks.sources import PythonSource, Site, Where, parse_python, python_blocks

RULE = "fapilog-plugin"
LISTS = {group.removeprefix("fapilog."): group for group in ENTRY_POINT_GROUPS}  # "sinks" -> "fapilog.sinks"
DEFINED = [
    re.compile(r"""\bname\s*=\s*\\?["']([\w-]+)\\?["']"""),
    re.compile(r"""\\?["']name\\?["']\s*:\s*\\?["']([\w-]+)\\?["']"""),
    re.compile(r"""register_builtin\(\s*\\?["']fapilog\.\w+\\?["']\s*,\s*\\?["']([\w-]+)\\?["']"""),
    re.compile(r"""(?m)^[\s"]*([\w-]+)\s*=\s*\\?["'][\w.]+:[\w.]+\\?["']"""),
]
OBJECT_NAMES = re.compile(r"""(?:\w+\.name\s*,\s*)*\w+\.name\s*=\s*((?:\\?["'][\w-]+\\?["']\s*,?\s*)+)""")
QUOTED = re.compile(r"""["']([\w-]+)\\?["']""")


def normalize(name: str) -> str:
    return name.strip().lower().replace("-", "_")


@lru_cache(maxsize=1)
def installed_names() -> dict[str, frozenset[str]]:
    from fapilog.plugins import loader

    found: dict[str, set[str]] = defaultdict(set)
    for group, plugins in builtin_plugins().items():
        found[group] |= {normalize(n) for n in plugins}
        found[group] |= {normalize(n) for n in loader.BUILTIN_ALIASES.get(group, {})}
        found[group] |= {normalize(ep.name) for ep in metadata.entry_points(group=group)}
    return {group: frozenset(names) for group, names in found.items()}


def registry_names(site: Site) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for entry in sorted((site.root / "registry" / "plugins").glob("*.yml")):
        for plugin in (yaml.safe_load(entry.read_text(encoding="utf-8")) or {}).get("plugins", []):
            found[f"fapilog.{plugin.get('type')}s"].add(normalize(str(plugin.get("name"))))
    return found


def defined_names(text: str) -> set[str]:
    names = {normalize(m) for pattern in DEFINED for m in pattern.findall(text)}
    for match in OBJECT_NAMES.finditer(text):
        names |= {normalize(q) for q in QUOTED.findall(match[1])}
    return names


def literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Dict):
        return {
            k.value: literal(v)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
    return None


def core_mappings_in_python(source: PythonSource) -> Iterator[tuple[Where, dict[str, Any]]]:
    tree = parse_python(source)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Dict):
            value = literal(node)
            if isinstance(value.get("core"), dict):
                yield source.start.at(node.lineno - 1), value["core"]
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "core" and isinstance(kw.value, ast.Dict):
                    yield source.start.at(kw.value.lineno - 1), literal(kw.value)


def check_core(core: dict[str, Any], where: Where, known: dict[str, set[str]]) -> Iterator[Problem]:
    for key, group in LISTS.items():
        names = core.get(key)
        if not isinstance(names, list):
            continue
        for name in names:
            if isinstance(name, str) and normalize(name) not in known[group]:
                yield where.problem(
                    RULE,
                    f"core.{key} names '{name}', which is not a {group} plugin: not built in, not installed, "
                    "not in the registry and not defined here; fapilog would carry on without it, silently by default",
                )


def units(site: Site) -> Iterator[tuple[str, list[PythonSource], list[tuple[Where, dict[str, Any]]]]]:
    """(whole text, Python sources, data mappings) of each notebook, page and program."""
    by_path: dict[str, tuple[list[str], list[PythonSource], list[tuple[Where, dict[str, Any]]]]] = defaultdict(
        lambda: ([], [], [])
    )
    for doc in site.markdown:
        texts, sources, data = by_path[doc.path]
        texts.append(doc.text)
        for fence in python_blocks(doc):
            sources.append(PythonSource(fence.body_where, fence.body, notebook=bool(doc.start.cell)))
        for fence in doc.fences:
            for value in parse_data(fence.lang, fence.body):
                if isinstance(value, dict) and isinstance(value.get("core"), dict):
                    data.append((fence.body_where, value["core"]))
    for source in site.python:
        texts, sources, _ = by_path[source.start.path]
        texts.append(source.source)
        sources.append(source)
    for texts, sources, data in by_path.values():
        yield "\n".join(texts), sources, data


def check(site: Site) -> list[Problem]:
    shared = registry_names(site)
    for group, names in installed_names().items():
        shared[group] |= names
    problems = []
    for text, sources, data in units(site):
        local = defined_names(text)
        known = {group: shared[group] | local for group in ENTRY_POINT_GROUPS}
        for source in sources:
            for where, core in core_mappings_in_python(source):
                problems += check_core(core, where, known)
        for where, core in data:
            problems += check_core(core, where, known)
    return problems
