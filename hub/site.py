"""The composition root: every source the generated pages need, loaded once, then assembled.

    registry files, installed plugins, recorded releases  -> hub.catalog (the catalog)
    evaluation results + the catalog's evaluation targets -> hub.evaluation (summary, tier)
    review files                                          -> hub.reviews (aggregate, section)
    the finished catalog                                  -> hub.metrics (the dashboard)

`load()` reads; `assemble()` is pure: the assembled catalog and the loaded values in,
immutable catalog entries and page contents out. This module is the only one that knows all four packages; none of them
imports it or each other upward (docs/about/architecture.md, tests/test_hub_site.py).
hub/mkdocs_hooks.py calls `generate()` and, for the hand-written pages' blocks, `page_blocks()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hub import blocks
from hub.catalog import assemble as catalog_assemble
from hub.catalog import discover, published, registry, releases
from hub.catalog.models import Catalog, CatalogEntry, Discovery, EvaluationSummary, RegistryEntry, ReleaseData
from hub.evaluation import fragments as evaluation_fragments
from hub.evaluation import views as evaluation_views
from hub.metrics import page as metrics_page
from hub.project import ROOT
from hub.reviews import publish as reviews_publish
from hub.reviews import render as reviews_render
from hub.reviews.models import Review, summarise

REPO_URL = "https://github.com/fapilog/fapilog-hub"


@dataclass(frozen=True)
class Sources:
    """Everything read from disk (and the probed environment) for one build."""

    registry_label: str
    entries: dict[str, RegistryEntry]
    discovery: Discovery
    releases: ReleaseData
    results: evaluation_views.Results
    targets: evaluation_views.Targets


@dataclass(frozen=True)
class Generated:
    catalog: Catalog
    sources: Sources  # what it was made from (the hand-written pages' markers render from the same values)
    files: dict[str, str] = field(default_factory=dict)  # site path -> content
    in_nav: frozenset[str] = frozenset()  # the paths the navigation lists; the rest are linked
    problems: list[str] = field(default_factory=list)


def load(directory: Path | None = None, discovery: Discovery | None = None) -> Sources:
    directory = directory or published.registry_dir()
    entries = registry.load_valid(directory)  # raises RegistryInvalid with every problem
    recorded = releases.load()
    return Sources(
        registry_label=catalog_assemble.registry_label(directory, ROOT),
        entries=entries,
        discovery=discovery or discover.discover_reusing(),
        releases=recorded,
        results=evaluation_views.load_results(),
        # From the entries loaded above: a build of another registry judges its own plugins.
        targets=evaluation_views.targets_of(entries, recorded),
    )


def assemble(
    made: catalog_assemble.Assembled,
    sources: Sources,
    reviews: dict[str, list[Review]],
    site_url: str,
    repo_url: str = REPO_URL,
) -> Generated:
    """The catalog with its evaluation, tiers and reviews, and every generated file."""
    keys = [(p.id, p.package, p.origin == "builtin") for p in made.catalog.plugins]
    evaluated = evaluation_views.evaluations(keys, sources.results, sources.targets)
    plugins = [_finished(p, evaluated.get(p.id), reviews[p.id]) for p in made.catalog.plugins]
    catalog = made.catalog.model_copy(update={"plugins": plugins})
    sections = {p.id: reviews_render.section(p.id, p.name, reviews[p.id], repo_url) for p in plugins}
    evaluation = {
        p.id: evaluation_fragments.section("plugin", sources.results, sources.targets, p.id)
        for p in plugins
        if p.evaluation
    }
    benchmarks = evaluation_fragments.section("benchmarks", sources.results, sources.targets)
    files = published.files(catalog, site_url, sections, evaluation, benchmarks)
    # The dashboard counts the catalog's plugins, so it is made from this same catalog.
    files[metrics_page.PAGE] = metrics_page.build_page(catalog.plugins, catalog.fapilog_version, repo_url)
    return Generated(catalog, sources, files, frozenset({published.INDEX, metrics_page.PAGE}), made.problems)


def _finished(
    entry: CatalogEntry,
    evaluated: tuple[EvaluationSummary, str | None] | None,
    reviews: list[Review],
) -> CatalogEntry:
    summary, tier = evaluated if evaluated else (None, None)
    return entry.model_copy(
        update={
            "evaluation": summary,
            "quality_tier": tier,
            "reviews": summarise(reviews),
            "sources": [*entry.sources, reviews_publish.source_line(entry.id, reviews)],
        }
    )


def generate(
    site_url: str,
    directory: Path | None = None,
    discovery: Discovery | None = None,
    repo_url: str = REPO_URL,
) -> Generated:
    """Load every source, assemble the catalog, then everything made from it."""
    sources = load(directory, discovery)
    made = catalog_assemble.assemble(
        sources.entries, sources.discovery, sources.releases, registry_label=sources.registry_label
    )
    # Reviews are checked against the assembled catalog's plugin ids (built-ins included).
    reviews = reviews_publish.by_plugin([p.id for p in made.catalog.plugins])  # raises ReviewsInvalid
    return assemble(made, sources, reviews, site_url, repo_url)


def page_blocks(sources: Sources) -> dict[str, Callable[[blocks.Where], str]]:
    """The `<!-- hub:evaluation-NAME -->` blocks of hand-written pages, from this build's
    results and targets (hub.blocks holds the blocks made from data files and git)."""
    return {
        f"evaluation-{name}": lambda where, name=name: evaluation_fragments.section(
            name, sources.results, sources.targets
        )
        for name in evaluation_fragments.PAGE_SECTIONS
    }
