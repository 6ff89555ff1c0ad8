"""The usage snippet on each plugin page, and what the tests do with it.

Built-ins: a hand-written file per plugin in ``examples/catalog/`` (fapilog configures
each built-in its own way), described by ``registry/builtins.yml`` (read through
hub.catalog.builtins). External plugins: a snippet generated from the plugin's type, name
and default configuration, which is how fapilog enables any plugin from another package.
tests/test_catalog_usage.py runs every snippet marked executed and checks that fapilog
really loaded the plugin.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hub.catalog import builtins
from hub.catalog.models import PluginType, Usage
from hub.project import ROOT

SNIPPETS_DIR = ROOT / "examples" / "catalog"
SERVICE_TEXT: dict[builtins.Service, str] = {
    "http": "a local HTTP receiver on 127.0.0.1, which checks that the event arrived",
    "loki": (
        "a local HTTP receiver on 127.0.0.1 standing in for Grafana Loki (no Loki server runs in CI), "
        "which checks that the push request arrived"
    ),
    "postgres": "a throwaway PostgreSQL server, which checks that the row arrived",
}


# A built-in's notes (tags, env, not_executed, output) are its entry in registry/builtins.yml.
BuiltinNotes = builtins.BuiltinPlugin


def builtin_notes(path: Path = builtins.BUILTINS_FILE) -> dict[str, BuiltinNotes]:
    return dict(builtins.load(path).plugins)


def snippet_file(plugin_type: str, name: str) -> Path:
    # Flat names (sink_http.py, not sink/http.py): a script named http.py would shadow
    # the standard library's http package for anyone who runs it from its folder.
    return SNIPPETS_DIR / f"{plugin_type}_{name}.py"


def builtin_usage(plugin_type: str, name: str, root: Path = ROOT) -> Usage:
    path = snippet_file(plugin_type, name)
    notes = builtin_notes().get(f"{plugin_type}/{name}", BuiltinNotes())
    rel = path.relative_to(root).as_posix()
    if not path.exists():
        return Usage(code="", file=None, executed=False, how=f"no usage snippet yet: add {rel}")
    golden = path.with_suffix(".out")
    recorded = golden.read_text(encoding="utf-8") if golden.exists() else ""
    output = recorded if recorded.strip() and not notes.output and not notes.not_executed else None
    if notes.not_executed:
        how = f"Not executed by the tests: {notes.not_executed}."
    else:
        services = "".join(f" with {var} pointing at {SERVICE_TEXT[kind]}," for var, kind in notes.env.items())
        how = (
            f"The tests run {rel}{services} and check that fapilog loaded the {plugin_type}: "
            "fapilog only warns when a plugin fails to load."
        )
        if output:
            how += " They compare its output with the recording shown here."
        if notes.output:
            how += f" Its output is not recorded: {notes.output}."
    return Usage(
        code=path.read_text(encoding="utf-8"), file=rel, executed=not notes.not_executed, how=how, output=output
    )


CONFIG_KEY: dict[PluginType, str] = {
    "sink": "sink_config",
    "enricher": "enricher_config",
    "redactor": "redactor_config",
    "processor": "processor_config",
    "filter": "filter_config",
}
EVENT = {
    "redactor": 'log.info("refund failed for alice@example.com", order_id=42)',
}


def py_literal(value: Any, indent: int = 0) -> str:
    """A JSON value as Python source, double-quoted like the rest of the page's code.

    Values come from a plugin's metadata (JSON), so strings are written with json.dumps,
    whose escapes are valid Python too: no value can break out of its literal.
    """
    pad, inner = " " * indent, " " * (indent + 4)
    flat = _inline(value)
    if indent + len(flat) <= 80:
        return flat
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k))}: {py_literal(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(py_literal(v) for v in value) + "]"
        return "[\n" + "\n".join(f"{inner}{py_literal(v, indent + 4)}," for v in value) + f"\n{pad}]"
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value))


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return json.dumps(str(value))


def external_snippet(plugin_type: PluginType, name: str, config: dict[str, Any] | None) -> str:
    """How fapilog enables a plugin from another package, with its default configuration."""
    core: dict[str, Any] = {f"{plugin_type}s": [name]}
    if plugin_type == "processor":
        core["serialize_in_flush"] = True  # processors work on serialized bytes
    lines = [
        "from fapilog import Settings, runtime",
        "",
        "settings = Settings(",
        f"    core={py_literal(core, 4)},",
        "    # fapilog loads plugins from other packages only when allowed. (A non-empty",
        "    # plugins.allowlist would apply to fapilog's built-ins too.)",
        f"    plugins={py_literal({'allow_external': True}, 4)},",
    ]
    if config:
        lines.append(f"    {CONFIG_KEY[plugin_type]}={py_literal({'extra': {name: config}}, 4)},")
    lines += [
        ")",
        "",
        "with runtime(settings=settings) as log:",
        "    " + EVENT.get(plugin_type, 'log.info("order placed", order_id=42)'),
        "",
    ]
    return "\n".join(lines)


def external_usage(plugin_type: PluginType, name: str, config: dict[str, Any] | None, installed: bool) -> Usage:
    code = external_snippet(plugin_type, name, config)
    if installed:
        how = (
            "Generated from the plugin's type, name and default configuration. The tests run it with the "
            f"package installed and check that fapilog loaded the {plugin_type} "
            "(fapilog only warns when a plugin fails to load)."
        )
    else:
        how = "Generated from the registry entry. Not executed: the package is not installed in the build environment."
    return Usage(code=code, executed=installed, how=how)
