"""Contributor-edited YAML files (registry entries, reviews): safe reading and problems.

Both kinds of file come from strangers by pull request, so they are read the same way:
safe YAML only, dates kept as text (so the JSON Schema checks their form), duplicate keys
refused (YAML would silently keep the last). A hostile file costs bounded time and memory
and ends as one problem: files over 256 KB, aliases (the "billion laughs" bomb), nesting
deeper than 32 levels and keys that are not plain text are refused before anything is
built from them. Every problem names the file, the field and the fix; values quoted in a
message are cut to a readable length.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_QUOTED = 300  # characters of a message or fix kept: a 2 MB value is not echoed back


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """`text`, cut to `limit` characters with a note of how long it was."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters in all)"


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str
    fix: str

    def __post_init__(self) -> None:
        for name in ("field", "message", "fix"):
            object.__setattr__(self, name, shorten(getattr(self, name)))

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}. Fix: {self.fix}"


class Refused(yaml.YAMLError):
    """A file the loader will not build: its problem in words, the field and the fix."""

    def __init__(self, message: str, fix: str, mark: yaml.Mark | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message, self.fix, self.mark, self.field = message, fix, mark, field


class _Loader(yaml.SafeLoader):
    """Safe YAML, dates kept as text, duplicate keys and non-text keys refused, no aliases,
    bounded depth."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise Refused(
                f"uses a YAML alias (*{event.anchor})",
                "write the value out in full: registry and review files do not allow anchors and aliases",
                event.start_mark,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise Refused(
                    f"is nested more than {MAX_DEPTH} levels deep",
                    "flatten the structure: no field of these files nests more than a few levels",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _at(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "an unknown position"


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping_without_duplicates(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[str, yaml.Node] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise Refused(
                f"has a key that is a {kind}",
                "a key is a field name: plain text followed by a colon (name: value)",
                key_node.start_mark,
            )
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            raise Refused(
                f"has the key {key!r} ({type(key).__name__}, not text) at {_at(key_node.start_mark)}",
                f"field names are text: quote it ('{key}': ...) or use the field name you meant",
                key_node.start_mark,
                field=str(key),
            )
        if key in seen:
            raise Refused(
                f"the key {key!r} appears twice: at {_at(seen[key].start_mark)} and at {_at(key_node.start_mark)}",
                "keep one of them (YAML would silently keep the last)",
                key_node.start_mark,
                field=key,
            )
        seen[key] = key_node
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def read_yaml(path: Path, name: str) -> tuple[Any, list[Problem]]:
    """The file's data, or a problem saying where the YAML (or its encoding) is broken."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                name,
                "",
                f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES // 1024} KB a data file may be",
                "shorten it: long texts belong on the plugin's own site, linked from the entry",
            )
        ]
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader), []  # noqa: S506 - a SafeLoader subclass
    except Refused as exc:
        return None, [Problem(name, exc.field or _at(exc.mark), exc.message, exc.fix)]
    except RecursionError:  # a structure deep enough to exhaust the parser's own stack
        return None, [Problem(name, "", "is nested too deeply to read", "flatten the structure")]
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


def unread_files(directory: Path, root: Path, read: tuple[str, ...] = (".yml", ".yaml")) -> list[Problem]:
    """Files in a data folder that the loader skips by their name (`X.YML`, `X.yml.txt`)."""
    problems = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        if path.is_file() and path.suffix not in read and not path.name.startswith("."):
            stem = path.name.split(".")[0]
            problems.append(
                Problem(
                    display(path, root),
                    "",
                    f"is not read: only files ending in {' or '.join(read)} are",
                    f"rename it to {stem}{read[0]} (or remove it if it is not an entry)",
                )
            )
    return problems
