"""The discovery probe (hub/catalog/probe.py) reports the same facts on every run.

Each probe is a new interpreter with its own hash seed (`python -I` ignores
PYTHONHASHSEED), so anything fapilog derives from a set would change order from build to
build: field_blocker's default blocked_fields is `list(DEFAULT_BLOCKED_FIELDS)`, a frozenset.
"""

from __future__ import annotations

import types

from hub.catalog import discover
from hub.catalog.probe import set_defaults_sorted


def test_a_default_list_made_from_a_set_of_its_module_is_sorted():
    module = types.ModuleType("plugin")
    module.NAMES = frozenset({"token", "body", "raw"})
    module.ORDERED = ("b", "a")
    defaults = {"names": ["raw", "token", "body"], "ordered": ["b", "a"], "patterns": [{"x": 1}], "n": 3}
    assert set_defaults_sorted(defaults, module) == {
        "names": ["body", "raw", "token"],  # from the set: its order meant nothing
        "ordered": ["b", "a"],  # not from a set: kept as the plugin wrote it
        "patterns": [{"x": 1}],
        "n": 3,
    }
    assert set_defaults_sorted(None, module) is None


def test_two_probes_with_different_hash_seeds_report_the_same_plugins():
    first, second = discover.discover(), discover.discover()
    assert first.plugins == second.plugins
    [blocker] = [p for p in first.plugins if p.name == "field_blocker"]
    blocked = blocker.metadata["default_config"]["blocked_fields"]
    assert blocked == sorted(blocked) and len(blocked) > 1
