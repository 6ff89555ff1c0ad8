"""Evaluation fragments of pages: ``hub/templates/evaluation/NAME.html.j2`` rendered from hub.evaluation.views by
hub.rendering (autoescaped: a plugin's name, a finding's text or a failure message can
never inject markup; strict: a misspelt field fails the build). Records differ by outcome
(a crash has no benchmark): entries are passed in as their models dump them, every
declared field present (None when unmeasured, shown as "—" by the filters), and open
figures tested with `is defined`.

SECTIONS is the one list of fragments. A hand-written page asks for one with a
``<!-- hub:evaluation-NAME -->`` line (hub/site.py hands them to hub.blocks, whose marker
syntax every page block uses); a generated plugin page gets its "plugin" section rendered
by hub/site.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub import rendering
from hub.catalog import builtins
from hub.evaluation import bench, conformance, corpus, tiers
from hub.evaluation import results as recorded
from hub.evaluation.views import Results, Targets, all_views, target_view
from hub.names import PLUGIN_TYPES


def render(name: str, **context: Any) -> str:
    return rendering.fragment(f"evaluation/{name}.html.j2", **context)


def _plugin(results: Results, targets: Targets, plugin_id: str | None) -> str:
    target = targets.get(plugin_id or "")
    if target is None:
        raise KeyError(f"no catalog plugin {plugin_id!r} to show an evaluation for")
    return render("plugin", **target_view(results, target))


def _rules(results: Results, targets: Targets, plugin_id: str | None) -> str:
    return render("rules", rules=tiers.RULES, tiers=tiers.TIERS)


def _checks(results: Results, targets: Targets, plugin_id: str | None) -> str:
    return render("checks", checks=conformance.CHECKS)


def _corpus(results: Results, targets: Targets, plugin_id: str | None) -> str:
    return render("corpus", categories=corpus.CATEGORIES, **corpus.statistics())


def _presets(results: Results, targets: Targets, plugin_id: str | None) -> str:
    meta = results.preset_scorecards()
    scorecards = (meta or {}).get("scorecards", {})
    return render("scorecards", title="configuration", scorecards=scorecards, meta=meta, categories=corpus.CATEGORIES)


def _redactors(results: Results, targets: Targets, plugin_id: str | None) -> str:
    cards = {}
    meta = None
    for view in all_views(results, targets):
        if view["plugin_id"].startswith("redactor/") and view["record"] and view["record"].get("compliance"):
            cards[view["plugin_id"].split("/", 1)[1]] = view["record"]["compliance"]
            meta = view["entry"]
    return render("scorecards", title="redactor", scorecards=cards, meta=meta, categories=corpus.CATEGORIES)


def _summary(results: Results, targets: Targets, plugin_id: str | None) -> str:
    return render("summary", views=all_views(results, targets), types=PLUGIN_TYPES)


def _benchmarks(results: Results, targets: Targets, plugin_id: str | None) -> str:
    plugins = {v["plugin_id"]: v["record"] or {} for v in all_views(results, targets)}
    tables = {t: bench.comparison_rows(plugins, t) for t in PLUGIN_TYPES}
    return render("benchmarks", tables=tables, references=dict(builtins.load().references))


def _timings(results: Results, targets: Targets, plugin_id: str | None) -> str:
    return render("timings", timings=recorded.timings())


# name -> the function that renders it (the marker's optional second word is a plugin id)
SECTIONS: dict[str, Callable[[Results, Targets, str | None], str]] = {
    "plugin": _plugin,
    "rules": _rules,
    "checks": _checks,
    "corpus": _corpus,
    "presets": _presets,
    "redactors": _redactors,
    "summary": _summary,
    "benchmarks": _benchmarks,
    "timings": _timings,
}


# The sections a hand-written page can ask for ("plugin" needs a plugin id: generated pages only).
PAGE_SECTIONS = tuple(name for name in SECTIONS if name != "plugin")


def section(name: str, results: Results, targets: Targets, plugin_id: str | None = None) -> str:
    """One named fragment for the quality page (or any page using a marker)."""
    if name not in SECTIONS:
        raise KeyError(f"no evaluation section named {name!r}")
    return SECTIONS[name](results, targets, plugin_id)
