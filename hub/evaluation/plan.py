"""What to evaluate: one :class:`Target` per plugin, from registry/builtins.yml and the catalog.

A target says how to install the plugin's package, how to configure the plugin for the
suite, where its events can be observed, and which tier rules it is exempt from (each
with its written justification).
"""

from __future__ import annotations

import copy
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

from hub.catalog import builtins, registry, releases
from hub.catalog.builtins import BUILTINS_FILE
from hub.catalog.models import RegistryEntry, ReleaseData
from hub.evaluation import sources
from hub.project import ROOT

SOURCE_CACHE = ROOT / ".cache" / "evaluation"  # clones of git sources go to sources/ under it


@dataclass(frozen=True)
class Target:
    package: str  # distribution name
    version: str
    requirement: str  # what uv installs for the newest fapilog
    type: str
    name: str
    config: dict[str, Any] = field(default_factory=dict)
    entry: str | None = None
    destination: dict[str, Any] | None = None
    bench: bool | str = True  # True, or why it is not benchmarked
    exemptions: dict[str, str] = field(default_factory=dict)
    network: list[str] = field(default_factory=list)  # "host:port" it is declared to contact
    services: list[str] = field(default_factory=list)  # local services the runner starts for it
    note: str = ""
    fapilog_range: str = ""  # the fapilog versions the package declares it supports
    local: bool = False  # a folder of this repository (built from source)
    builtin: bool = False
    contained_build: bool = False  # third-party source, built into a wheel in the sandbox
    source: dict[str, Any] | None = None  # which source was evaluated (hub.evaluation.sources)

    @property
    def plugin_id(self) -> str:
        return f"{self.type}/{self.name}"

    def requirement_for(self, fapilog_version: str) -> str:
        """What to install with another fapilog release (compatibility runs)."""
        if self.builtin:
            return self.requirement.rsplit("==", 1)[0] + f"=={fapilog_version}"
        return self.requirement

    def spec(self) -> dict[str, Any]:
        """The plugin as the probe inside the venv sees it (JSON)."""
        return {
            "package": self.package,
            "type": self.type,
            "name": self.name,
            "entry": self.entry,
            "config": self.config,
            "destination": self.destination,
        }


def builtin_targets(fapilog_version: str, path: Path = BUILTINS_FILE) -> list[Target]:
    """fapilog's built-ins, configured as registry/builtins.yml says (hub.catalog.builtins)."""
    data = builtins.load(path)
    requirement = f"fapilog[{','.join(data.extras)}]=={fapilog_version}"
    targets = []
    for plugin_id, plugin in data.plugins.items():
        kind, name = plugin_id.split("/", 1)
        settings = plugin.evaluation
        targets.append(
            Target(
                package="fapilog",
                version=fapilog_version,
                requirement=requirement,
                type=kind,
                name=name,
                # Copies: the loaded file is shared (cached), a target's values are its own.
                config=copy.deepcopy(settings.config),
                entry=settings.entry,
                destination=settings.destination.model_dump(exclude_none=True) if settings.destination else None,
                bench=settings.bench,
                exemptions=dict(settings.exemptions),
                network=list(settings.network),
                services=list(settings.services),
                note=settings.note,
                builtin=True,
            )
        )
    return targets


def check_exemptions(exemptions: dict[str, str], where: str) -> None:
    """An exemption names a tier rule and justifies it in words; anything else is refused."""
    from hub.evaluation.tiers import RULES

    known = {r.id for r in RULES}
    for rule, why in exemptions.items():
        if rule not in known:
            raise ValueError(f"{where}: exemption for unknown rule {rule!r} (rules: {', '.join(sorted(known))})")
        if not isinstance(why, str) or len(why.strip()) < 20:
            raise ValueError(f"{where}: exemption from {rule!r} needs a written justification (20 characters or more)")


def references(fapilog_version: str, path: Path = BUILTINS_FILE) -> dict[str, Target]:
    """The reference plugin of each type (a built-in), measured alongside every plugin of that type."""
    by_id = {t.plugin_id: t for t in builtin_targets(fapilog_version, path)}
    return {kind: by_id[f"{kind}/{name}"] for kind, name in builtins.load(path).references.items()}


def local_target(folder: Path, **fields: Any) -> Target:
    """A plugin package from a folder of this repository (examples, test fixtures)."""
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = next((Requirement(d) for d in project.get("dependencies", []) if Requirement(d).name == "fapilog"), None)
    return Target(
        package=project["name"],
        version=project["version"],
        requirement=str(folder),
        local=True,
        fapilog_range=str(declared.specifier) if declared else "",
        **fields,
    )


def catalog_targets(
    fapilog_version: str,
    entries: Mapping[str, RegistryEntry] | None = None,
    recorded: ReleaseData | None = None,
    *,
    fetch: bool = False,
) -> list[Target]:
    """Every plugin the catalog lists: fapilog's built-ins, then the registry's packages.

    `entries` and `recorded` are what the caller loaded (the site build loads them once, in
    hub/site.py); without them the default registry and releases file are read. `fetch` (the
    evaluation only) clones or finds in a mirror the sources of packages that are not on
    PyPI; without it (the site build) they are described, never fetched.
    """
    entries = registry.load_valid() if entries is None else entries
    recorded = releases.load() if recorded is None else recorded
    return builtin_targets(fapilog_version) + [
        t for entry in entries.values() for t in registry_targets(entry, recorded, fetch=fetch)
    ]


def registry_targets(entry: RegistryEntry, recorded: ReleaseData | None = None, *, fetch: bool = False) -> list[Target]:
    """Targets for one registry entry (hub.catalog.models.RegistryEntry).

    A package kept in this repository (its install URL points at a subdirectory of the
    hub's own repository, and that folder exists here) is built from that folder; a package
    on PyPI is installed by name, from wheels only; any other package with a git install URL
    is fetched from that URL or its mirror (hub.evaluation.sources) and built into a wheel
    inside the sandbox.
    """
    folder = _local_folder(entry.install_url)
    base: dict[str, Any]
    # The versions `python -m hub.catalog refresh` recorded from PyPI.
    release = (releases.load() if recorded is None else recorded).packages.get(entry.package)
    if folder is not None:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        base = {"version": project["version"], "requirement": str(folder), "local": True}
    elif release is not None and release.version:
        base = {"version": release.version, "requirement": f"{entry.package}=={release.version}"}
    elif entry.install_url and entry.install_url.startswith("git+") and not fetch:
        base = {"version": "", "requirement": entry.install_url, "contained_build": True}
    elif entry.install_url and entry.install_url.startswith("git+"):
        try:
            source = sources.resolve(entry.install_url, SOURCE_CACHE)
        except sources.SourceUnavailable as exc:
            print(f"{entry.package}: not evaluated: {exc}", file=sys.stderr)
            return []
        project = tomllib.loads((source.folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        base = {
            "version": project["version"],
            "requirement": str(source.folder),
            "contained_build": True,
            "source": source.record(),
        }
    else:
        return []  # neither here, nor on PyPI, nor fetchable: nothing to install (the catalog page says so)
    targets = []
    for plugin in entry.plugins:
        settings = plugin.evaluation
        exemptions = dict(settings.exemptions) if settings else {}
        check_exemptions(exemptions, f"registry entry {entry.package}: {plugin.type}/{plugin.name}")
        targets.append(
            Target(
                package=entry.package,
                type=plugin.type,
                name=plugin.name,
                config=dict(settings.config) if settings else {},
                destination=settings.destination.model_dump(exclude_none=True)
                if settings and settings.destination
                else None,
                bench=settings.bench if settings else True,
                exemptions=exemptions,
                network=list(settings.network) if settings else [],
                services=list(settings.services) if settings else [],
                fapilog_range=entry.compatibility.fapilog,
                **base,
            )
        )
    return targets


def _local_folder(install_url: str | None) -> Path | None:
    if not install_url or "#subdirectory=" not in install_url:
        return None
    subdirectory = install_url.split("#subdirectory=", 1)[1]
    folder = (ROOT / subdirectory).resolve()
    if ROOT.resolve() in folder.parents and (folder / "pyproject.toml").exists():
        return folder
    return None
