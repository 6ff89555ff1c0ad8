"""What is installed in the environment this command runs in, read from package metadata.

One job: the fapilog version and the plugins other packages register in fapilog's five
entry-point groups. Only ``importlib.metadata`` is used: no plugin code is imported
(a plugin's import could fail, be slow or have side effects; its metadata cannot).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata

from packaging.utils import canonicalize_name

# fapilog's entry-point groups, in the order fapilog's pipeline runs its stages' types.
GROUPS = {
    "fapilog.sinks": "sink",
    "fapilog.enrichers": "enricher",
    "fapilog.redactors": "redactor",
    "fapilog.processors": "processor",
    "fapilog.filters": "filter",
}


@dataclass(frozen=True)
class InstalledPlugin:
    type: str
    name: str
    group: str
    target: str  # module:attribute, as declared (not imported)
    distribution: str
    version: str

    @property
    def id(self) -> str:
        return f"{self.type}/{self.name}"


def fapilog_version() -> str | None:
    try:
        return metadata.version("fapilog")
    except metadata.PackageNotFoundError:
        return None


def distribution_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def plugins() -> list[InstalledPlugin]:
    """Every plugin entry point of the environment, once per (group, name, distribution)."""
    found: dict[tuple[str, str, str], InstalledPlugin] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue  # a broken .dist-info folder: nothing to report for it
        for ep in dist.entry_points:
            if ep.group not in GROUPS:
                continue
            plugin = InstalledPlugin(
                type=GROUPS[ep.group],
                name=ep.name,
                group=ep.group,
                target=ep.value,
                distribution=name,
                version=dist.version,
            )
            # The same distribution can appear twice on sys.path (a user site and a venv):
            # Python uses the first, so keep the first.
            found.setdefault((ep.group, ep.name, canonicalize_name(name)), plugin)
    return sorted(found.values(), key=lambda p: (list(GROUPS.values()).index(p.type), p.name))


def python_description() -> str:
    return f"Python {sys.version.split()[0]} at {sys.executable}"
