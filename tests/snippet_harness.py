"""Run one catalog usage snippet and record which plugins fapilog loaded.

Usage: python tests/snippet_harness.py SNIPPET.py RECORD.json [RUN_NAME]

fapilog does not fail when a configured plugin cannot be loaded: it warns on its
diagnostics channel and carries on without it. So a snippet that exits cleanly proves
nothing by itself; this wrapper records every successful ``load_plugin`` call (fapilog
resolves the function through its module at call time, so the wrapper sees them all)
and the test compares the record with the plugin the snippet is meant to enable.
RUN_NAME other than ``__main__`` only builds the settings (for snippets that cannot
run here).
"""

from __future__ import annotations

import json
import runpy
import sys

import fapilog.plugins.loader as loader

snippet, record = sys.argv[1], sys.argv[2]
run_name = sys.argv[3] if len(sys.argv) > 3 else "__main__"
loaded: list[list[str]] = []
original = loader.load_plugin


def recording_load_plugin(group, name, config=None, **kwargs):
    plugin = original(group, name, config, **kwargs)
    loaded.append([group, loader._normalize_plugin_name(name), type(plugin).__name__])
    return plugin


loader.load_plugin = recording_load_plugin
try:
    namespace = runpy.run_path(snippet, run_name=run_name)
finally:
    settings = None
    if "namespace" in globals():
        found = namespace.get("settings")
        settings = found.model_dump(mode="json") if hasattr(found, "model_dump") else None
    with open(record, "w", encoding="utf-8") as handle:
        json.dump({"loaded": loaded, "settings": settings}, handle)
