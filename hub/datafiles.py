"""Contributor-edited YAML files (registry entries, reviews): safe reading and problems.

Both kinds of file come from strangers by pull request, so they are read the same way:
safe YAML only, dates kept as text (so the model checks their form), duplicate keys
refused (YAML would silently keep the last). A hostile file costs bounded time and memory
and ends as one problem: files over 256 KB, aliases (the "billion laughs" bomb), nesting
deeper than 32 levels and keys that are not plain text are refused before anything is
built from them. Every problem names the file, the field and the fix; values quoted in a
message are cut to a readable length.

A file's content is then validated by its pydantic model, the one definition of its
format; `validation_problems` turns the model's errors into problems, taking each fix from
the field's description in the schema published from that model.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

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


class Invalid(Exception):
    """Raised with every problem of a kind of data file; subclasses name the kind (WHAT)."""

    WHAT = "the data files"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = f"{len(problems)} problem{'s' * (len(problems) != 1)}"
        super().__init__(f"{self.WHAT} {count}:\n" + "\n".join(f"- {p}" for p in problems))


def published_schema(model: type[BaseModel], schema_id: str, title: str) -> dict[str, Any]:
    """A model's JSON Schema as the hub publishes it for editors: the format is the model."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        **model.model_json_schema(),
        "title": title,
    }


def write_schema(schema: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


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


# ---------------------------------------------------------------- model errors as problems

DATE_FIX = "write the date as YYYY-MM-DD, e.g. 2026-11-26"
JSON_TYPES = {"list": "array", "string": "string", "dict": "object", "model": "object", "int": "integer"}
JSON_TYPES |= {"bool": "boolean", "float": "number", "model_attributes": "object"}


def validation_problems(file: str, error: ValidationError, schema: dict[str, Any]) -> list[Problem]:
    """Every error of a model's validation as a problem (file, field, fix), sorted by field.

    schema is the JSON Schema published from the same model: the fix quotes the description
    of the field (or of the nearest field above it that has one), and "is not a known field"
    lists the fields that are.
    """
    problems: list[Problem] = []
    for err in error.errors():
        for problem in _problems(file, err, schema):
            if problem not in problems:  # a union reports each member's error: said once
                problems.append(problem)
    return sorted(problems, key=lambda p: p.field)


def _problems(file: str, err: dict[str, Any], schema: dict[str, Any]) -> list[Problem]:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    path, nodes = _walk(schema, err["loc"])
    node, described = nodes[-1], next((n["description"] for n in reversed(nodes) if "description" in n), "")
    where = field_path(path)
    described = described or "see the schema published in registry/schema/"
    if kind == "missing":
        return [Problem(file, where, "missing (it is required)", f"add {path[-1]}: {described}")]
    if kind == "needed_by":  # a field another field's value requires (PydanticCustomError with ctx)
        return [
            Problem(
                file,
                field_path([*path, name]),
                f"missing ({ctx['because']})",
                f"add {name}: {_walk(schema, [*path, name])[1][-1].get('description', described)}",
            )
            for name in ctx["fields"]
        ]
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        allowed = sorted(node.get("properties", {}))
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return [
            Problem(
                file,
                field_path([*path, name]),
                "is not a known field",
                f"{hint}remove it or use one of: {', '.join(allowed)}",
            )
        ]
    if kind == "string_too_long":
        most = ctx["max_length"]
        return [
            Problem(
                file,
                where,
                f"is {len(value):,} characters long, more than {most:,}",
                f"shorten it to at most {most} characters",
            )
        ]
    if kind == "string_too_short":
        least = ctx["min_length"]
        return [
            Problem(
                file,
                where,
                f"is {len(value):,} characters long, fewer than {least:,}",
                f"write at least {least} characters. {described}",
            )
        ]
    if kind in ("too_short", "too_long"):
        bound = f"at least {ctx['min_length']}" if kind == "too_short" else f"at most {ctx['max_length']}"
        return [Problem(file, where, f"has {ctx['actual_length']} items", f"{bound} items. {described}")]
    if kind in ("literal_error", "enum"):
        options = node["enum"] if "enum" in node else [node["const"]] if "const" in node else []
        fix = f"use one of: {', '.join(map(str, options))}" if options else described
        return [Problem(file, where, f"{value!r} is not allowed", fix)]
    if kind == "string_pattern_mismatch":
        # Said in words from the description, never as the regular expression itself.
        return [Problem(file, where, f"{value!r} has the wrong form", described)]
    if kind.startswith("date_"):
        return [Problem(file, where, f"{value!r} is not a real date", DATE_FIX)]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return [Problem(file, where, f"{value!r} is out of range", described)]
    if kind == "duplicate_items":
        return [Problem(file, where, err["msg"], "remove the duplicate")]
    if kind.endswith(("_type", "_parsing")):
        return [
            Problem(file, where, f"expected {_json_type(node, kind)}, got {type(value).__name__} {value!r}", described)
        ]
    return [Problem(file, where, err["msg"].removeprefix("Value error, "), described)]


def _walk(schema: dict[str, Any], loc: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    """The field path of an error location and the schema nodes along it, from the root.

    Parts of pydantic's location that name no field (a union member such as 'str', an
    unknown key) are not fields a contributor writes: they are left out of the path.
    """
    node = _unwrap(schema, schema)
    path: list[Any] = []
    nodes = [node]
    for part in loc:
        child = None
        if isinstance(part, int) and isinstance(node.get("items"), dict):
            child = node["items"]
        elif isinstance(part, str) and part in node.get("properties", {}):
            child = node["properties"][part]
        elif isinstance(part, str) and isinstance(node.get("additionalProperties"), dict):
            child = node["additionalProperties"]
        if child is None:
            continue
        node = _unwrap(schema, child)
        path.append(part)
        nodes.append(node)
    return path, nodes


def _unwrap(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A node with its $ref resolved (its own description kept) and `X | None` read as X."""
    node = dict(node)
    while True:
        if "$ref" in node:
            target = schema["$defs"][node.pop("$ref").rsplit("/", 1)[1]]
            node = {**target, **node}
        elif "anyOf" in node and len(kept := [b for b in node["anyOf"] if b.get("type") != "null"]) == 1:
            node.pop("anyOf")
            node = {**kept[0], **node}
        else:
            return node


def _json_type(node: dict[str, Any], kind: str) -> str:
    if "type" in node:
        return " or ".join(node["type"]) if isinstance(node["type"], list) else node["type"]
    if "anyOf" in node:
        return " or ".join(b.get("type", "value") for b in node["anyOf"] if b.get("type") != "null")
    return JSON_TYPES.get(kind.rsplit("_", 1)[0], kind.rsplit("_", 1)[0])
