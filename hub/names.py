"""Names the hub recognises, each defined once: fapilog's plugin types, their entry-point
groups, and the shape of a GitHub handle.

The two probe scripts (hub/catalog/probe.py and hub/evaluation/probe/plugins.py) run alone
in isolated interpreters (`python -I`, inside the sandbox for the second) and cannot import
the hub; each keeps its own copy of the groups, and tests/test_hub_names.py fails when a copy
disagrees with this module.
"""

from __future__ import annotations

from typing import Literal, get_args

PluginType = Literal["sink", "enricher", "redactor", "processor", "filter"]
PLUGIN_TYPES: tuple[PluginType, ...] = get_args(PluginType)
# fapilog reads external plugins from these groups (fapilog/plugins/loader.py): "fapilog.sinks"...
ENTRY_POINT_GROUPS: dict[PluginType, str] = {t: f"fapilog.{t}s" for t in PLUGIN_TYPES}

# GitHub's rule for user and organisation names: 1 to 39 letters, digits or single hyphens,
# not starting with a hyphen (the hyphen rules beyond the first character are GitHub's to enforce).
GITHUB_HANDLE_BODY = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
GITHUB_HANDLE = rf"^{GITHUB_HANDLE_BODY}$"
