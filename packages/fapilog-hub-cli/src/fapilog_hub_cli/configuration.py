"""The plugins a fapilog configuration names, and which of them fapilog would not load.

One job, for ``fapilog-hub doctor``. The configuration is the one the application gets
from ``fapilog.Settings()``: defaults plus ``FAPILOG_*`` environment variables. Whether a
``.env`` file is read is asked of fapilog itself (its ``Settings.model_config``): fapilog
0.18.1 sets no ``env_file``, so it does not read one, and a ``.env`` holding ``FAPILOG_*``
lines is reported as not applied.

fapilog does not fail on a plugin it cannot load: it skips it and reports this only on
its internal diagnostics channel, which is off by default. These checks say it up front,
mirroring fapilog's loader (``fapilog.plugins.loader.load_plugin`` and
``fapilog._plugin_allowed``): names are compared lower-cased with ``-`` read as ``_``;
built-ins and their aliases come first; an entry point is only loaded when
``plugins.allow_external`` is true or the name is in ``plugins.allowlist``; a non-empty
allowlist or the denylist skips any other plugin, built-ins included.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fapilog_hub_cli.catalog_model import Catalog, normalize
from fapilog_hub_cli.installed import GROUPS, InstalledPlugin

# Settings fields that hold plugin names, and the type of plugin they name.
LISTS = {
    "core.sinks": "sink",
    "core.enrichers": "enricher",
    "core.redactors": "redactor",
    "core.filters": "filter",
    "core.processors": "processor",
    "sink_routing.fallback_sinks": "sink",
}
# core.redactors_order also holds names, but fapilog 0.18.1 never reads it to load plugins.


class SettingsUnreadable(Exception):
    """fapilog is missing or rejects the configuration; the message says which."""


@dataclass(frozen=True)
class Named:
    path: str  # where in the settings: core.sinks[1]
    type: str | None  # None: any type (plugins.allowlist)
    name: str


@dataclass(frozen=True)
class Finding:
    path: str
    name: str
    problem: str  # "unknown", "external-not-allowed", "not-in-allowlist", "denied", "plugins-disabled"
    message: str
    suggestions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "problem": self.problem,
            "message": self.message,
            "suggestions": list(self.suggestions),
        }


@dataclass
class Report:
    named: list[Named]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)


def load_settings() -> tuple[Any, list[str]]:
    """fapilog's Settings() as the application would build it, and notes on where it came from."""
    try:
        from fapilog import Settings
    except ImportError as exc:
        raise SettingsUnreadable(
            f"fapilog cannot be imported in this environment ({exc}): install it here, or run "
            "fapilog-hub from the application's environment"
        ) from exc
    try:
        settings = Settings()
    except Exception as exc:  # pydantic's ValidationError: fapilog itself rejects the values
        first = str(exc).splitlines()[0]
        raise SettingsUnreadable(
            f"fapilog rejects the configuration in the environment ({first}). A list setting such as "
            "FAPILOG_CORE__SINKS takes a JSON list: FAPILOG_CORE__SINKS='[\"stdout_json\"]'"
        ) from exc
    return settings, dotenv_notes(getattr(Settings, "model_config", {}))


def dotenv_notes(config: dict[str, Any], folder: Path | None = None) -> list[str]:
    env_file = config.get("env_file")
    if env_file:
        return [f"fapilog reads {env_file} as well as the environment: its values are included"]
    dotenv = (folder or Path.cwd()) / ".env"
    try:
        lines = dotenv.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    names = [line.split("=", 1)[0].strip() for line in lines if line.strip().upper().startswith("FAPILOG_")]
    if not names:
        return []
    return [
        f"{dotenv} sets {', '.join(names)}, but fapilog does not read .env files (its Settings has no env_file): "
        "these values do not apply unless the application loads the file itself (for example with python-dotenv)"
    ]


def named_plugins(settings: Any) -> list[Named]:
    """Every plugin name the settings hold, with where it is."""
    found: list[Named] = []
    for path, plugin_type in LISTS.items():
        section, _, key = path.partition(".")
        values = getattr(getattr(settings, section, None), key, None) or []
        found += [Named(f"{path}[{i}]", plugin_type, str(v)) for i, v in enumerate(values)]
    routing = getattr(settings, "sink_routing", None)
    for i, rule in enumerate(getattr(routing, "rules", None) or []):
        found += [Named(f"sink_routing.rules[{i}].sinks[{j}]", "sink", str(v)) for j, v in enumerate(rule.sinks)]
    fallback = getattr(getattr(settings, "core", None), "sink_circuit_breaker_fallback_sink", None)
    if fallback:
        found.append(Named("core.sink_circuit_breaker_fallback_sink", "sink", str(fallback)))
    plugins = getattr(settings, "plugins", None)
    found += [Named(f"plugins.allowlist[{i}]", None, str(v)) for i, v in enumerate(getattr(plugins, "allowlist", []))]
    return found


def builtin_names(catalog: Catalog | None = None) -> dict[str, set[str]]:
    """type -> names fapilog resolves to a built-in (canonical names and aliases).

    Read from fapilog's own registries (importing fapilog, never a plugin package); the
    catalog's built-ins stand in if this fapilog's loader no longer has them.
    """
    names: dict[str, set[str]] = {t: set() for t in GROUPS.values()}
    try:
        import fapilog  # noqa: F401 - registers the built-ins
        from fapilog.plugins import loader

        registries = {
            "sink": loader.BUILTIN_SINKS,
            "enricher": loader.BUILTIN_ENRICHERS,
            "redactor": loader.BUILTIN_REDACTORS,
            "processor": loader.BUILTIN_PROCESSORS,
            "filter": loader.BUILTIN_FILTERS,
        }
        for group, plugin_type in GROUPS.items():
            names[plugin_type] |= {normalize(n) for n in registries[plugin_type]}
            names[plugin_type] |= {normalize(n) for n in loader.BUILTIN_ALIASES.get(group, {})}
    except (ImportError, AttributeError):
        for plugin in catalog.plugins if catalog else ():
            if plugin.origin == "builtin":
                names[plugin.type] |= {normalize(plugin.name), *(normalize(a) for a in plugin.aliases)}
    return names


def diagnose(
    settings: Any, installed: list[InstalledPlugin], catalog: Catalog | None = None, notes: list[str] | None = None
) -> Report:
    builtins = builtin_names(catalog)
    external: dict[str, set[str]] = {t: set() for t in GROUPS.values()}
    for plugin in installed:
        external[plugin.type].add(normalize(plugin.name))
    plugins = getattr(settings, "plugins", None)
    enabled = getattr(plugins, "enabled", True)
    allow_external = getattr(plugins, "allow_external", False)
    allowlist = {normalize(n) for n in getattr(plugins, "allowlist", [])}
    denylist = {normalize(n) for n in getattr(plugins, "denylist", [])}
    named = named_plugins(settings)
    findings: list[Finding] = []
    if not enabled and named:
        findings.append(
            Finding("plugins.enabled", "", "plugins-disabled", "plugins.enabled is false: fapilog loads no plugin")
        )
    for item in named:
        name = normalize(item.name)
        types = [item.type] if item.type else list(GROUPS.values())
        is_builtin = any(name in builtins[t] for t in types)
        is_installed = any(name in external[t] for t in types)
        if not (is_builtin or is_installed):
            findings.append(_unknown(item, name, types, builtins, external, catalog))
            continue
        if item.type is None:
            continue  # an allowlist entry only has to exist
        if name in denylist:
            findings.append(
                Finding(item.path, item.name, "denied", f"{item.name} is in plugins.denylist: fapilog skips it")
            )
        elif allowlist and name not in allowlist:
            findings.append(
                Finding(
                    item.path,
                    item.name,
                    "not-in-allowlist",
                    f"plugins.allowlist is set and does not list {item.name}: fapilog skips it "
                    "(a non-empty allowlist applies to built-ins too)",
                )
            )
        elif not is_builtin and not allow_external and name not in allowlist:
            findings.append(
                Finding(
                    item.path,
                    item.name,
                    "external-not-allowed",
                    f"{item.name} is installed (an entry point), but fapilog loads plugins from other packages "
                    "only with plugins.allow_external=true (FAPILOG_PLUGINS__ALLOW_EXTERNAL=true) or with the "
                    "name in plugins.allowlist",
                )
            )
    return Report(named, findings, list(notes or []))


def _unknown(
    item: Named,
    name: str,
    types: list[str],
    builtins: dict[str, set[str]],
    external: dict[str, set[str]],
    catalog: Catalog | None,
) -> Finding:
    candidates = sorted(set().union(*(builtins[t] | external[t] for t in types)))
    close = tuple(difflib.get_close_matches(name, candidates, n=3, cutoff=0.6))
    kind = f"{item.type} " if item.type else "plugin "
    message = f"{kind}'{item.name}' is neither built into fapilog nor installed here"
    if catalog is not None:
        listed = [
            p for p in catalog.plugins if p.type in types and name in {normalize(p.name), *map(normalize, p.aliases)}
        ]
        if listed and listed[0].origin == "external":
            message += f"; the catalog lists it ({listed[0].package}): fapilog-hub install {listed[0].id}"
    other_types = [t for t in GROUPS.values() if t not in types and (name in builtins[t] or name in external[t])]
    if other_types:
        message += f"; it is the name of a {' and a '.join(other_types)}"
    if close:
        message += f"; closest installed or built-in: {', '.join(close)}"
    return Finding(item.path, item.name, "unknown", message, close)
