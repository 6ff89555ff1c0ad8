"""fapilog's built-in plugins as the hub describes them: ``registry/builtins.yml``, validated.

One file, keyed by plugin id, holds everything the hub says about a built-in that fapilog
does not: its tags and how the tests run its usage snippet (hub.catalog.usage), how the
evaluation configures it (hub.evaluation.plan, with the registry's own
:class:`~hub.catalog.models.EvaluationSettings`), the fapilog extras the evaluation
installs and one reference plugin per type. :class:`Builtins` is the file's one
definition; :func:`load` is its one reader, and it refuses a malformed file with every
problem named by file, field and fix (hub.datafiles), as the registry's loader does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, ValidationInfo, field_validator

from hub.catalog.models import (
    PLUGIN_NAME_PATTERN,
    PLUGIN_TYPES,
    EvaluationSettings,
    OneLine,
    PluginType,
    Submitted,
    Tags,
    no_duplicates,
)
from hub.datafiles import Invalid, Problem, display, read_yaml, validation_problems
from hub.project import ROOT

BUILTINS_FILE = ROOT / "registry" / "builtins.yml"

# The local service a snippet's environment variable points at in the tests (usage.SERVICE_TEXT).
Service = Literal["http", "loki", "postgres"]


class BuiltinEvaluation(EvaluationSettings):
    """How the evaluation configures this built-in: a registry entry's evaluation settings,
    plus what only built-ins need."""

    entry: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
        description="module:Class to build instead of loading the plugin by name, for a class fapilog exports "
        "but does not register.",
    )
    note: OneLine = Field(
        default="",
        max_length=300,
        description="One line on how the plugin was measured that a reader of its results should know.",
    )


class BuiltinPlugin(Submitted):
    """The hub's notes on one built-in, and how the evaluation configures it."""

    tags: Tags = Field(
        default_factory=list,
        description="The hub's tags for the plugin (fapilog declares none): lowercase letters, digits and dashes.",
    )
    env: dict[str, Service] = Field(
        default_factory=dict,
        description="Environment variables the usage snippet reads, each with the local service the tests point "
        "it at: http, loki or postgres.",
    )
    not_executed: str | None = Field(
        default=None,
        min_length=20,
        description="Why the tests cannot run the usage snippet (they still build its settings).",
    )
    output: str | None = Field(
        default=None,
        min_length=20,
        description="Why the snippet's output is not recorded (it varies from run to run).",
    )
    evaluation: BuiltinEvaluation = Field(
        default_factory=BuiltinEvaluation,
        description="How the evaluation configures the plugin: config, destination, network, services, bench, "
        "exemptions, entry, note. Optional: without it the plugin is loaded by name with no arguments.",
    )


PLUGINS_HELP = (
    "fapilog's built-in plugins, keyed by '<type>/<name>': type is one of "
    f"{', '.join(PLUGIN_TYPES)}; name is fapilog's (lowercase letters, digits and underscores)."
)


class Builtins(Submitted):
    """registry/builtins.yml: fapilog's built-in plugins as the hub describes and evaluates them."""

    extras: Annotated[list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]], AfterValidator(no_duplicates)] = (
        Field(
            min_length=1,
            description="The fapilog extras the evaluation installs with every built-in: fapilog[<extras>].",
        )
    )
    # Declared before references, which are checked against it.
    plugins: dict[str, BuiltinPlugin] = Field(min_length=1, description=PLUGINS_HELP)
    references: dict[PluginType, Annotated[str, Field(pattern=PLUGIN_NAME_PATTERN)]] = Field(
        description="One reference plugin per type, by name, measured in the same process as each plugin of that "
        "type: a built-in listed under plugins, for every type that plugins lists.",
    )

    @field_validator("plugins")
    @classmethod
    def _plugin_ids(cls, value: dict[str, BuiltinPlugin]) -> dict[str, BuiltinPlugin]:
        wrong = []
        for key in value:
            kind, _, name = key.partition("/")
            if kind not in PLUGIN_TYPES or not re.fullmatch(PLUGIN_NAME_PATTERN, name):
                wrong.append(key)
        if wrong:
            raise ValueError(f"{', '.join(map(repr, wrong))} is not a plugin id")
        return value

    @field_validator("references")
    @classmethod
    def _references_are_listed(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        plugins = info.data.get("plugins")
        if plugins is None:  # plugins itself is wrong: reported there
            return value
        unlisted = [f"{kind}/{name}" for kind, name in value.items() if f"{kind}/{name}" not in plugins]
        if unlisted:
            raise ValueError(f"names {', '.join(map(repr, unlisted))}, not listed under plugins")
        types = {key.split("/", 1)[0] for key in plugins}
        missing = [kind for kind in PLUGIN_TYPES if kind in types and kind not in value]
        if missing:
            raise ValueError(f"has no reference for the {', '.join(missing)} plugins")
        return value


class BuiltinsInvalid(Invalid):
    """Raised with every problem of the built-ins file."""

    WHAT = "the built-ins file has"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The file's JSON Schema (not published: only the hub edits this file); fixes quote it."""
    return Builtins.model_json_schema()


def check(path: Path = BUILTINS_FILE, root: Path = ROOT) -> tuple[Builtins | None, list[Problem]]:
    """The file's content, or every problem with it (file, field, fix)."""
    name = display(path, root)
    data, problems = read_yaml(path, name)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(name, "", "the file must hold one mapping", "start from extras, references, plugins")]
    try:
        return Builtins.model_validate(data), []
    except ValidationError as exc:
        return None, validation_problems(name, exc, schema())
    except (TypeError, RecursionError) as exc:  # nothing from a file may end as a traceback
        return None, [Problem(name, "", f"cannot be read ({exc})", "compare with the committed registry/builtins.yml")]


def load(path: Path = BUILTINS_FILE) -> Builtins:
    """The built-ins file, validated (read again only when it changes); BuiltinsInvalid otherwise."""
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, size: int) -> Builtins:
    found, problems = check(path)
    if found is None:
        raise BuiltinsInvalid(problems)
    return found
