"""Evaluation results as HTML fragments for pages, rendered from the stored results only.

Markdown pages ask for a fragment with a marker line, ``<!-- evaluation: NAME -->``; the
build hook replaces it with the rendered template ``templates/NAME.html``. Everything
printed comes from ``registry/results/evaluations.json`` or from the code that defines the
rules, checks and corpus, through Jinja2 with autoescaping: a plugin's name, a finding's
text or a failure message can never inject markup.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from packaging.version import Version

from hub.catalog import builtins
from hub.catalog.models import EvaluationSummary
from hub.evaluation import bench, compatibility, conformance, corpus, models, plan, tiers
from hub.evaluation.plan import Target
from hub.evaluation.results import RESULTS_FILE, Store
from hub.names import PLUGIN_TYPES
from hub.project import ROOT, pinned_fapilog_version

MARKER = re.compile(r"^<!--\s*evaluation:\s*([a-z_]+)(?:\s+([a-z]+/[a-z0-9_]+))?\s*-->\s*$", re.MULTILINE)
TIMINGS_FILE = ROOT / "registry" / "results" / "timings.json"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    # A misspelt field fails the build. Records differ by outcome (a crash has no benchmark):
    # entries are passed in as their models dump them, every declared field present (None
    # when unmeasured, shown as "—" by the filters), and open figures tested with `is defined`.
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _missing(value: Any) -> bool:
    return value is None or isinstance(value, jinja2.Undefined)


_env.filters["pct"] = lambda v: "—" if _missing(v) else f"{v * 100:.0f}%"
_env.filters["ratio"] = lambda v: "—" if _missing(v) else f"{v:.2f}×"
_env.filters["num"] = lambda v, digits=0: "—" if _missing(v) else f"{v:,.{digits}f}"


class Results:
    """The stored results, indexed for pages."""

    def __init__(self, store: Store):
        self.store = store
        self.runner_version = store.meta.get("runner_version")

    def current(self) -> list[dict[str, Any]]:
        return [e for e in self.store.entries.values() if e.get("runner_version") == self.runner_version]

    def full_entry(self, package: str) -> dict[str, Any] | None:
        """The newest full evaluation of a package, every field of its model present."""
        entries = [e for e in self.current() if e["package"] == package and e.get("kind") == "full"]
        newest = max(entries, key=lambda e: Version(e["version"]), default=None)
        return None if newest is None else models.Entry.model_validate(newest).model_dump()

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


def render(name: str, **context: Any) -> str:
    return _env.get_template(f"{name}.html").render(**context)


def target_view(results: Results, target: Target) -> dict[str, Any]:
    return plugin_view(results, target.package, target.plugin_id, builtin=target.builtin, exemptions=target.exemptions)


def _all_views(results: Results, targets: Targets) -> list[dict[str, Any]]:
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


def section(name: str, results: Results, targets: Targets, plugin_id: str | None = None) -> str:
    """One named fragment for the quality page (or any page using a marker)."""
    if name == "plugin":
        target = targets.get(plugin_id or "")
        if target is None:
            raise KeyError(f"no catalog plugin {plugin_id!r} to show an evaluation for")
        return render("plugin", **target_view(results, target))
    if name == "rules":
        return render("rules", rules=tiers.RULES, tiers=tiers.TIERS)
    if name == "checks":
        return render("checks", checks=conformance.CHECKS)
    if name == "corpus":
        data = json.loads(corpus.CORPUS_FILE.read_text(encoding="utf-8"))
        counts: dict[str, Counter] = {c: Counter() for c in [*corpus.CATEGORIES, "unrelated"]}
        for record in data["records"]:
            for label in record["labels"]:
                counts[label["category"]]["sensitive" if label["sensitive"] else "other"] += 1
        shapes = Counter(r["shape"] for r in data["records"])
        return render(
            "corpus",
            categories=corpus.CATEGORIES,
            counts=counts,
            shapes=shapes,
            records=len(data["records"]),
            seed=data["seed"],
        )
    if name == "presets":
        return render(
            "scorecards",
            title="configuration",
            scorecards=(results.preset_scorecards() or {}).get("scorecards", {}),
            meta=results.preset_scorecards(),
            categories=corpus.CATEGORIES,
        )
    if name == "redactors":
        cards = {}
        meta = None
        for view in _all_views(results, targets):
            if view["plugin_id"].startswith("redactor/") and view["record"] and view["record"].get("compliance"):
                cards[view["plugin_id"].split("/", 1)[1]] = view["record"]["compliance"]
                meta = view["entry"]
        return render("scorecards", title="redactor", scorecards=cards, meta=meta, categories=corpus.CATEGORIES)
    if name == "summary":
        return render("summary", views=_all_views(results, targets), types=PLUGIN_TYPES)
    if name == "benchmarks":
        views = _all_views(results, targets)
        plugins = {v["plugin_id"]: v["record"] or {} for v in views}
        tables = {t: bench.comparison_rows(plugins, t) for t in PLUGIN_TYPES}
        return render("benchmarks", tables=tables, references=_references())
    if name == "timings":
        data = json.loads(TIMINGS_FILE.read_text(encoding="utf-8")) if TIMINGS_FILE.exists() else None
        return render("timings", timings=data)
    raise KeyError(f"no evaluation section named {name!r}")


def _references() -> dict[str, str]:
    return dict(builtins.load().references)


def load_results(path: Path = RESULTS_FILE) -> Results:
    """The results file, read once per change (a build renders many pages from it)."""
    return _load(path, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=2)
def _load(path: Path, mtime: int) -> Results:
    return Results(Store.load(path))


def fill(markdown: str, results: Results, targets: Targets) -> str:
    if "evaluation:" not in markdown:
        return markdown
    return MARKER.sub(lambda m: section(m[1], results, targets, m[2]), markdown)
