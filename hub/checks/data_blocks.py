"""TOML, YAML and JSON a reader copies parse, and the entry-point groups they name are fapilog's.

One job, over the site's `toml`, `yaml` and `json` blocks (a block that only includes a
file with `--8<--` is checked as that file) and the project's own plugin packages'
pyproject.toml files:

- the text parses (tomllib, PyYAML's safe loader, json), reported at its line;
- an entry-point group that starts with `fapilog` is one of the five fapilog reads
  (`fapilog.sinks`, `fapilog.enrichers`, `fapilog.redactors`, `fapilog.processors`,
  `fapilog.filters`), wherever it is named: a pyproject `[project.entry-points."..."]`
  table, `entry_points(group=...)` in Python, inline code such as `fapilog.sinks`
  (inline `fapilog.NAME` must be a group or something fapilog has), or any text naming
  `fapilog.sink`, `fapilog.filter`, ... (singular or plural);
- a pyproject fragment is valid PEP 621: `[project]` keys are the standard's
  (validate-pyproject is not in the environment, so this is tomllib and these checks),
  entry points live under `project.entry-points` (not `entry_points`), and each entry
  point is `name = "module:attribute"`.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from hub.checks.fapilog_model import ENTRY_POINT_GROUPS
from hub.checks.markdown import Problem
from hub.checks.sources import Site, Where, all_python, included_files, parse_python
from hub.project import tomllib

RULE = "data-block"
GROUP_RULE = "entry-point-group"
LANGS = {"toml", "yaml", "yml", "json"}
# PEP 621 [project] keys (packaging.python.org "pyproject.toml specification").
PROJECT_KEYS = {
    "name", "version", "description", "readme", "requires-python", "license", "license-files", "authors",
    "maintainers", "keywords", "classifiers", "urls", "scripts", "gui-scripts", "entry-points",
    "dependencies", "optional-dependencies", "dynamic", "import-names", "import-namespaces",
}  # fmt: skip
ENTRY_POINT = re.compile(r"^[\w.-]+$")
OBJECT_REFERENCE = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*)?$")
GROUP_IN_TEXT = re.compile(r"""(?:entry-points|entry_points)\.["'](?P<group>fapilog[\w.-]*)["']""")
INLINE_FAPILOG = re.compile(r"^fapilog\.(?P<name>[a-z_]+)$")
# A group named in any text: fapilog.sink, fapilog.enricher, ... (singular or plural).
GROUP_LIKE = re.compile(r"(?<![\w.])fapilog\.(?P<name>(?:sink|enricher|redactor|processor|filter)s?)(?![\w.(-])")


def group_problem(group: str) -> str | None:
    if group.startswith("fapilog") and group not in ENTRY_POINT_GROUPS:
        return f"entry-point group '{group}' is not one fapilog reads ({', '.join(ENTRY_POINT_GROUPS)})"
    return None


def parse(lang: str, text: str) -> tuple[list[Any], tuple[int, str] | None]:
    """(documents, None), or ([], (line within text, message)) when it does not parse."""
    try:
        if lang == "toml":
            return [tomllib.loads(text)], None
        if lang == "json":
            return [json.loads(text)], None
        return list(yaml.safe_load_all(text)), None
    except tomllib.TOMLDecodeError as exc:
        line = int(m[1]) if (m := re.search(r"line (\d+)", str(exc))) else 1
        return [], (line, f"TOML does not parse: {exc}")
    except json.JSONDecodeError as exc:
        return [], (exc.lineno, f"JSON does not parse: {exc.msg} (column {exc.colno})")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], (line, f"YAML does not parse: {getattr(exc, 'problem', None) or exc}")


def check_pyproject(data: dict[str, Any], where: Where) -> Iterator[Problem]:
    project = data.get("project")
    if not isinstance(project, dict):
        return
    for key in project:
        if key not in PROJECT_KEYS:
            hint = " (write entry-points)" if key == "entry_points" else ""
            yield where.problem(RULE, f"[project] has no key '{key}' in PEP 621{hint}")
    groups = project.get("entry-points", {})
    if not isinstance(groups, dict):
        yield where.problem(RULE, "[project.entry-points] must be a table of groups")
        return
    for group, entries in groups.items():
        if (message := group_problem(group)) is not None:
            yield where.problem(GROUP_RULE, message)
        if not isinstance(entries, dict):
            yield where.problem(RULE, f'[project.entry-points."{group}"] must be a table of name = "module:attribute"')
            continue
        for name, reference in entries.items():
            if not ENTRY_POINT.match(name) or not isinstance(reference, str) or not OBJECT_REFERENCE.match(reference):
                yield where.problem(RULE, f'entry point {name} = {reference!r} is not name = "module:attribute"')


def line_of(text: str, needle: str) -> int:
    """The line (from 1) where needle first appears in text, else 1."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def check_text(lang: str, text: str, where: Where) -> Iterator[Problem]:
    documents, error = parse(lang, text)
    if error:
        yield where.at(error[0] - 1).problem(RULE, error[1])
        return
    if lang == "toml":
        for document in documents:
            for problem in check_pyproject(document, where):
                # Point at the table or key the problem names, not the block's first line.
                quoted = re.search(r"'([^']+)'|(\S+) =", problem.message)
                needle = next((g for g in quoted.groups() if g), "") if quoted else ""
                yield where.at(line_of(text, needle) - 1 if needle else 0).problem(problem.rule, problem.message)


def check_fences(site: Site) -> Iterator[Problem]:
    for doc in site.markdown:
        for fence in doc.fences:
            if fence.lang not in LANGS:
                continue
            includes = included_files(fence.body)
            if includes is None:
                yield from check_text(fence.lang, fence.body, fence.body_where)
                continue
            for include in includes:
                path = site.root / include
                if path.is_file():  # a missing file fails the strict build (check_paths)
                    yield from check_text(fence.lang, path.read_text(encoding="utf-8"), Where(include, 1))


def check_package_files(site: Site) -> Iterator[Problem]:
    for path in sorted(site.root.glob("examples/plugins/*/pyproject.toml")) + sorted(
        site.root.glob("packages/*/pyproject.toml")
    ):
        rel = path.relative_to(site.root).as_posix()
        if site.checks(rel):
            yield from check_text("toml", path.read_text(encoding="utf-8"), Where(rel, 1))


def check_groups_in_text(site: Site) -> Iterator[Problem]:
    for where, line in site.texts:
        for match in GROUP_IN_TEXT.finditer(line):
            if (message := group_problem(match["group"])) is not None:
                yield where.problem(GROUP_RULE, message)
        for match in GROUP_LIKE.finditer(line):
            if match[0] not in ENTRY_POINT_GROUPS and not fapilog_has(match["name"]):
                yield where.problem(GROUP_RULE, f"{group_problem(match[0])} (nor a name in fapilog)")
    for doc in site.markdown:
        for span in doc.inline:
            match = INLINE_FAPILOG.match(span.code.strip())
            if match and span.code.strip() not in ENTRY_POINT_GROUPS and not fapilog_has(match["name"]):
                yield span.where.problem(
                    GROUP_RULE,
                    f"'{span.code.strip()}' is neither an entry-point group fapilog reads "
                    f"({', '.join(ENTRY_POINT_GROUPS)}) nor a name in fapilog",
                )
    import ast

    for source in all_python(site):
        tree = parse_python(source)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.keyword) and node.arg == "group" and isinstance(node.value, ast.Constant):
                group = str(node.value.value)
                if (message := group_problem(group)) is not None:
                    yield source.start.at(node.value.lineno - 1).problem(GROUP_RULE, message)


def fapilog_has(name: str) -> bool:
    import fapilog

    if hasattr(fapilog, name):
        return True
    try:
        return importlib.util.find_spec(f"fapilog.{name}") is not None
    except (ImportError, ValueError):
        return False


def check(site: Site) -> list[Problem]:
    return [*check_fences(site), *check_package_files(site), *check_groups_in_text(site)]
