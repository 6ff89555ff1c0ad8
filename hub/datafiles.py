"""Contributor-edited YAML files (registry entries, reviews): safe reading and problems.

Both kinds of file come from strangers by pull request, so they are read the same way:
safe YAML only, dates kept as text (so the JSON Schema checks their form), duplicate keys
refused (YAML would silently keep the last). Every problem names the file, the field and
the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}. Fix: {self.fix}"


class _Loader(yaml.SafeLoader):
    """Safe YAML, dates kept as text, duplicate keys refused."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping_without_duplicates(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def read_yaml(path: Path, name: str) -> tuple[Any, list[Problem]]:
    """The file's data, or a problem saying where the YAML (or its encoding) is broken."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(name, where, f"not valid YAML ({problem})", "correct the YAML syntax at that position")]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")]


def field_path(path) -> str:
    """A validation error's location as a contributor writes it: ``plugins[0].name``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def display(path: Path, root: Path) -> str:
    """The path as shown in problems: relative to the repository when it is inside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
