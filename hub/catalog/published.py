"""What the catalog publishes besides its pages: where its files go and its JSON Schemas.

``HUB_CATALOG_REGISTRY`` points the build at another registry folder (the tests and the
benchmark use this; nothing else should). hub/site.py composes the catalog's files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hub.catalog import render
from hub.catalog.models import Catalog
from hub.project import ROOT

INDEX = "catalog/index.md"
SCHEMA_DIR = ROOT / "registry" / "schema"
CATALOG_SCHEMA_FILE = SCHEMA_DIR / "catalog.schema.json"
CATALOG_SCHEMA_PATH = "schemas/catalog-1.schema.json"
ENTRY_SCHEMA_PATH = "schemas/plugin-entry-1.schema.json"


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


def files(
    catalog: Catalog,
    site_url: str,
    review_sections: dict[str, str],
    evaluation_sections: dict[str, str],
    benchmarks_section: str = "",
) -> dict[str, str]:
    """Site path -> content: the index, a page per plugin, catalog.json, the feed, the schemas.

    The sections made by other parts come rendered: a plugin page's reviews and evaluation
    (by plugin id) and the index's benchmark tables.
    """
    base = site_url if site_url.endswith("/") else site_url + "/"
    out = {INDEX: render.index_page(catalog, benchmarks_section)}
    for entry in catalog.plugins:
        out[f"catalog/{entry.type}/{entry.name}.md"] = render.plugin_page(
            entry, review_sections[entry.id], evaluation_sections.get(entry.id, "")
        )
    out["catalog/catalog.json"] = render.catalog_json(catalog, base + CATALOG_SCHEMA_PATH)
    out["catalog/feed.xml"] = render.atom_feed(catalog, base)
    out[CATALOG_SCHEMA_PATH] = CATALOG_SCHEMA_FILE.read_text(encoding="utf-8")
    out[ENTRY_SCHEMA_PATH] = (SCHEMA_DIR / "plugin-entry.schema.json").read_text(encoding="utf-8")
    return out


def write_catalog_schema(path: Path = CATALOG_SCHEMA_FILE) -> None:
    path.write_text(json.dumps(catalog_schema(), indent=2) + "\n", encoding="utf-8")
