"""Every settings path and plugin configuration key the site writes is one fapilog uses.

One job, in three kinds of text:

- inline code in prose and tables that is a dotted settings path (`core.log_level`,
  `sink_config.rotating_file.directory`, `settings.core.sinks`, `core.x=True`) or Python
  (`filter_config={"level": {...}}`), and dotted paths in any text, code comments included;
- Python (Markdown blocks, notebook code cells, example programs): the keyword arguments
  and nested dict keys of `Settings(...)` / `Settings.model_validate({...})`, any dict
  literal holding a `*_config` key (as passed to `Settings(**config)` or `get_logger`),
  and `configure_enricher("name", key=...)` builder calls;
- YAML, JSON and TOML blocks holding a `*_config` or `core` mapping.

fapilog ignores what it does not know (hub.checks.fapilog_model says how that is read), so
each unknown key is reported with the nearest real one. A line of Python that shows such
a mistake on purpose (to pin what fapilog does with it) says so: `# deliberately wrong`.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from hub.checks import fapilog_model
from hub.checks.markdown import Problem
from hub.checks.sources import PythonSource, Site, Where, all_python, parse_python
from hub.project import tomllib

RULE = "fapilog-setting"
DOTTED = re.compile(r"^(?:settings\.|Settings\.)?(?P<path>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)(?:=\S+)?$")
CONFIG_KEYS = set(fapilog_model.PLUGIN_SLOTS)


def top_level_groups() -> set[str]:
    """Settings fields that hold a group of settings (a dotted path starts with one)."""
    model = fapilog_model.settings_model()
    return {
        name
        for name, annotation in fapilog_model.model_keys(model).items()
        if fapilog_model.is_model(fapilog_model.unwrap(annotation))
    }


def check_inline(site: Site) -> Iterator[Problem]:
    groups = top_level_groups()
    for doc in site.markdown:
        for span in doc.inline:
            match = DOTTED.match(span.code.strip())
            if not match:
                # Inline Python: `filter_config={"level": {...}}`, `Settings(core={...})`.
                if "=" in span.code:
                    yield from check_python(PythonSource(span.where, span.code.strip()))
                continue
            path = match["path"].split(".")
            if path[0] not in groups or is_module(match["path"]):
                continue
            for message in fapilog_model.resolve(path):
                yield span.where.problem(RULE, message)


FILE_SUFFIXES = {"md", "py", "yml", "yaml", "json", "toml", "ipynb", "txt", "html", "css", "js"}
# ASGI's HTTP message types (the ASGI specification's HTTP connection scope): an ASGI
# middleware on a page compares them, and they read like paths of fapilog's `http` group.
ASGI_HTTP_TYPES = {
    "http.request",
    "http.disconnect",
    "http.response.start",
    "http.response.body",
    "http.response.trailers",
    "http.response.push",
    "http.response.zerocopy",
    "http.response.pathsend",
    "http.response.early_hint",
}


def check_prose(site: Site) -> Iterator[Problem]:
    """Dotted settings paths in any text (prose, tables, code, comments), with or without
    backticks: `settings.core.sinks`, "set core.log_level", `# reads sink_config.http`."""
    groups = sorted(top_level_groups())
    names = "|".join(groups)
    pattern = re.compile(rf"(?<![\w./-])(?:settings\.)?((?:{names})(?:\.[a-z][a-z0-9_]*)+)(?![\w(/-])")
    for where, text in site.texts:
        for match in pattern.finditer(text):
            dotted = match[1]
            if dotted.rsplit(".", 1)[-1] in FILE_SUFFIXES or dotted in ASGI_HTTP_TYPES or is_module(dotted):
                continue
            for message in fapilog_model.resolve(dotted.split(".")):
                yield where.problem(RULE, message)


def is_module(dotted: str) -> bool:
    """`http.server` is a module a page may name, not the `http` settings group."""
    import importlib.util

    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


# ---------------------------------------------------------------- mappings


def mapping_paths(value: Any, prefix: list[str]) -> Iterator[list[str]]:
    """Every path of string keys in nested dicts: {"a": {"b": 1}} -> ['a'], ['a', 'b']."""
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(key, str):
                yield [*prefix, key]
                yield from mapping_paths(child, [*prefix, key])


def check_settings_mapping(value: dict[str, Any], where: Where, whole: bool) -> Iterator[Problem]:
    """whole: the mapping is a whole Settings (every key checked); else only its
    `*_config` and `core` entries are (a mapping that merely holds them)."""
    for path in mapping_paths(value, []):
        if not whole and path[0] not in CONFIG_KEYS | {"core"}:
            continue
        # A path inside a free-form value (a list of rules, a headers dict) stops being checked
        # where fapilog_model.resolve stops; reporting the first problem per path is enough.
        problems = fapilog_model.resolve(path)
        if problems and (len(path) == 1 or not fapilog_model.resolve(path[:-1])):
            yield where.problem(RULE, problems[0])


# ---------------------------------------------------------------- Python


def literal(node: ast.AST) -> Any:
    """A dict literal as a dict of its string keys (non-literal values become None)."""
    if isinstance(node, ast.Dict):
        return {
            k.value: literal(v)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
    return None


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def settings_call(node: ast.Call) -> dict[str, Any] | None:
    name = call_name(node)
    if name == "Settings" or (
        name == "model_validate"
        and isinstance(node.func, ast.Attribute)
        and getattr(node.func.value, "id", "") == "Settings"
    ):
        found = {kw.arg: literal(kw.value) for kw in node.keywords if kw.arg}
        for arg in node.args[:1]:
            if isinstance(arg, ast.Dict):
                found.update(literal(arg))
        for kw in node.keywords:
            if kw.arg is None and isinstance(kw.value, ast.Dict):  # Settings(**{...})
                found.update(literal(kw.value))
        return found
    return None


DELIBERATE = "# deliberately wrong"  # a line that shows a mistake on purpose, to show its effect


def check_python(source: PythonSource) -> Iterator[Problem]:
    lines = source.source.splitlines()
    for problem in python_problems(source):
        line = lines[problem.line - source.start.line] if 0 <= problem.line - source.start.line < len(lines) else ""
        if DELIBERATE not in line:
            yield problem


def python_problems(source: PythonSource) -> Iterator[Problem]:
    tree = parse_python(source)
    if tree is None:
        return
    inside_settings: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = source.start.at(node.lineno - 1)
        found = settings_call(node)
        if found is not None:
            inside_settings.update(id(n) for n in ast.walk(node))
            yield from check_settings_mapping(found, where, whole=True)
        else:
            # A keyword named like a settings group, in any call: get_logger(..., core={...}).
            for kw in node.keywords:
                if kw.arg in CONFIG_KEYS | {"core"} and isinstance(kw.value, ast.Dict):
                    inside_settings.update(id(n) for n in ast.walk(kw.value))
                    yield from check_settings_mapping({kw.arg: literal(kw.value)}, where, whole=False)
        group = fapilog_model.model_paths().get(call_name(node))
        if group is not None and found is None:  # CoreSettings(log_level=...): its fields
            for kw in node.keywords:
                if kw.arg and (problems := fapilog_model.resolve([*group, kw.arg])):
                    yield where.problem(RULE, problems[0])
        if call_name(node) == "configure_enricher" and node.args and isinstance(node.args[0], ast.Constant):
            # The builder stores enricher_config[name] = {key: ...}, read as any settings path.
            name = str(node.args[0].value)
            for kw in node.keywords:
                if kw.arg and (problems := fapilog_model.resolve(["enricher_config", name, kw.arg])):
                    yield where.problem(RULE, problems[0])
    for node in ast.walk(tree):
        # `filter_config = {...}` (a name written as the Settings argument it becomes)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            names = [t.id for t in node.targets if isinstance(t, ast.Name) and t.id in CONFIG_KEYS]
            if names:
                inside_settings.update(id(n) for n in ast.walk(node.value))
                where = source.start.at(node.lineno - 1)
                yield from check_settings_mapping({names[0]: literal(node.value)}, where, whole=False)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and id(node) not in inside_settings:
            value = literal(node)
            if value and CONFIG_KEYS & set(value):
                inside_settings.update(id(n) for n in ast.walk(node))
                yield from check_settings_mapping(value, source.start.at(node.lineno - 1), whole=False)


# ---------------------------------------------------------------- data blocks


def parse_data(lang: str, body: str) -> list[Any]:
    try:
        if lang in ("yaml", "yml"):
            return list(yaml.safe_load_all(body))
        if lang == "json":
            return [json.loads(body)]
        if lang == "toml":
            return [tomllib.loads(body)]
    except (yaml.YAMLError, ValueError):
        pass  # hub.checks.data_blocks reports blocks that do not parse
    return []


def check_data_blocks(site: Site) -> Iterator[Problem]:
    for doc in site.markdown:
        for fence in doc.fences:
            for value in parse_data(fence.lang, fence.body):
                if isinstance(value, dict) and (CONFIG_KEYS | {"core"}) & set(value):
                    yield from check_settings_mapping(value, fence.body_where, whole=False)


def check(site: Site) -> list[Problem]:
    problems = [*check_inline(site), *check_prose(site)]
    for source in all_python(site):
        problems += check_python(source)
    problems += check_data_blocks(site)
    return problems
