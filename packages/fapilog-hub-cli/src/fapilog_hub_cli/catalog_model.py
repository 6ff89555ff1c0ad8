"""The shape of catalog.json that this command relies on, checked on load.

One job: turn the parsed JSON into :class:`Catalog` and :class:`Plugin` objects, or
raise :class:`CatalogInvalid` naming every field that is missing or of the wrong type.
The hub publishes the full schema (catalog.schema.json, made from the hub's pydantic
model); this package cannot import the hub, so it checks only the fields it reads,
and ignores the rest, so that the hub may add fields without breaking installed copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

SCHEMA_VERSIONS = ("1.0",)  # the catalog formats this version of the command understands
PLUGIN_TYPES = ("sink", "enricher", "redactor", "processor", "filter")
MAX_REPORTED = 12  # a catalog of another format fails everywhere: the first problems say enough

# (path inside a plugin entry, accepted JSON types). "null" means the field may be null;
# a field not marked so must be present. These are the fields the commands read.
STR, NULL, LIST, DICT, BOOL = (str,), (type(None),), (list,), (dict,), (bool,)
PLUGIN_FIELDS: dict[str, tuple[type, ...]] = {
    "id": STR,
    "type": STR,
    "name": STR,
    "summary": STR,
    "origin": STR,
    "package": STR,
    "package_version": STR + NULL,
    "aliases": LIST,
    "tags": LIST,
    "extra": STR + NULL,
    "install": DICT,
    "install.requirement": STR,
    "compatibility": DICT,
    "compatibility.fapilog": STR,
    "compatibility.checked_against": STR,
    "compatibility.status": STR,
    "support": DICT,
    "support.tier": STR,
    "release": DICT,
    "release.status": STR,
    "release.version": STR + NULL,
    "release.state": STR,
    "release.state_reason": STR,
    "page": STR,
    "quality_tier": STR + NULL,
    "evaluation": DICT + NULL,
    "problems": LIST,
}
# Optional in the published model (they have defaults) but read when present.
OPTIONAL = {"aliases", "tags", "extra", "package_version", "quality_tier", "evaluation", "problems"}


class CatalogInvalid(Exception):
    """The document is not a catalog this command can read; the message lists why."""


@dataclass(frozen=True)
class Plugin:
    """One catalog entry, as the commands use it (the JSON object stays in `raw`)."""

    id: str
    type: str
    name: str
    summary: str
    origin: str  # "builtin" (ships with fapilog) or "external"
    package: str
    package_version: str | None  # the version the catalog was built with
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    extra: str | None  # the fapilog extra a built-in needs
    requirement: str  # what pip installs: a PyPI name, "name @ git+https://..." or fapilog[extra]
    declared_fapilog: str  # the plugin's declared fapilog range (PEP 440)
    catalog_status: str  # compatible/incompatible/unknown with the catalog's own fapilog
    support_tier: str
    release_version: str | None
    release_status: str
    release_state: str
    release_state_reason: str
    quality_tier: str | None
    evaluation: dict[str, Any] | None
    page: str
    problems: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def latest_version(self) -> str | None:
        """The newest version the catalog knows: PyPI's latest, else the built one.

        A package that is not on PyPI (installed from its repository) has no recorded
        release; the catalog's build installed it, so that version is the latest it saw.
        """
        return self.release_version or self.package_version

    @property
    def matrix(self) -> dict[str, str]:
        """fapilog version -> outcome of the hub's evaluation against it ('passed', 'failed', ...)."""
        cells = (self.evaluation or {}).get("compatibility") or {}
        return {str(k): str(v) for k, v in cells.items()} if isinstance(cells, dict) else {}


@dataclass(frozen=True)
class Catalog:
    fapilog_version: str
    plugins: tuple[Plugin, ...]
    schema_version: str


def _lookup(entry: dict[str, Any], path: str) -> tuple[bool, Any]:
    value: Any = entry
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def _type_name(value: Any) -> str:
    return {type(None): "null", bool: "a boolean", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _expected(types: tuple[type, ...]) -> str:
    return " or ".join(_type_name(t()) if t is not type(None) else "null" for t in types)


def plugin_problems(index: int, entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return [f"plugins[{index}]: expected an object, got {_type_name(entry)}"]
    label = f"plugins[{index}]" + (f" ({entry['id']})" if isinstance(entry.get("id"), str) else "")
    problems = []
    for path, types in PLUGIN_FIELDS.items():
        found, value = _lookup(entry, path)
        if not found:
            parent_found, parent = _lookup(entry, path.rpartition(".")[0]) if "." in path else (True, entry)
            if path not in OPTIONAL and parent_found and isinstance(parent, dict):
                problems.append(f"{label}: missing field '{path}'")
            continue
        # bool is an int in Python, and an int is not a string: compare exact JSON types.
        if type(value) not in types:
            problems.append(f"{label}.{path}: expected {_expected(types)}, got {_type_name(value)}")
    if isinstance(entry.get("type"), str) and entry["type"] not in PLUGIN_TYPES:
        problems.append(f"{label}.type: {entry['type']!r} is not one of {', '.join(PLUGIN_TYPES)}")
    declared = entry.get("compatibility", {}).get("fapilog") if isinstance(entry.get("compatibility"), dict) else None
    if isinstance(declared, str):
        try:
            SpecifierSet(declared)
        except InvalidSpecifier:
            problems.append(f"{label}.compatibility.fapilog: {declared!r} is not a PEP 440 version range")
    return problems


def parse(document: Any, origin: str) -> Catalog:
    """The catalog in `document` (parsed JSON); origin names it in error messages."""
    if not isinstance(document, dict):
        raise CatalogInvalid(
            f"{origin} is not a fapilog hub catalog: expected a JSON object, got {_type_name(document)}"
        )
    version = document.get("schema_version", "1.0")
    if version not in SCHEMA_VERSIONS:
        raise CatalogInvalid(
            f"{origin} is catalog format {version!r}; this fapilog-hub reads format {', '.join(SCHEMA_VERSIONS)}. "
            "Upgrade the command: pip install --upgrade fapilog-hub-cli"
        )
    problems = []
    if not isinstance(document.get("fapilog_version"), str):
        problems.append("fapilog_version: expected a string, the fapilog version the catalog was built with")
    plugins = document.get("plugins")
    if not isinstance(plugins, list):
        problems.append(f"plugins: expected a list of plugin entries, got {_type_name(plugins)}")
        plugins = []
    for index, entry in enumerate(plugins):
        problems += plugin_problems(index, entry)
    if problems:
        shown = problems[:MAX_REPORTED]
        more = f"\n  ... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise CatalogInvalid(
            f"{origin} is not a valid fapilog hub catalog ({len(problems)} problem(s)):\n  " + "\n  ".join(shown) + more
        )
    return Catalog(
        fapilog_version=document["fapilog_version"],
        plugins=tuple(_plugin(entry) for entry in plugins),
        schema_version=version,
    )


def _plugin(entry: dict[str, Any]) -> Plugin:
    return Plugin(
        id=entry["id"],
        type=entry["type"],
        name=entry["name"],
        summary=entry["summary"],
        origin=entry["origin"],
        package=entry["package"],
        package_version=entry.get("package_version"),
        aliases=tuple(str(a) for a in entry.get("aliases", [])),
        tags=tuple(str(t) for t in entry.get("tags", [])),
        extra=entry.get("extra"),
        requirement=entry["install"]["requirement"],
        declared_fapilog=entry["compatibility"]["fapilog"],
        catalog_status=entry["compatibility"]["status"],
        support_tier=entry["support"]["tier"],
        release_version=entry["release"]["version"],
        release_status=entry["release"]["status"],
        release_state=entry["release"]["state"],
        release_state_reason=entry["release"]["state_reason"],
        quality_tier=entry.get("quality_tier"),
        evaluation=entry.get("evaluation"),
        page=entry["page"],
        problems=tuple(str(p) for p in entry.get("problems", [])),
        raw=entry,
    )


def normalize(name: str) -> str:
    """Plugin names as fapilog compares them: lower case, '-' read as '_'."""
    return name.strip().lower().replace("-", "_")
