"""Report the fapilog plugins installed in this Python environment, as JSON on stdout.

Run as a script in a subprocess (``python -I probe.py builtins`` or ``python -I probe.py
entry-point GROUP NAME``), never imported by the build: listing entry points is safe,
but loading one runs third-party code. It imports nothing from the hub, so it works in
any environment that has fapilog installed.

``builtins`` reports fapilog's own plugins and lists the entry points of the other
installed packages without loading them; ``entry-point`` loads one of them.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata as md
import inspect
import json
import pkgutil
import re
import sys
import traceback
from functools import lru_cache
from typing import Any

GROUPS = {
    "fapilog.sinks": "sink",
    "fapilog.enrichers": "enricher",
    "fapilog.redactors": "redactor",
    "fapilog.processors": "processor",
    "fapilog.filters": "filter",
}
TYPE_TO_GROUP = {plugin_type: group for group, plugin_type in GROUPS.items()}


@lru_cache(maxsize=1)
def module_owners() -> dict[str, list[str]]:
    return md.packages_distributions()  # scans every installed distribution: once


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def validate_metadata(raw: Any) -> tuple[dict[str, Any] | None, list[str], bool | None]:
    """PLUGIN_METADATA checked by fapilog's own model, and fapilog's API-version verdict."""
    from fapilog.plugins.metadata import PluginMetadata
    from fapilog.plugins.versioning import is_plugin_api_compatible, parse_api_version

    if raw is None:
        return None, ["the module defines no PLUGIN_METADATA"], None
    try:
        meta = PluginMetadata.model_validate(raw)
    except Exception as exc:  # pydantic.ValidationError, or anything a hostile object raises
        errors = getattr(exc, "errors", None)
        if callable(errors):
            return None, [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors()], None
        return None, [f"PLUGIN_METADATA could not be read: {exc!r}"], None
    return meta.model_dump(mode="json"), [], is_plugin_api_compatible(parse_api_version(meta.api_version))


def set_defaults_sorted(defaults: Any, module: Any) -> Any:
    """A default list made from one of the module's sets, sorted.

    fapilog builds some defaults as `list(A_FROZENSET)` (field_blocker's blocked_fields),
    whose order changes with each interpreter's hash seed, and this probe runs with -I,
    which ignores PYTHONHASHSEED. The plugin uses such a list as a set again, so its order
    means nothing; sorted, the catalog says the same thing on every build.
    """
    if not isinstance(defaults, dict):
        return defaults
    sets = [v for v in vars(module).values() if isinstance(v, (set, frozenset))]
    out = {}
    for key, value in defaults.items():
        texts = isinstance(value, list) and all(isinstance(v, str) for v in value)
        out[key] = sorted(value) if texts and any(len(s) == len(value) and s == set(value) for s in sets) else value
    return out


def third_party_imports(module: Any, own_package: str) -> list[str]:
    """Top-level names of the non-standard-library modules a module's source imports.

    Parsed, not executed; imports inside functions and try blocks count too, since an
    optional dependency is still a dependency.
    """
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return sorted(n for n in names if n not in sys.stdlib_module_names and n not in ("__future__", own_package))


def requirement_closure(names: set[str]) -> set[str]:
    """Canonical distribution names reachable from names through installed Requires-Dist."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.distribution(name).requires or []
        except md.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonical(req.name))
    return seen


def fapilog_facts() -> dict[str, Any]:
    import fapilog
    from fapilog.plugins.versioning import PLUGIN_API_VERSION
    from packaging.requirements import Requirement

    dist = md.distribution("fapilog")
    meta = dist.metadata
    base: set[str] = set()
    extras: dict[str, set[str]] = {}
    for line in dist.requires or []:
        req = Requirement(line)
        extra_names = re.findall(r"extra\s*==\s*['\"]([^'\"]+)['\"]", str(req.marker or ""))
        if not extra_names:
            base.add(req.name)
        for extra in extra_names:
            extras.setdefault(extra, set()).add(req.name)
    urls = {}
    for item in meta.get_all("Project-URL") or []:
        label, _, url = item.partition(",")
        urls[label.strip()] = url.strip()
    maintainers = [re.sub(r"\s*<[^>]*>", "", a).strip() for a in (meta.get_all("Author-email") or [])]
    maintainers += [a for a in (meta.get_all("Author") or []) if a]
    return {
        "python": ".".join(map(str, sys.version_info[:3])),
        "fapilog_version": getattr(fapilog, "__version__", None) or dist.version,
        "plugin_api_version": ".".join(map(str, PLUGIN_API_VERSION)),
        "fapilog_requires_python": meta.get("Requires-Python"),
        "fapilog_license": meta.get("License-Expression") or meta.get("License"),
        "fapilog_maintainers": maintainers,
        "fapilog_urls": urls,
        # What each extra brings in (with its own dependencies, as installed here), and
        # what fapilog always brings in: the build derives each built-in's extra from these.
        "base_closure": sorted(requirement_closure(base)),
        "extras": {
            extra: {"direct": sorted(canonical(n) for n in names), "closure": sorted(requirement_closure(names))}
            for extra, names in sorted(extras.items())
        },
    }


def describe(
    plugin_type: str, name: str, obj: Any, *, origin: str, registered: bool, aliases: list[str]
) -> dict[str, Any]:
    module = sys.modules.get(getattr(obj, "__module__", ""), None)
    raw = getattr(module, "PLUGIN_METADATA", None) if module else None
    metadata, errors, api_ok = validate_metadata(raw)
    if metadata and module:
        metadata["default_config"] = set_defaults_sorted(metadata.get("default_config"), module)
    top = (getattr(obj, "__module__", "") or "").split(".")[0]
    imports = third_party_imports(module, top) if module else []
    owners = module_owners()
    return {
        "type": plugin_type,
        "name": name,
        "origin": origin,
        "target": f"{obj.__module__}:{obj.__qualname__}",
        "registered": registered,
        "aliases": aliases,
        "metadata": metadata,
        "metadata_errors": errors,
        "api_compatible": api_ok,
        "imports": imports,
        "import_owners": {n: sorted(canonical(d) for d in owners.get(n, [])) for n in imports},
    }


def builtins() -> dict[str, Any]:
    import fapilog.plugins as plugins_pkg
    from fapilog.plugins import loader

    dist_version = md.version("fapilog")
    found: list[dict[str, Any]] = []
    seen_modules = set()
    for group, plugin_type in GROUPS.items():
        registry = loader._registry_for_group(group) or {}
        aliases = loader.BUILTIN_ALIASES.get(group, {})
        for name, cls in sorted(registry.items()):
            own = sorted(a for a, target in aliases.items() if target == name and a != name)
            found.append(describe(plugin_type, name, cls, origin="builtin", registered=True, aliases=own))
            seen_modules.add(cls.__module__)
    # Modules that carry PLUGIN_METADATA without being registered under a name: fapilog
    # ships them, but a user cannot enable them through settings.
    for info in pkgutil.walk_packages(plugins_pkg.__path__, plugins_pkg.__name__ + "."):
        if info.name in seen_modules:
            continue
        module = importlib.import_module(info.name)
        raw = getattr(module, "PLUGIN_METADATA", None)
        if not isinstance(raw, dict) or raw.get("plugin_type") not in TYPE_TO_GROUP:
            continue
        target = str(raw.get("entry_point", ""))
        attr = target.partition(":")[2]
        obj = getattr(module, attr, None)
        if obj is None:
            continue
        found.append(
            describe(raw["plugin_type"], str(raw.get("name")), obj, origin="builtin", registered=False, aliases=[])
        )
    for item in found:
        item["distribution"], item["distribution_version"] = "fapilog", dist_version

    entry_points = []
    for group, plugin_type in GROUPS.items():
        for ep in md.entry_points(group=group):
            dist = ep.dist
            entry_points.append(
                {
                    "type": plugin_type,
                    "group": group,
                    "name": ep.name,
                    "value": ep.value,
                    "distribution": dist.name if dist else "",
                    "distribution_version": dist.version if dist else "",
                }
            )
    return {"environment": fapilog_facts(), "plugins": found, "entry_points": entry_points}


def entry_point(group: str, name: str) -> dict[str, Any]:
    matches = [ep for ep in md.entry_points(group=group) if ep.name == name]
    if not matches:
        return {"error": f"no entry point {name!r} in {group}"}
    ep = matches[0]
    try:
        obj = ep.load()
    except BaseException:  # an import can raise anything, SystemExit included
        return {"error": "loading failed: " + traceback.format_exc(limit=3).strip().splitlines()[-1]}
    from fapilog.plugins import loader

    # fapilog prefers a built-in when names collide, so a shadowed entry point is never loaded.
    shadowed = (loader._registry_for_group(group) or {}).get(loader._normalize_plugin_name(name))
    result = describe(GROUPS[group], name, obj, origin="entry-point", registered=shadowed is None, aliases=[])
    if shadowed is not None:
        result["shadowed_by"] = f"{shadowed.__module__}:{shadowed.__qualname__}"
    return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["builtins"]:
        report = builtins()
    elif argv[:1] == ["entry-point"] and len(argv) == 3 and argv[1] in GROUPS:
        report = entry_point(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    # A marker line, so output a plugin prints while importing cannot be taken for the report.
    sys.stdout.write("\n@@fapilog-hub-probe@@" + json.dumps(report, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
