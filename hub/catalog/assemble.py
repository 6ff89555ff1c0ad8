"""Registry entries + discovered plugins + recorded releases -> one CatalogEntry per plugin.

Pure data work: no subprocess, no network, no MkDocs. The result says which files and
records every entry was made from, and lists the problems found on the way (a registry
entry whose package provides other plugins than it declares, an installed plugin that
nobody registered, metadata fapilog rejects).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from hub.catalog import staleness, usage
from hub.catalog.models import (
    PLUGIN_TYPES,
    TAG_PATTERN,
    Catalog,
    CatalogEntry,
    Compatibility,
    Configuration,
    DiscoveredPlugin,
    Discovery,
    Environment,
    Install,
    Link,
    Person,
    RegistryEntry,
    ReleaseData,
    Source,
    SupportInfo,
)

FAPILOG_LINK_LABELS = ("Documentation", "Repository", "Homepage", "Changelog", "Bug Tracker")


@dataclass
class Assembled:
    catalog: Catalog
    problems: list[str] = field(default_factory=list)  # fail the strict build


def install_commands(requirement: str, package: str) -> Install:
    # Quotes only where a shell needs them (extras' brackets, the spaces around "@"). A
    # registry URL comes from a stranger: anything a shell would expand inside double quotes
    # ($, backticks, backslashes, !) gets single quotes, so a pasted command runs nothing.
    if re.search(r"[$`\\!\"']", requirement):
        quoted = shlex.quote(requirement)
    elif re.search(r"[\[\] @]", requirement):
        quoted = f'"{requirement}"'
    else:
        quoted = requirement
    return Install(
        requirement=requirement,
        pip=f"pip install {quoted}",
        pip_upgrade=f"pip install --upgrade {quoted}",
        uv=f"uv add {quoted}",
        uv_upgrade=f"uv lock --upgrade-package {package} && uv sync",
    )


def _tags(*groups: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for tag in group:
            tag = str(tag).strip().lower()
            if re.fullmatch(TAG_PATTERN, tag):
                seen.setdefault(tag, None)
    return list(seen)


def _metadata_compatibility(meta: dict | None, version: Version) -> str | None:
    """fapilog's own rule (min <= version <= max) applied to PLUGIN_METADATA, as a note when it fails."""
    if not meta:
        return None
    compat = meta.get("compatibility") or {}
    try:
        low = Version(compat.get("min_fapilog_version") or "0")
        high = compat.get("max_fapilog_version")
        if version < low or (high and version > Version(high)):
            return f"PLUGIN_METADATA declares fapilog {low} to {high or 'any later version'}, which excludes {version}"
    except InvalidVersion:
        return "PLUGIN_METADATA declares a fapilog version fapilog cannot parse"
    return None


def _api_note(plugin: DiscoveredPlugin, current: str) -> list[str]:
    if plugin.api_compatible is False and plugin.metadata:
        return [
            f"declares plugin API {plugin.metadata.get('api_version')}; fapilog's own check "
            f"(is_plugin_api_compatible) calls that incompatible with its plugin API {current}. "
            "fapilog's loader does not run that check, so the plugin loads anyway"
        ]
    return []


def _configuration(plugin: DiscoveredPlugin | None) -> Configuration | None:
    meta = plugin.metadata if plugin else None
    if not meta or not (meta.get("config_schema") or meta.get("default_config")):
        return None
    return Configuration(
        schema=meta.get("config_schema"),
        defaults=meta.get("default_config"),
        source=f"PLUGIN_METADATA of {plugin.target.split(':')[0]}",
    )


def builtin_entry(
    plugin: DiscoveredPlugin, discovery: Discovery, releases: ReleaseData, releases_file: str
) -> CatalogEntry:
    env = discovery.environment
    meta = plugin.metadata or {}
    notes = usage.builtin_notes().get(f"{plugin.type}/{plugin.name}", usage.BuiltinNotes())
    extra = plugin.needs_extras[0] if plugin.needs_extras else None
    requirement = f"fapilog[{extra}]" if extra else "fapilog"
    compat_notes = _api_note(plugin, env.plugin_api_version)
    problems = list(plugin.metadata_errors)
    if not plugin.registered:
        problems.append(
            "fapilog ships this with PLUGIN_METADATA but does not register it under a name, "
            "so settings cannot enable it; use it directly as a building block"
        )
    links = [
        Link(label=label, url=env.fapilog_urls[label]) for label in FAPILOG_LINK_LABELS if label in env.fapilog_urls
    ]
    links.append(Link(label="PyPI", url=f"https://pypi.org/project/fapilog/{env.fapilog_version}/"))
    record = releases.packages.get("fapilog")
    sources = [
        f"fapilog {env.fapilog_version}, installed: {plugin.target} and its PLUGIN_METADATA",
        "registry/builtins.yml (tags, how the tests run the snippet)",
    ]
    use = usage.builtin_usage(plugin.type, plugin.name)
    if use.file:
        sources.append(use.file)
    if record:
        sources.append(f"{releases_file} (fapilog, recorded {record.recorded})")
    return CatalogEntry(
        id=f"{plugin.type}/{plugin.name}",
        type=plugin.type,
        name=plugin.name,
        aliases=plugin.aliases,
        summary=str(meta.get("description") or "").strip() or "(fapilog's metadata has no description)",
        origin="builtin",
        package="fapilog",
        package_version=plugin.distribution_version,
        plugin_version=meta.get("version"),
        api_version=meta.get("api_version"),
        target=plugin.target,
        entry_point=None,
        loadable_by_name=plugin.registered,
        tags=_tags(meta.get("tags") or [], notes.tags),
        extra=extra,
        optional_imports=plugin.optional_imports,
        install=install_commands(requirement, "fapilog"),
        compatibility=Compatibility(
            fapilog=f"=={env.fapilog_version}",
            python=env.fapilog_requires_python,
            checked_against=env.fapilog_version,
            status="compatible",
            notes=["ships with fapilog: always the installed version", *compat_notes],
        ),
        links=links,
        maintainers=[Person(name=name) for name in env.fapilog_maintainers],
        license=env.fapilog_license,
        support=SupportInfo(tier="core"),
        pricing="free",
        funding=[],
        release=staleness.release_status(record),
        date_added=None,
        configuration=_configuration(plugin),
        usage=use,
        verified_in_build=not plugin.metadata_errors,
        problems=problems,
        page=f"catalog/{plugin.type}/{plugin.name}/",
        sources=sources,
    )


def external_entry(
    entry: RegistryEntry,
    file: str,
    declared_type: str,
    declared_name: str,
    plugin: DiscoveredPlugin | None,
    env: Environment,
    releases: ReleaseData,
    releases_file: str,
) -> CatalogEntry:
    pinned = Version(env.fapilog_version)
    meta = (plugin.metadata if plugin else None) or {}
    requirement = f"{entry.package} @ {entry.install_url}" if entry.install_url else entry.package
    record = releases.packages.get(entry.package)
    spec = SpecifierSet(entry.compatibility.fapilog)
    compat_notes = []
    status = "compatible" if spec.contains(pinned, prereleases=True) else "incompatible"
    meta_note = _metadata_compatibility(meta, pinned)
    if meta_note:
        compat_notes.append(meta_note)
        status = "incompatible"
    if plugin:
        compat_notes += _api_note(plugin, env.plugin_api_version)
    problems = []
    if plugin is None:
        problems.append(
            "not installed in the build environment: the type, name and description come from the registry entry alone"
        )
    else:
        problems += [f"PLUGIN_METADATA: {e}" for e in plugin.metadata_errors]
        if plugin.load_error:
            problems.append(f"the entry point could not be loaded: {plugin.load_error}")
    links = [Link(label="Repository", url=entry.repository)]
    if entry.documentation:
        links.append(Link(label="Documentation", url=entry.documentation))
    if record and record.status == "published":
        links.append(Link(label="PyPI", url=f"https://pypi.org/project/{entry.package}/"))
    maintainers = [
        Person(name=m.name, url=m.url or (f"https://github.com/{m.github}" if m.github else None))
        for m in entry.maintainers
    ]
    sources = [file]
    if plugin:
        sources.append(
            f"{entry.package} {plugin.distribution_version}, installed: {plugin.entry_point} and its PLUGIN_METADATA"
        )
    if record:
        sources.append(f"{releases_file} ({entry.package}, recorded {record.recorded})")
    installed = plugin is not None and plugin.load_error is None
    return CatalogEntry(
        id=f"{declared_type}/{declared_name}",
        type=declared_type,
        name=declared_name,
        summary=entry.description,
        origin="external",
        package=entry.package,
        package_version=plugin.distribution_version if plugin else None,
        plugin_version=meta.get("version"),
        api_version=meta.get("api_version"),
        target=plugin.target if plugin else None,
        entry_point=plugin.entry_point if plugin else None,
        loadable_by_name=plugin.registered if plugin else True,
        tags=_tags(entry.tags, meta.get("tags") or []),
        install=install_commands(requirement, entry.package),
        compatibility=Compatibility(
            fapilog=entry.compatibility.fapilog,
            python=entry.compatibility.python,
            checked_against=str(pinned),
            status=status,
            notes=compat_notes,
        ),
        links=links,
        maintainers=maintainers,
        license=entry.license,
        support=SupportInfo(**entry.support.model_dump()),
        pricing=entry.pricing,
        funding=list(entry.funding),
        release=staleness.release_status(record),
        date_added=entry.date_added,
        configuration=_configuration(plugin),
        usage=usage.external_usage(declared_type, declared_name, meta.get("default_config"), installed),
        verified_in_build=installed and not plugin.metadata_errors,
        problems=problems,
        page=f"catalog/{declared_type}/{declared_name}/",
        sources=sources,
    )


def assemble(
    registry: dict[str, RegistryEntry],
    discovery: Discovery,
    releases: ReleaseData,
    *,
    registry_label: str = "registry/plugins/",
    releases_file: str = "registry/releases.json",
) -> Assembled:
    env = discovery.environment
    problems = list(discovery.problems)
    entries: list[CatalogEntry] = []

    builtins = [p for p in discovery.plugins if p.origin == "builtin"]
    for plugin in builtins:
        entries.append(builtin_entry(plugin, discovery, releases, releases_file))
    builtin_ids = {(p.type, p.name) for p in builtins}

    external = [p for p in discovery.plugins if p.origin == "entry-point"]
    by_package: dict[str, list[DiscoveredPlugin]] = {}
    for plugin in external:
        by_package.setdefault(canonicalize_name(plugin.distribution), []).append(plugin)

    registered_packages = set()
    for file, entry in registry.items():
        key = canonicalize_name(entry.package)
        registered_packages.add(key)
        installed = {(p.type, p.name): p for p in by_package.get(key, [])}
        declared = {(p.type, p.name) for p in entry.plugins}
        if installed:
            for plugin_type, name in sorted(declared - installed.keys()):
                problems.append(
                    f"{file}: declares the {plugin_type} '{name}', "
                    f"but the installed {entry.package} has no such entry point"
                )
            for plugin_type, name in sorted(installed.keys() - declared):
                problems.append(
                    f"{file}: the installed {entry.package} provides the {plugin_type} '{name}', "
                    "which the entry does not declare"
                )
        for declared_plugin in entry.plugins:
            ident = (declared_plugin.type, declared_plugin.name)
            if ident in builtin_ids:
                problems.append(
                    f"{file}: the {ident[0]} '{ident[1]}' has the name of a fapilog built-in, "
                    "which fapilog always prefers"
                )
                continue
            plugin = installed.get(ident)
            entries.append(external_entry(entry, file, *ident, plugin, env, releases, releases_file))

    for key, plugins in sorted(by_package.items()):
        if key not in registered_packages:
            names = ", ".join(f"{p.type} '{p.name}'" for p in plugins)
            problems.append(
                f"{plugins[0].distribution} is installed and provides {names}, but has no registry entry: "
                f"add registry/plugins/{plugins[0].distribution}.yml"
            )

    order = {t: i for i, t in enumerate(PLUGIN_TYPES)}
    entries.sort(key=lambda e: (order[e.type], e.origin != "builtin", e.name))
    recorded = max((r.recorded for r in releases.packages.values()), default=None)
    sources = [
        Source(path=registry_label, detail=f"{len(registry)} registry entr{'y' if len(registry) == 1 else 'ies'}"),
        Source(path="registry/builtins.yml", detail="the hub's tags and test notes for fapilog's built-ins"),
        Source(path=releases_file, detail="latest releases read from PyPI's JSON API", recorded=recorded),
        Source(
            path="(build environment)",
            detail=(
                f"plugins installed with fapilog {env.fapilog_version} on Python {env.python}, "
                "found by hub/catalog/probe.py"
            ),
        ),
    ]
    catalog = Catalog(fapilog_version=env.fapilog_version, plugin_count=len(entries), sources=sources, plugins=entries)
    return Assembled(catalog=catalog, problems=problems)


def registry_label(directory: Path, root: Path) -> str:
    try:
        return directory.resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return directory.as_posix() + "/"
