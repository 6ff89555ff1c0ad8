"""Find a plugin class in this environment and build instances from a JSON configuration."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
from collections.abc import Callable
from typing import Any

GROUPS = {t: f"fapilog.{t}s" for t in ("sink", "enricher", "redactor", "filter", "processor")}


class NotPresent(LookupError):
    """The plugin does not exist in this environment (e.g. a built-in newer than this fapilog)."""


def import_entry(entry: str) -> Any:
    module, _, attr = entry.partition(":")
    return getattr(importlib.import_module(module), attr)


def source_file(cls: Any) -> str | None:
    """The plugin's module file, relative to site-packages (bandit findings are matched on it)."""
    try:
        path = inspect.getsourcefile(cls) or ""
    except TypeError:
        return None
    return path.split("site-packages/", 1)[-1] or None


def find_class(spec: dict[str, Any]) -> Any:
    """`spec["entry"]` (module:attr), else the entry point `spec["name"]` in the type's group,
    else fapilog's built-in registry."""
    if spec.get("entry"):
        try:
            return import_entry(spec["entry"])
        except (ImportError, AttributeError) as exc:
            if isinstance(exc, ModuleNotFoundError) and exc.name and exc.name.startswith("fapilog"):
                raise NotPresent(f"{spec['entry']} does not exist in this fapilog") from exc
            raise
    group = GROUPS[spec["type"]]
    name = spec["name"].replace("-", "_").lower()
    for ep in importlib.metadata.entry_points(group=group):
        if ep.name.replace("-", "_").lower() == name:
            return ep.load()
    import fapilog.plugins.enrichers  # noqa: E401,F401 - register built-ins
    import fapilog.plugins.filters
    import fapilog.plugins.processors
    import fapilog.plugins.redactors  # noqa: E401,F401
    from fapilog.plugins import loader

    registry = loader._registry_for_group(group) or {}
    aliases = loader.BUILTIN_ALIASES.get(group, {})
    cls = registry.get(aliases.get(name, name))
    if cls is None:
        raise NotPresent(f"no {spec['type']} named {spec['name']!r} in this environment")
    return cls


def build(value: Any, substitutions: dict[str, str]) -> Any:
    """Resolve a JSON configuration: `{placeholder}` strings and typed objects.

    `{"$type": "pathlib:Path", "$args": ["{workdir}"]}` becomes `Path(workdir)`; other keys
    next to `$type` are keyword arguments. `{"$preset_fields": NAME}` and
    `{"$preset_patterns": NAME}` are the field paths and patterns of a fapilog redaction
    preset, as `with_redaction(preset=NAME)` configures them. Plain JSON passes through.
    """
    if isinstance(value, str):
        return value.format_map(substitutions) if "{" in value else value
    if isinstance(value, list):
        return [build(v, substitutions) for v in value]
    if isinstance(value, dict) and ("$preset_fields" in value or "$preset_patterns" in value):
        # What LoggerBuilder.with_redaction(preset=NAME) configures, resolved by this fapilog.
        from fapilog.redaction import resolve_preset_fields

        fields, patterns = resolve_preset_fields(value.get("$preset_fields") or value["$preset_patterns"])
        return sorted(f"data.{f}" for f in fields) if "$preset_fields" in value else sorted(patterns)
    if isinstance(value, dict):
        resolved = {k: build(v, substitutions) for k, v in value.items() if k not in ("$type", "$args")}
        if "$type" in value:
            module, _, attr = value["$type"].partition(":")
            target = getattr(importlib.import_module(module), attr)
            return target(*build(value.get("$args", []), substitutions), **resolved)
        return resolved
    return value


def factory(spec: dict[str, Any], substitutions: dict[str, str]) -> Callable[[], Any]:
    cls = find_class(spec)
    config = spec.get("config") or {}

    def make() -> Any:
        kwargs = build(config, substitutions)
        return cls(**kwargs) if kwargs else cls()

    return make
