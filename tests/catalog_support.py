"""Shared helpers for the catalog's tests: fapilog's built-ins, and hand-made catalog inputs."""

from __future__ import annotations

import datetime as dt

from hub.catalog import assemble
from hub.catalog.models import DiscoveredPlugin, Discovery, Environment, RegistryEntry, ReleaseData


# fapilog 0.18.1's built-ins: 25 registered under a name, plus mmap_persistence, which
# carries PLUGIN_METADATA but is not registered (a building block for custom sinks).
def registered() -> set[tuple[str, str]]:
    """(type, name) of every plugin the real registry lists (registry/plugins/*.yml)."""
    from hub.catalog import registry

    return {(p.type, p.name) for e in registry.load_valid().values() for p in e.plugins}


BUILTINS = {
    "sink": {
        "stdout_json",
        "stdout_pretty",
        "rotating_file",
        "http",
        "webhook",
        "cloudwatch",
        "loki",
        "postgres",
        "routing",
        "mmap_persistence",
    },
    "enricher": {"runtime_info", "context_vars", "kubernetes"},
    "redactor": {"field_mask", "regex_mask", "url_credentials", "field_blocker", "string_truncate"},
    "processor": {"zero_copy", "size_guard"},
    "filter": {"level", "sampling", "rate_limit", "adaptive_sampling", "trace_sampling", "first_occurrence"},
}

ENV = Environment(
    python="3.11.7",
    fapilog_version="0.18.1",
    plugin_api_version="1.0",
    fapilog_requires_python=">=3.10",
    fapilog_license="Apache-2.0",
)
TODAY = dt.date(2026, 11, 26)


def entry(**changes) -> RegistryEntry:
    data = {
        "package": "fapilog-example",
        "description": "Sends log events somewhere useful, quickly and safely.",
        "plugins": [{"type": "sink", "name": "example"}],
        "repository": "https://github.com/example/fapilog-example",
        "maintainers": [{"name": "Example Maintainer", "github": "example"}],
        "license": "MIT",
        "date_added": "2026-11-01",
        "support": {"tier": "community"},
        "pricing": "free",
        "compatibility": {"fapilog": ">=0.18,<0.19"},
        **changes,
    }
    return RegistryEntry.model_validate(data)


def installed(name="example", plugin_type="sink", distribution="fapilog-example", **changes) -> DiscoveredPlugin:
    data = {
        "type": plugin_type,
        "name": name,
        "origin": "entry-point",
        "distribution": distribution,
        "distribution_version": "1.2.0",
        "target": f"{distribution.replace('-', '_')}:Plugin",
        "entry_point": f"fapilog.{plugin_type}s: {name} = {distribution.replace('-', '_')}:Plugin",
        "registered": True,
        "metadata": {
            "name": name,
            "plugin_type": plugin_type,
            "version": "1.2.0",
            "api_version": "1.0",
            "compatibility": {"min_fapilog_version": "0.18.0"},
        },
        **changes,
    }
    return DiscoveredPlugin(**data)


def build(registry: dict, plugins: list[DiscoveredPlugin], records: dict | None = None):
    data = ReleaseData(note="test fixture", packages=records or {})
    return assemble.assemble(registry, Discovery(environment=ENV, plugins=plugins), data)
