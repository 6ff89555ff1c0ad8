"""The build's only entry into the `hub` package (wired in by `hooks:` in mkdocs.yml).

Kept thin on purpose: each event calls a function of the package, so everything it
does is testable without running MkDocs.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from hub import blocks, notebooks, placeholders, project, site
from hub.catalog.discover import DiscoveryFailed
from hub.catalog.registry import RegistryInvalid
from hub.evaluation.models import ResultsError
from hub.reviews.store import ReviewsInvalid

log = logging.getLogger("mkdocs.hooks.hub")
# What on_files loaded for this build, read again by on_page_markdown for the marker pages.
_sources: site.Sources | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    pinned = project.pinned_fapilog_version()
    installed = project.installed_fapilog_version()
    if pinned != installed:
        # Pages say "verified against fapilog X"; building with another version would lie.
        raise PluginError(
            f"fapilog {installed} is installed but pyproject.toml pins {pinned}; "
            "reinstall the pinned dependencies (nox does this for you)"
        )
    config.extra["fapilog_version"] = pinned
    config.extra["repo_slug"] = project.github_slug(config.repo_url)
    return config


# Runs before mkdocs-jupyter's on_files (default priority 0) so that it wraps the
# notebooks added here like any notebook found in docs/.
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    problems = []
    for path in notebooks.find_notebooks():
        try:
            notebooks.check_publishable(path)
        except notebooks.NotebookError as exc:
            problems.append(str(exc))
            continue
        src_uri = path.relative_to(project.ROOT).as_posix()
        # A File rooted at the repository (not File.generated): mkdocs-jupyter's wrapper
        # reads the source path from src_dir, which generated files do not have.
        files.append(File(src_uri, str(project.ROOT), config.site_dir, config.use_directory_urls))
    if problems:
        raise PluginError("notebooks not fit to publish:\n" + "\n".join(problems))
    add_catalog(files, config)
    return files


def add_catalog(files: Files, config: MkDocsConfig) -> None:
    """The generated pages and data files (catalog, plugin pages, metrics), from hub/site.py."""
    global _sources
    try:
        generated = site.generate(config.site_url or "/", repo_url=config.repo_url)
    except (RegistryInvalid, ReviewsInvalid, DiscoveryFailed, ResultsError) as exc:
        raise PluginError(str(exc)) from exc
    _sources = generated.sources
    for problem in generated.problems:
        log.warning("catalog: %s", problem)
    for path, content in generated.files.items():
        # Plugin pages are reached from the catalog index, not from the navigation.
        inclusion = InclusionLevel.UNDEFINED if path in generated.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, path, content=content, inclusion=inclusion))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = placeholders.fill(markdown, {"fapilog_version": config.extra["fapilog_version"]})
    if _sources is None:
        raise PluginError("a page was rendered before on_files loaded the build's sources")
    # `<!-- hub:NAME -->` lines: contributors, events, support, chat, quality gates (hub.blocks)
    # and the evaluation's fragments (`hub:evaluation-NAME`, from this build's sources).
    try:
        return blocks.fill(markdown, blocks.Where(page_url=page.url, extra=config.extra), site.page_blocks(_sources))
    except blocks.BlockError as exc:
        raise PluginError(str(exc)) from exc


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    src_uri = page.file.src_uri
    if src_uri.endswith(".ipynb"):
        slug = config.extra["repo_slug"]
        page.meta["notebook"] = notebooks.launch_links(src_uri, slug)
        # Generated files have no edit link of their own; point it at the notebook.
        page.edit_url = f"https://github.com/{slug}/edit/main/{src_uri}"
    return context
