"""What pages show about evaluated plugins: the stored results indexed, one view per plugin
(its record, compatibility matrix, tier rules and security findings), and the figures
catalog.json carries. Everything comes from ``registry/results/evaluations.json`` (read by
hub.evaluation.results) and from the code that defines the rules and checks; the targets
(what each plugin is evaluated as) are passed in, never re-read here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from packaging.version import Version

from hub.catalog.models import EvaluationSummary
from hub.evaluation import compatibility, conformance, corpus, models, plan, tiers
from hub.evaluation.plan import Target
from hub.evaluation.results import RESULTS_FILE, Store
from hub.project import ROOT, pinned_fapilog_version


class Results:
    """The stored results, indexed for pages."""

    def __init__(self, store: Store):
        self.store = store
        self.runner_version = store.meta.get("runner_version")
        self._full: dict[str, dict[str, Any] | None] = {}  # a build asks for each package several times

    def current(self) -> list[dict[str, Any]]:
        return [e for e in self.store.entries.values() if e.get("runner_version") == self.runner_version]

    def full_entry(self, package: str) -> dict[str, Any] | None:
        """The newest full evaluation of a package, every field of its model present.

        Validated and dumped once per package: the catalog summary, each plugin's section and
        the quality page's tables all read it. Callers only read what it returns.
        """
        if package not in self._full:
            entries = [e for e in self.current() if e["package"] == package and e.get("kind") == "full"]
            newest = max(entries, key=lambda e: Version(e["version"]), default=None)
            self._full[package] = None if newest is None else models.Entry.model_validate(newest).model_dump()
        return self._full[package]

    def compatibility(self, package: str, version: str | None, plugin_id: str, builtin: bool) -> dict[str, str]:
        rows = [e for e in self.current() if e["package"] == package and (builtin or e["version"] == version)]
        return compatibility.matrix(rows, plugin_id)

    def preset_scorecards(self) -> dict[str, Any] | None:
        found = [p for key, p in self.store.presets.items() if key.endswith(f"runner=={self.runner_version}")]
        return found[0] if found else None


Targets = dict[str, Target]  # every catalog plugin's evaluation target, by plugin id


def targets_of(entries: Mapping[str, Any], recorded: Any) -> Targets:
    """The targets of fapilog's built-ins and of the given registry entries (never re-read here)."""
    return {t.plugin_id: t for t in plan.catalog_targets(pinned_fapilog_version(), entries, recorded)}


def plugin_view(
    results: Results, package: str, plugin_id: str, *, builtin: bool, exemptions: Mapping[str, str]
) -> dict[str, Any]:
    """Everything a plugin page shows about its evaluation, with its tier."""
    entry = results.full_entry(package)
    record = (entry or {}).get("plugins", {}).get(plugin_id)
    matrix = results.compatibility(package, entry["version"] if entry else None, plugin_id, builtin)
    rules = tiers.judge(plugin_id, entry if record else None, matrix, dict(exemptions))
    security = (entry or {}).get("security") or {}
    own = (record or {}).get("source_file") or ""
    findings = [f for f in (security.get("bandit") or {}).get("findings", []) if not own or f["where"].startswith(own)]
    return {
        "plugin_id": plugin_id,
        "entry": entry,
        "record": record,
        "matrix": matrix,
        "rules": rules,
        "tier": tiers.tier(rules) if record else None,
        "security": security,
        "findings": findings,
        "finding_counts": Counter(f["severity"] for f in findings),
        "check_docs": conformance.CHECKS,
        "categories": corpus.CATEGORIES,
        "results_file": RESULTS_FILE.relative_to(ROOT).as_posix(),
    }


def target_view(results: Results, target: Target) -> dict[str, Any]:
    return plugin_view(results, target.package, target.plugin_id, builtin=target.builtin, exemptions=target.exemptions)


def all_views(results: Results, targets: Targets) -> list[dict[str, Any]]:
    return [target_view(results, t) for t in targets.values()]


def summary(view: dict[str, Any]) -> dict[str, Any] | None:
    """The figures catalog.json carries for one plugin (the page shows the full record)."""
    record, entry = view["record"], view["entry"]
    if not record:
        return None
    checks = record.get("conformance", [])
    bench_figures = record.get("bench") or {}
    security = entry.get("security") or {}
    return {
        "results_file": view["results_file"],
        "evaluated": entry["date"],
        "runner_version": entry["runner_version"],
        "status": record["status"],
        "failure": record.get("failure"),
        "checks_passed": sum(c["outcome"] == "passed" for c in checks),
        "checks_total": len(checks),
        "throughput_ratio": bench_figures.get("throughput_ratio"),
        "p95_ratio": bench_figures.get("p95_ratio"),
        "not_benchmarked": bench_figures.get("not_benchmarked"),
        "compatibility": view["matrix"],
        "bandit": dict(view["finding_counts"]) if (security.get("bandit") or {}).get("status") == "scanned" else None,
        "vulnerability_scan": (security.get("pip_audit") or {}).get("status"),
        "redaction_recall": (record.get("compliance") or {}).get("overall", {}).get("recall"),
        "redaction_precision": (record.get("compliance") or {}).get("overall", {}).get("precision"),
        "rules": {r.rule.id: r.status for r in view["rules"]},
    }


def evaluations(
    plugins: Iterable[tuple[str, str, bool]], results: Results, targets: Targets
) -> dict[str, tuple[EvaluationSummary, str | None]]:
    """(evaluation summary, quality tier) of every evaluated plugin among (id, package, builtin)."""
    found = {}
    for plugin_id, package, builtin in plugins:
        target = targets.get(plugin_id)
        view = plugin_view(results, package, plugin_id, builtin=builtin, exemptions=target.exemptions if target else {})
        figures = summary(view)
        if figures is not None:
            found[plugin_id] = (EvaluationSummary(**figures), view["tier"])
    return found


def load_results(path: Path = RESULTS_FILE) -> Results:
    """The results file, read once per change (a build renders many pages from it)."""
    return _load(path, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=2)
def _load(path: Path, mtime: int) -> Results:
    return Results(Store.load(path))
