"""The catalog's files for the site: the one call hub/mkdocs_hooks.py makes.

registry files + installed plugins (probed in subprocesses) + recorded releases ->
pages, ``catalog.json``, the Atom feed and the published JSON Schemas, as a mapping from
site path to content. ``HUB_CATALOG_REGISTRY`` points the build at another registry
folder (the tests and the benchmark use this; nothing else should).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from hub.catalog import assemble, discover, registry, releases, render
from hub.catalog.models import Catalog, Discovery
from hub.evaluation import pages as evaluation_pages
from hub.project import ROOT
from hub.reviews import publish as reviews_publish
from hub.reviews import render as reviews_render

INDEX = "catalog/index.md"
SCHEMA_DIR = ROOT / "registry" / "schema"
CATALOG_SCHEMA_FILE = SCHEMA_DIR / "catalog.schema.json"
CATALOG_SCHEMA_PATH = "schemas/catalog-1.schema.json"
ENTRY_SCHEMA_PATH = "schemas/plugin-entry-1.schema.json"


@dataclass
class Generated:
    catalog: Catalog
    files: dict[str, str] = field(default_factory=dict)  # site path -> content
    problems: list[str] = field(default_factory=list)


def registry_dir() -> Path:
    return Path(os.environ.get("HUB_CATALOG_REGISTRY") or ROOT / "registry" / "plugins")


def catalog_schema() -> dict:
    """The JSON Schema of catalog.json, derived from the model (and committed, see tests)."""
    schema = Catalog.model_json_schema(by_alias=True, mode="serialization")
    schema["properties"] = {"$schema": {"type": "string", "description": "this schema's URL"}, **schema["properties"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://fapilog.github.io/fapilog-hub/{CATALOG_SCHEMA_PATH}",
        **schema,
    }


def generate(
    site_url: str,
    directory: Path | None = None,
    discovery: Discovery | None = None,
    repo_url: str = "https://github.com/fapilog/fapilog-hub",
) -> Generated:
    directory = directory or registry_dir()
    entries = registry.load_valid(directory)  # raises RegistryInvalid with every problem
    discovery = discovery or discover.discover_reusing()
    made = assemble.assemble(
        entries, discovery, releases.load(), registry_label=assemble.registry_label(directory, ROOT)
    )
    catalog = made.catalog
    # Later stages attach what they measured here, before rendering, by filling the
    # entries' optional slots (evaluation, quality_tier, reviews) from their recorded
    # results: one catalog format for pages and catalog.json alike.
    reviews = reviews_publish.attach(catalog)  # raises ReviewsInvalid with every problem
    evaluation_pages.annotate(catalog)  # evaluation slot and quality tier, from the results file
    base = site_url if site_url.endswith("/") else site_url + "/"
    files = {INDEX: render.index_page(catalog)}
    for entry in catalog.plugins:
        section = reviews_render.section(entry.id, entry.name, reviews[entry.id], repo_url)
        files[f"catalog/{entry.type}/{entry.name}.md"] = render.plugin_page(entry, section)
    files["catalog/catalog.json"] = render.catalog_json(catalog, base + CATALOG_SCHEMA_PATH)
    files["catalog/feed.xml"] = render.atom_feed(catalog, base)
    files[CATALOG_SCHEMA_PATH] = CATALOG_SCHEMA_FILE.read_text(encoding="utf-8")
    files[ENTRY_SCHEMA_PATH] = (SCHEMA_DIR / "plugin-entry.schema.json").read_text(encoding="utf-8")
    return Generated(catalog=catalog, files=files, problems=made.problems)


def write_catalog_schema(path: Path = CATALOG_SCHEMA_FILE) -> None:
    path.write_text(json.dumps(catalog_schema(), indent=2) + "\n", encoding="utf-8")
