"""The registry: one YAML file per external plugin package, validated by its model.

`RegistryEntry` (hub/catalog/models.py) is the registry's one definition: the JSON Schema
that editors and contributors see (registry/schema/plugin-entry.schema.json) is generated
from it, and a test fails when the committed copy drifts. Every problem of every file is
collected, each naming the file, the field and the fix, so one bad entry never hides
another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from pydantic import ValidationError

from hub import datafiles
from hub.catalog.models import RegistryEntry
from hub.datafiles import Invalid, Problem, display, published_schema, read_yaml, unread_files, validation_problems
from hub.project import ROOT

REGISTRY_DIR = ROOT / "registry"
SCHEMA_FILE = REGISTRY_DIR / "schema" / "plugin-entry.schema.json"
SCHEMA_ID = "https://fapilog.github.io/fapilog-hub/schemas/plugin-entry-1.schema.json"


@dataclass
class Registry:
    entries: dict[str, RegistryEntry] = field(default_factory=dict)  # file -> entry
    problems: list[Problem] = field(default_factory=list)


class RegistryInvalid(Invalid):
    """Raised with every problem of every registry file."""

    WHAT = "the plugin registry has"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The registry entry's JSON Schema, as published: generated from RegistryEntry."""
    return published_schema(RegistryEntry, SCHEMA_ID, "fapilog hub registry entry")


def write_schema(path: Path = SCHEMA_FILE) -> None:
    datafiles.write_schema(schema(), path)


def load(directory: Path | None = None, root: Path = ROOT) -> Registry:
    """Every ``*.yml`` file in ``directory`` (default ``registry/plugins``), validated."""
    directory = directory or REGISTRY_DIR / "plugins"
    registry = Registry()
    files = sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml"))
    for path in files:
        name = display(path, root)
        entry, problems = check_file(path, name)
        registry.problems.extend(problems)
        if entry is not None:
            registry.entries[name] = entry
    registry.problems.extend(unread_files(directory, root))
    registry.problems.extend(_cross_file_problems(registry.entries))
    return registry


def load_valid(directory: Path | None = None, root: Path = ROOT) -> dict[str, RegistryEntry]:
    registry = load(directory, root)
    if registry.problems:
        raise RegistryInvalid(registry.problems)
    return registry.entries


def check_file(path: Path, name: str) -> tuple[RegistryEntry | None, list[Problem]]:
    data, problems = read_yaml(path, name)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [
            Problem(
                name,
                "",
                "the file must hold one mapping of fields",
                "start from an existing entry in registry/plugins/",
            )
        ]
    problems = []
    if isinstance(data.get("package"), str) and data["package"] != path.stem:
        problems.append(
            Problem(
                name,
                "package",
                f"the file is named {path.name} but package is {data['package']!r}",
                f"rename the file to {data['package']}.yml",
            )
        )
    try:
        entry = RegistryEntry.model_validate(data)
    except ValidationError as exc:
        return None, sorted([*problems, *validation_problems(name, exc, schema())], key=lambda p: p.field)
    except (TypeError, RecursionError) as exc:  # nothing from a file may end as a traceback
        return None, [
            *problems,
            Problem(name, "", f"cannot be read as an entry ({exc})", "compare with an existing entry"),
        ]
    return (None, problems) if problems else (entry, [])


def _cross_file_problems(entries: dict[str, RegistryEntry]) -> list[Problem]:
    problems = []
    by_package: dict[str, str] = {}
    by_plugin: dict[tuple[str, str], str] = {}
    for file, entry in entries.items():
        key = canonicalize_name(entry.package)
        if key in by_package:
            problems.append(
                Problem(
                    file,
                    "package",
                    f"{entry.package!r} is already listed in {by_package[key]}",
                    "keep one entry per package; edit the existing file instead",
                )
            )
        else:
            by_package[key] = file
        for plugin in entry.plugins:
            ident = (plugin.type, plugin.name)
            if ident in by_plugin and by_plugin[ident] != file:
                problems.append(
                    Problem(
                        file,
                        "plugins",
                        f"the {plugin.type} {plugin.name!r} is also declared by {by_plugin[ident]}",
                        "fapilog loads one plugin per name and type; choose a distinct name",
                    )
                )
            by_plugin.setdefault(ident, file)
    return problems
