"""What each catalog plugin contributes to a composed stack: the data the page's composer reads.

One job: turn catalog entries into the small per-plugin records that
``overrides/assets/javascripts/composer.js`` (the only implementation of the composition)
combines into install lines, builder code, settings and warnings. Everything the script
needs to know about fapilog is decided here, from fapilog 0.18.1's source:

- ``builder``: the ``LoggerBuilder`` call that sets the plugin up, or ``None`` where the
  builder has no method that works (the composer then writes ``Settings`` code instead);
- ``settings``: the same configuration as a ``Settings`` tree, besides the plugin's name in
  ``core.<list>`` (tests/e2e/test_composer.py checks that both give fapilog the same
  Settings);
- ``env_json``: the settings paths whose value is one environment variable holding JSON
  (fapilog's free-form ``dict`` fields: pydantic-settings splits model fields on ``__`` but
  leaves the inside of a ``dict`` field as strings unless the whole dict is JSON);
- ``traps``: the warnings the site documents, with the page that shows each.

The page embeds the records as JSON in an attribute of the composer's element
(``data-composer``), HTML-escaped by the template's autoescape. Not in a ``<script
type="application/json">`` block: Material's instant navigation re-creates every inline
script of the page it swaps in from the script's text alone (its bundle's ``n.textContent
= o.textContent``), so the JSON would be run as JavaScript and lose its id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hub.catalog.models import Catalog, CatalogEntry
from hub.checks import fapilog_model

# Each type's list in fapilog's settings: core.sinks, core.enrichers, ...
LISTS = {
    "sink": "sinks",
    "enricher": "enrichers",
    "redactor": "redactors",
    "processor": "processors",
    "filter": "filters",
}

# Placeholders the reader replaces; the tests swap the two HTTP ones for a local receiver.
HTTP_ENDPOINT = "https://logs.example.com/ingest"
WEBHOOK_ENDPOINT = "https://hooks.example.com/logs"
LOKI_URL = "http://localhost:3100"
POSTGRES_DSN = "postgresql://app@localhost:5432/app"
CLOUDWATCH_GROUP = "/my-app/logs"
FILE_DIRECTORY = "logs"
TRUNCATE_AT = 256  # above the 24 characters of a timestamp and the 36 of an id, which it cuts too


def literal(value: Any) -> str:
    """Python source for a value: strings in double quotes (JSON's escapes are Python's too)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {value!r}")


def call(method: str, *args: Any, **kwargs: Any) -> str:
    parts = [literal(a) for a in args] + [f"{k}={literal(v)}" for k, v in kwargs.items()]
    return f"{method}({', '.join(parts)})"


@dataclass(frozen=True)
class Recipe:
    builder: str | None  # None: LoggerBuilder has no working method for it in 0.18.1
    settings: dict[str, Any] = field(default_factory=dict)
    traps: tuple[str, ...] = ()


# fapilog's built-ins. The settings are what the builder call changes from fapilog's
# defaults: tests/e2e/test_composer.py checks that the Python and environment outputs
# give fapilog the same Settings, for every plugin and a sample of combinations.
BUILTIN: dict[str, Recipe] = {
    "sink/stdout_json": Recipe(call("add_stdout")),
    "sink/stdout_pretty": Recipe(call("add_stdout_pretty")),
    "sink/rotating_file": Recipe(
        call("add_file", FILE_DIRECTORY), {"sink_config": {"rotating_file": {"directory": FILE_DIRECTORY}}}
    ),
    # add_http() stores the endpoint under sink_config.http, which the sink does not read
    # (fapilog/core/config_builders.py builds it from the top-level `http` settings).
    "sink/http": Recipe(None, {"http": {"endpoint": HTTP_ENDPOINT}}, ("add_http",)),
    "sink/webhook": Recipe(
        call("add_webhook", WEBHOOK_ENDPOINT), {"sink_config": {"webhook": {"endpoint": WEBHOOK_ENDPOINT}}}
    ),
    "sink/loki": Recipe(call("add_loki", LOKI_URL), {"sink_config": {"loki": {"url": LOKI_URL}}}, ("batching",)),
    "sink/postgres": Recipe(
        call("add_postgres", dsn=POSTGRES_DSN), {"sink_config": {"postgres": {"dsn": POSTGRES_DSN}}}, ("batching",)
    ),
    "sink/cloudwatch": Recipe(
        call("add_cloudwatch", CLOUDWATCH_GROUP),
        {"sink_config": {"cloudwatch": {"log_group_name": CLOUDWATCH_GROUP}}},
        ("batching",),
    ),
    # The routing sink has no builder method (with_routing() configures sink_routing, a
    # different mechanism); the routes are the example of its catalog page.
    "sink/routing": Recipe(
        None, {"sink_config": {"extra": {"routing": {"routes": {"ERROR": ["stdout_json"], "*": ["stdout_pretty"]}}}}}
    ),
    "enricher/runtime_info": Recipe(call("with_enrichers", "runtime_info")),
    "enricher/context_vars": Recipe(call("with_enrichers", "context_vars")),
    "enricher/kubernetes": Recipe(call("with_enrichers", "kubernetes")),
    "redactor/field_mask": Recipe(
        call("with_redaction", fields=["password"]),
        {"redactor_config": {"field_mask": {"fields_to_mask": ["data.password"], "block_on_unredactable": False}}},
    ),
    "redactor/regex_mask": Recipe(
        call("with_redaction", patterns=["(?i).*token.*"]),
        {"redactor_config": {"regex_mask": {"patterns": ["(?i).*token.*"], "block_on_unredactable": False}}},
    ),
    "redactor/url_credentials": Recipe(call("with_redaction", url_credentials=True)),
    "redactor/field_blocker": Recipe(
        call("with_redaction", block_fields=["body"]),
        {"redactor_config": {"field_blocker": {"blocked_fields": ["body"]}}},
    ),
    # with_redaction(max_string_length=...) writes redactor_config.string_truncate, which
    # fapilog/core/config_builders.py never passes to the redactor; "extra" reaches it.
    "redactor/string_truncate": Recipe(
        None,
        {"redactor_config": {"extra": {"string_truncate": {"max_string_length": TRUNCATE_AT}}}},
        ("string_truncate",),
    ),
    "processor/size_guard": Recipe(
        call("with_size_guard", max_bytes="256 KB", action="drop"),
        {"processor_config": {"size_guard": {"max_bytes": "256 KB", "action": "drop"}}},
    ),
    "processor/zero_copy": Recipe(None),
    "filter/level": Recipe(call("with_filters", "level"), traps=("level_filter",)),
    "filter/sampling": Recipe(
        call("with_sampling", rate=0.5, seed=7),
        {"filter_config": {"sampling": {"sample_rate": 0.5, "seed": 7}}},
        ("sampling",),
    ),
    "filter/rate_limit": Recipe(
        call("with_rate_limit", capacity=10, refill_rate=5.0),
        {
            "filter_config": {
                "rate_limit": {"capacity": 10, "refill_rate_per_sec": 5.0, "max_keys": 10000, "overflow_action": "drop"}
            }
        },
    ),
    "filter/adaptive_sampling": Recipe(
        call("with_adaptive_sampling", target_events_per_sec=1000.0),
        {
            "filter_config": {
                "adaptive_sampling": {
                    "min_sample_rate": 0.01,
                    "max_sample_rate": 1.0,
                    "target_eps": 1000.0,
                    "window_seconds": 60.0,
                }
            }
        },
    ),
    "filter/trace_sampling": Recipe(
        call("with_trace_sampling", default_rate=0.5),
        {"filter_config": {"trace_sampling": {"sample_rate": 0.5}}},
        ("trace_sampling",),
    ),
    "filter/first_occurrence": Recipe(
        call("with_first_occurrence", window_seconds=60.0),
        {"filter_config": {"first_occurrence": {"window_seconds": 60.0, "max_keys": 10000}}},
    ),
}

# Sinks whose write_serialized() receives events once a processor is on: the others get
# nothing (no such method), or are never started on that path (rotating_file). Read from
# fapilog 0.18.1's sinks; tests/test_catalog_composer.py checks it against the classes.
SERIALIZED_SINKS = frozenset({"stdout_json", "http", "webhook", "loki", "cloudwatch", "postgres"})

# The warnings, with the page that shows each trap (links relative to the catalog page).
TRAPS: dict[str, dict[str, str]] = {
    "filters_level_gate": {
        "text": (
            "Any filter removes fapilog's level gate: with {filters} and no level filter, DEBUG events "
            "are kept again whatever log_level says. Add the level filter."
        ),
        "link": "../guides/performance-tuning/#sampling-and-other-filters",
    },
    "level_filter": {
        "text": (
            "The level filter does not read log_level: it keeps INFO and above unless "
            "filter_config.level.min_level is set."
        ),
        "link": "../guides/performance-tuning/#sampling-and-other-filters",
    },
    "sampling": {
        "text": "The sampling filter samples every level: errors are dropped at the same rate as the rest.",
        "link": "../guides/performance-tuning/#sampling-and-other-filters",
    },
    "trace_sampling": {
        "text": (
            "trace_sampling looks for trace_id at the top of the event, but fapilog 0.18.1 files it under "
            "context: each event is sampled on its own, not by trace."
        ),
        "link": "filter/trace_sampling/",
    },
    "redactors_replace_default": {
        "text": (
            "Listing redactors replaces fapilog's default list, which is url_credentials alone (the "
            "builder's with_redaction() does the same): passwords inside URLs are then written. "
            "Add the url_credentials redactor."
        ),
        "link": "../tutorials/04-redaction-and-compliance/#3-credentials-in-urls",
    },
    "enrichers_replace_default": {
        "text": (
            "Listing enrichers replaces fapilog's default list, runtime_info and context_vars: events "
            "lose the fields of {missing}. Add {missing} to keep them."
        ),
        "link": "enricher/runtime_info/",
    },
    "processors_serialize": {
        "text": (
            "Processors run only with serialize_in_flush on; listing a processor does not turn it on. "
            "The settings here turn it on."
        ),
        "link": "../guides/performance-tuning/#size-guard-and-zero-copy-processors",
    },
    "processors_sinks": {
        "text": (
            "With a processor, each event goes to the sinks' write_serialized() only: {sinks} would "
            "receive nothing. Keep processors for stdout_json and network sinks."
        ),
        "link": "../guides/troubleshooting/#events-vanished-after-i-turned-on-size_guard",
    },
    "add_http": {
        "text": (
            "LoggerBuilder.add_http() loses its endpoint in fapilog 0.18.1 (the http sink reads the "
            "top-level http settings): the code configures http={...} instead."
        ),
        "link": "../guides/troubleshooting/#loggerbuilderadd_http-sends-nothing",
    },
    "string_truncate": {
        "text": (
            "with_redaction(max_string_length=...) loads string_truncate without its limit in fapilog "
            "0.18.1: the code configures it under redactor_config.extra. It cuts every string, "
            "timestamps and ids included, so keep the limit above 36."
        ),
        "link": "../guides/performance-tuning/#size-guard-and-zero-copy-processors",
    },
    "batching": {
        "text": (
            "{sinks} send a batch when it holds 100 events or after 5 seconds, and draining does not send "
            "a partial batch in fapilog 0.18.1: a short program loses its last events."
        ),
        "link": "../guides/troubleshooting/#a-batching-sink-lost-my-last-events",
    },
    "env_settings": {
        "text": (
            "Read the environment variables with get_logger(settings=Settings()) or "
            "runtime(settings=Settings()): without settings=, fapilog 0.18.1 also puts a stdout sink in "
            "front of yours and adds the enrichers of the environment it detects."
        ),
        "link": "../guides/enterprise-integration/#configuration-by-environment-variables",
    },
    "external": {
        "text": (
            "fapilog loads plugins from other packages only with plugins.allow_external on, and only "
            "warns when one fails to load. The settings here turn it on."
        ),
        "link": "submit/",
    },
    "no_builder": {
        "text": (
            "LoggerBuilder has no working method for {plugins} in fapilog 0.18.1, so the Python code "
            "builds Settings instead of a builder."
        ),
        "link": "../reference/builders/",
    },
}


def recipe(entry: CatalogEntry) -> Recipe:
    if entry.origin == "builtin":
        return BUILTIN[entry.id]
    # Plugins from other packages: enrichers and filters have builder methods that take
    # any name; sinks, redactors and processors have none. Their own defaults apply.
    if entry.type in ("enricher", "filter"):
        return Recipe(call(f"with_{LISTS[entry.type]}", entry.name))
    return Recipe(None)


def composable(catalog: Catalog) -> list[CatalogEntry]:
    """The plugins a stack can name in fapilog's settings (mmap_persistence cannot be)."""
    return [p for p in catalog.plugins if p.loadable_by_name and p.compatibility.status != "incompatible"]


def _leaf_paths(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            paths.extend(_leaf_paths(value, (*prefix, key)))
        else:
            paths.append((*prefix, key))
    return paths


def json_path(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The prefix of path that is a free-form dict field of fapilog's Settings, if any."""
    annotation: Any = fapilog_model.settings_model()
    for depth, key in enumerate(path):
        annotation = fapilog_model.unwrap(annotation)
        if fapilog_model.is_dict(annotation):
            return path[:depth]
        keys = fapilog_model.model_keys(annotation) if fapilog_model.is_model(annotation) else {}
        if key not in keys:
            raise ValueError(f"{'.'.join(path)} is not a settings path of fapilog")
        annotation = keys[key]
    return path if fapilog_model.is_dict(fapilog_model.unwrap(annotation)) else None


def plugin_record(entry: CatalogEntry) -> dict[str, Any]:
    r = recipe(entry)
    env_json = sorted({".".join(p) for p in map(json_path, _leaf_paths(r.settings)) if p})
    return {
        "id": entry.id,
        "type": entry.type,
        "name": entry.name,
        "list": LISTS[entry.type],
        "external": entry.origin == "external",
        "extra": entry.extra,
        # What pip installs for an external plugin, exactly as its catalog entry says.
        "requirement": entry.install.requirement if entry.origin == "external" else None,
        "builder": r.builder,
        "settings": r.settings,
        "env_json": env_json,
        "traps": list(r.traps),
        "serialized": entry.name in SERIALIZED_SINKS if entry.type == "sink" else None,
        "batching": "batching" in r.traps,
    }


def data(catalog: Catalog) -> dict[str, Any]:
    return {
        "fapilog_version": catalog.fapilog_version,
        "plugins": [plugin_record(p) for p in composable(catalog)],
        "traps": TRAPS,
    }


def page_json(value: Any) -> str:
    """JSON with no <, >, & or line separator in it, even inside registry text.

    The template escapes it for its attribute anyway; these JSON escapes keep any HTML or
    Markdown processing of the page from ever seeing markup in it.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


# The composer's outputs, in the order the page shows them, with their labels.
OUTPUTS = (
    ("pip", "Install with pip"),
    ("uv", "Install with uv"),
    ("python", "Python (LoggerBuilder, or Settings where the builder cannot)"),
    ("env", "Environment variables"),
)


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    external: bool


def groups(catalog: Catalog) -> list[tuple[str, list[Choice]]]:
    """The composer's checkboxes, one group per plugin type, in the catalog's order."""
    out: dict[str, list[Choice]] = {}
    for p in composable(catalog):
        out.setdefault(p.type, []).append(Choice(p.id, p.name, p.origin == "external"))
    return list(out.items())
