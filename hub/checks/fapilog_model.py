"""What fapilog accepts as configuration, read from the installed fapilog itself.

One job: answer "does this settings path, environment variable or plugin configuration
key mean anything to fapilog?". fapilog ignores unknown keys at every level
(`Settings` has `extra="ignore"`, and a plugin whose configuration fails to validate is
skipped with a diagnostic), so a misspelt key changes nothing and says nothing; the site
must not carry one.

- Settings paths: `fapilog.core.settings.Settings`, walked field by field (pydantic
  aliases accepted). A field typed as a dict is a plugin slot when it sits under
  `sink_config`, `enricher_config`, `redactor_config`, `filter_config` or
  `processor_config`: its keys are checked against that plugin's configuration (below);
  `extra.<name>` holds third-party plugins, whose keys are not known here, except for a
  built-in name.
- Environment variables: pydantic-settings reads `FAPILOG_` + the path joined with `__`
  (`env_prefix="FAPILOG_"`, `env_nested_delimiter="__"`, case-insensitive). fapilog also
  reads some variables itself (`os.getenv("FAPILOG_...")`: the short CloudWatch, Loki,
  PostgreSQL, size-guard and routing aliases, `FAPILOG_SERVICE`, `FAPILOG_ENV`, the
  FastAPI and file-sink variables, ...); those are every `FAPILOG_*` string constant in
  fapilog's own source (its tests left out).
- A built-in plugin's configuration: the class named by its constructor's `config`
  parameter (a pydantic model or a dataclass), or, for a plugin without one, its
  keyword-only constructor parameters (`stdout_json`: `strict_envelope_mode`,
  `capture_mode`). Plugins come from fapilog's registries (`fapilog.plugins.loader`).
  A key under a typed slot (`sink_config.rotating_file`) is dropped by `Settings`; one
  handed to the plugin as it is (a dict slot, `extra.<name>`) usually makes the plugin
  refuse to load, and fapilog then runs without it (tried with 0.18.1:
  `configure_enricher("runtime_info", service="x")` drops the runtime_info enricher, so
  records lose service, env, host, pid and python).
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import re
import types
import typing
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hub import names

ENV_PREFIX = "FAPILOG_"
# The settings sections that configure plugins ("sink_config", ...) and the group of each.
PLUGIN_SLOTS = {f"{plugin_type}_config": group for plugin_type, group in names.ENTRY_POINT_GROUPS.items()}
ENTRY_POINT_GROUPS = tuple(names.ENTRY_POINT_GROUPS.values())
ENV_NAME = re.compile(r"^FAPILOG_[A-Z0-9_]+$")


def settings_model() -> type[BaseModel]:
    from fapilog.core.settings import Settings

    return Settings


def unwrap(annotation: Any) -> Any:
    """`X | None`, `Optional[X]`, `Annotated[X, ...]` -> X (the first non-None member)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return unwrap(members[0]) if members else annotation
    return annotation


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def is_dict(annotation: Any) -> bool:
    return annotation is dict or typing.get_origin(annotation) is dict


def model_keys(model: type[BaseModel]) -> dict[str, Any]:
    """Field name (and alias) -> annotation."""
    keys = {}
    for name, field in model.model_fields.items():
        keys[name] = field.annotation
        if field.alias:
            keys[field.alias] = field.annotation
    return keys


@lru_cache(maxsize=1)
def model_paths() -> dict[str, list[str]]:
    """Class name of each settings group -> its path (CoreSettings -> ['core'])."""
    found: dict[str, list[str]] = {}

    def walk(model: type[BaseModel], path: list[str]) -> None:
        for name, field in model.model_fields.items():
            annotation = unwrap(field.annotation)
            if is_model(annotation):
                found.setdefault(annotation.__name__, [*path, name])
                walk(annotation, [*path, name])

    walk(settings_model(), [])
    return found


@lru_cache(maxsize=1)
def builtin_plugins() -> dict[str, dict[str, type]]:
    """Entry-point group -> built-in plugin name -> class, from fapilog's registries."""
    import fapilog  # noqa: F401  (registers the built-ins)
    from fapilog.plugins import loader

    return {
        "fapilog.sinks": dict(loader.BUILTIN_SINKS),
        "fapilog.enrichers": dict(loader.BUILTIN_ENRICHERS),
        "fapilog.redactors": dict(loader.BUILTIN_REDACTORS),
        "fapilog.processors": dict(loader.BUILTIN_PROCESSORS),
        "fapilog.filters": dict(loader.BUILTIN_FILTERS),
    }


def config_class(plugin: type) -> type | None:
    """The configuration class a plugin's constructor takes as `config`, if any.

    Read from the parameter's annotation, resolved name by name in the plugin's module
    (`from __future__ import annotations` leaves it a string such as
    "RoutingSinkConfig | None", and other hints may name TYPE_CHECKING-only imports).
    """
    try:
        parameter = inspect.signature(plugin.__init__).parameters.get("config")
    except (TypeError, ValueError):
        return None
    if parameter is None:
        return None
    annotation = parameter.annotation
    module = inspect.getmodule(plugin)
    if isinstance(annotation, str):
        names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation)
        candidates = [getattr(module, name, None) for name in names]
    else:
        candidates = list(typing.get_args(annotation) or (annotation,))
    for candidate in candidates:
        if is_model(candidate) or (isinstance(candidate, type) and dataclasses.is_dataclass(candidate)):
            return candidate
    return None


@cache
def plugin_config_keys(group: str, name: str) -> frozenset[str] | None:
    """The keys a built-in plugin's configuration accepts; None for a plugin not built in."""
    plugin = builtin_plugins().get(group, {}).get(name)
    if plugin is None:
        return None
    found = config_class(plugin)
    if found is not None and is_model(found):
        return frozenset(model_keys(found))
    if found is not None:
        return frozenset(f.name for f in dataclasses.fields(found))
    try:
        parameters = inspect.signature(plugin.__init__).parameters.values()
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(p.name for p in parameters if p.kind is p.KEYWORD_ONLY)


def suggest(key: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(set(choices)), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@cache
def refuses_unknown_keys(group: str, name: str) -> bool:
    """Whether an unknown key stops the plugin from loading (fapilog's loader calls
    `plugin(**config)`): a pydantic configuration with `extra="forbid"`, a dataclass, or
    plain keyword parameters refuse it; a pydantic configuration that ignores extras
    loads without it."""
    plugin = builtin_plugins().get(group, {}).get(name)
    found = config_class(plugin) if plugin is not None else None
    return not (found is not None and is_model(found) and found.model_config.get("extra") != "forbid")


def check_plugin_keys(group: str, name: str, keys: typing.Iterable[str], shown: str) -> list[str]:
    """Keys handed to a built-in plugin as they are (a dict slot, `extra.<name>`)."""
    known = plugin_config_keys(group, name)
    if known is None:
        return []
    effect = (
        f"fapilog would not load the {name} plugin (PluginLoadError) and would carry on without it"
        if refuses_unknown_keys(group, name)
        else "fapilog would ignore it"
    )
    problems = []
    for key in keys:
        if key not in known:
            accepted = ", ".join(sorted(known)) or "no keys"
            problems.append(
                f"'{shown}.{key}': the {name} plugin's configuration has no key '{key}'{suggest(key, known)}"
                f" (it accepts: {accepted}); {effect}"
            )
    return problems


def resolve(path: list[str], shown: str | None = None) -> list[str]:
    """Problems with a settings path such as ['sink_config', 'rotating_file', 'directory'].

    A path may stop early (it then names a group of settings). Returns [] when every
    segment means something to fapilog.
    """
    shown = shown or ".".join(path)
    annotation: Any = settings_model()
    walked: list[str] = []
    for index, segment in enumerate(path):
        annotation = unwrap(annotation)
        where = ".".join(walked) or "Settings"
        if is_model(annotation):
            keys = model_keys(annotation)
            if segment not in keys:
                return [f"'{shown}': {where} has no field '{segment}'{suggest(segment, keys)}; fapilog would ignore it"]
            parent = walked[-1] if walked else None
            walked.append(segment)
            annotation = keys[segment]
            slot = PLUGIN_SLOTS.get(parent or "")
            if slot and segment != "extra" and is_dict(unwrap(annotation)):
                # A built-in plugin whose slot is a plain dict: its keys are the plugin's.
                rest = path[index + 1 :]
                return check_plugin_keys(slot, segment, rest[:1], ".".join(walked)) if rest else []
            if slot and segment == "extra" and len(path) > index + 2:
                name, key = path[index + 1], path[index + 2]
                return check_plugin_keys(slot, name, [key], ".".join([*walked, name]))
            continue
        if is_dict(annotation):
            return []  # free-form mapping (headers, labels, a third-party plugin's config)
        return [f"'{shown}': {'.'.join(walked)} is a single value, it has no field '{segment}'"]
    return []


QUOTED_NAME = re.compile(r"""["'](FAPILOG_[A-Z0-9_]+)["']""")


@lru_cache(maxsize=1)
def variables_fapilog_reads() -> frozenset[str]:
    """Every quoted `FAPILOG_*` string in fapilog's source (its tests left out)."""
    import fapilog

    found: set[str] = set()
    package = Path(fapilog.__file__).parent
    for path in package.rglob("*.py"):
        if "tests" not in path.relative_to(package).parts:
            found.update(QUOTED_NAME.findall(path.read_text(encoding="utf-8")))
    return frozenset(found)


def check_env_var(name: str, prefix_only: bool = False) -> list[str]:
    """Problems with an environment variable name such as FAPILOG_CORE__LOG_LEVEL.

    prefix_only: the name is written as the start of a family (FAPILOG_HTTP__*,
    FAPILOG_SINK_CONFIG__<SINK>__<KEY>), so it only has to lead somewhere.
    """
    upper = name.upper()
    if upper in variables_fapilog_reads():
        return []
    if prefix_only and any(v.startswith(upper) for v in variables_fapilog_reads()):
        return []
    body = upper.removeprefix(ENV_PREFIX)
    segments = [s.lower() for s in body.split("__")]
    if prefix_only:
        segments = [s for s in segments if s]
        if not segments:
            return []
    if not all(segments):
        return [f"{name}: empty segment (a single '_' joins words, '__' steps into a group)"]
    problems = resolve(segments)
    if not problems:
        return []
    close = difflib.get_close_matches(upper, sorted(variables_fapilog_reads()), n=1, cutoff=0.85)
    hint = f" (fapilog also reads {close[0]})" if close else ""
    return [f"{name} is not a variable fapilog reads: {problems[0]}{hint}"]
