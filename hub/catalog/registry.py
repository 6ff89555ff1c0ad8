"""The registry: one YAML file per external plugin package, validated twice.

Each file is checked against the published JSON Schema (what editors and contributors
see) and then against the pydantic model (what the build uses). Every problem of every
file is collected, each naming the file, the field and the fix, so one bad entry never
hides another.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from packaging.utils import canonicalize_name
from pydantic import ValidationError

from hub.catalog.models import RegistryEntry
from hub.datafiles import Problem, display, field_path, read_yaml, unread_files
from hub.project import ROOT

REGISTRY_DIR = ROOT / "registry"
SCHEMA_FILE = REGISTRY_DIR / "schema" / "plugin-entry.schema.json"


@dataclass
class Registry:
    entries: dict[str, RegistryEntry] = field(default_factory=dict)  # file -> entry
    problems: list[Problem] = field(default_factory=list)


class RegistryInvalid(Exception):
    """Raised with every problem of every registry file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = f"{len(problems)} problem{'s' * (len(problems) != 1)}"
        super().__init__(f"the plugin registry has {count}:\n" + "\n".join(f"- {p}" for p in problems))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker())


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

    problems = sorted(
        (_from_schema_error(name, error) for error in _validator().iter_errors(data)), key=lambda p: p.field
    )
    stem = path.stem
    if isinstance(data.get("package"), str) and data["package"] != stem:
        problems.append(
            Problem(
                name,
                "package",
                f"the file is named {path.name} but package is {data['package']!r}",
                f"rename the file to {data['package']}.yml",
            )
        )
    # The model checks what a schema cannot (real version ranges, URL structure, a
    # commercial tier's details, duplicates inside lists). It runs even when the schema
    # found problems, so that one run reports them all; a field the schema already
    # faulted is not reported twice.
    try:
        entry = RegistryEntry.model_validate(data)
    except ValidationError as exc:
        faulted = {p.field for p in problems}
        more = [_from_model_error(name, err) for err in exc.errors()]
        problems += [p for p in more if not any(_related(p.field, f) for f in faulted)]
        return None, problems
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


def _from_schema_error(file: str, error: SchemaError) -> Problem:
    """A jsonschema error as a sentence a contributor can act on."""
    where = field_path(error.absolute_path)
    kind, value, sub = error.validator, error.instance, error.schema
    described = sub.get("description", "")
    if kind == "required":
        missing = error.message.split("'")[1]
        path = [*error.absolute_path, missing]
        context = "a commercial entry needs it" if "then" in error.schema_path else "it is required"
        return Problem(file, field_path(path), f"missing ({context})", f"add {missing}: {_describe(path)}")
    if kind == "additionalProperties":
        allowed = sorted(sub.get("properties", {}))
        extras = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        name = extras[0] if extras else "?"
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return Problem(
            file, _join(where, name), "is not a known field", f"{hint}remove it or use one of: {', '.join(allowed)}"
        )
    if kind == "maxLength":
        return Problem(
            file,
            where,
            f"is {len(value)} characters long, more than {error.validator_value}",
            f"shorten it to at most {error.validator_value} characters",
        )
    if kind == "minLength":
        return Problem(
            file,
            where,
            f"is {len(value)} characters long, fewer than {error.validator_value}",
            f"write at least {error.validator_value} characters. {described}".strip(),
        )
    if kind == "enum":
        options = ", ".join(map(str, error.validator_value))
        return Problem(file, where, f"{value!r} is not allowed", f"use one of: {options}")
    if kind == "type":
        return Problem(
            file,
            where,
            f"expected {error.validator_value}, got {type(value).__name__} {value!r}",
            described or f"write a {error.validator_value}",
        )
    if kind == "format" and error.validator_value == "date":
        return Problem(file, where, f"{value!r} is not a real date", "write the date as YYYY-MM-DD, e.g. 2026-11-26")
    if kind == "pattern":
        # Said in words, with an example, from the nearest description (a tag's comes from
        # `tags`), never as the regular expression itself.
        return Problem(
            file, where, f"{value!r} has the wrong form", described or _describe_nearest(error.absolute_path)
        )
    if kind in ("minItems", "maxItems"):
        return Problem(
            file,
            where,
            f"has {len(value)} items",
            f"{'at least' if kind == 'minItems' else 'at most'} {error.validator_value} items. {described}".strip(),
        )
    if kind == "uniqueItems":
        return Problem(file, where, "lists an item twice", "remove the duplicate")
    return Problem(file, where, error.message, described or "see registry/schema/plugin-entry.schema.json")


def _from_model_error(file: str, err: dict[str, Any]) -> Problem:
    message = err["msg"].removeprefix("Value error, ")
    return Problem(file, field_path(err["loc"]), message, _describe(list(err["loc"])))


def _describe(path: list[Any]) -> str:
    """The schema's description of the field at path (what to write there)."""
    node: dict[str, Any] = schema()
    for part in path:
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
        if "$ref" in node and "description" not in node:
            node = schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node.get("description", "see registry/schema/plugin-entry.schema.json")


def _related(one: str, other: str) -> bool:
    """The same field, or one inside the other (`support` and `support.contact`)."""
    return one == other or one.startswith(other + ".") or other.startswith(one + ".")


def _describe_nearest(path: Any) -> str:
    """The description of the field at path, or of the nearest field above it that has one."""
    parts = list(path)
    while parts:
        described = _describe(parts)
        if not described.startswith("see registry/"):
            return described
        parts.pop()
    return "see registry/schema/plugin-entry.schema.json"


def _join(where: str, name: str) -> str:
    return name if where == "(top level)" else f"{where}.{name}"
