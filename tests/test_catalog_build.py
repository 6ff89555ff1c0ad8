"""The built site carries the whole catalog: every built-in, the project's external plugins, the data files."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

from jsonschema import Draft202012Validator

from catalog_support import BUILTINS, registered
from support import Build

EXTERNAL = registered()
assert {("sink", "sqlite"), ("redactor", "pii_text"), ("sink", "audit")} <= EXTERNAL
EXPECTED = {(t, n) for t, names in BUILTINS.items() for n in names} | EXTERNAL


def read(build: Build, path: str) -> str:
    return (build.site_dir / path).read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """What a reader sees: tags (such as the highlighter's spans) removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_plugin_has_a_page_and_a_card(built_site: Build):
    assert built_site.returncode == 0, built_site.log
    index = read(built_site, "catalog/index.html")
    cards = set(re.findall(r'<li class="hub-card" id="([a-z]+)-([a-z0-9_]+)"', index))
    assert cards == EXPECTED
    for plugin_type, name in EXPECTED:
        page = read(built_site, f"catalog/{plugin_type}/{name}/index.html")
        assert f'<h1 id="{name}">{name}<' in page, name
        assert "Where this page comes from" in page


def test_catalog_json_lists_them_all_and_follows_its_published_schema(built_site: Build):
    data = json.loads(read(built_site, "catalog/catalog.json"))
    assert {(p["type"], p["name"]) for p in data["plugins"]} == EXPECTED
    assert data["plugin_count"] == len(EXPECTED) and data["fapilog_version"] == "0.18.1"
    schema = json.loads(read(built_site, "schemas/catalog-1.schema.json"))
    assert data["$schema"].endswith("/schemas/catalog-1.schema.json")
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    by_id = {p["id"]: p for p in data["plugins"]}
    assert by_id["sink/cloudwatch"]["install"]["pip"] == 'pip install "fapilog[aws]"'
    assert by_id["sink/postgres"]["extra"] == "postgres"
    assert by_id["sink/sqlite"]["support"]["tier"] == "verified" and by_id["sink/sqlite"]["verified_in_build"]
    assert by_id["sink/sqlite"]["release"]["status"] == "not-on-pypi"
    assert by_id["enricher/runtime_info"]["release"]["date"] == "2026-02-20"
    assert {s["path"] for s in data["sources"]} >= {
        "registry/plugins/",
        "registry/releases.json",
        "registry/builtins.yml",
    }


def test_registry_schema_is_published(built_site: Build):
    published = json.loads(read(built_site, "schemas/plugin-entry-1.schema.json"))
    assert published["$id"].endswith("/schemas/plugin-entry-1.schema.json")
    Draft202012Validator.check_schema(published)


def test_feed_lists_the_registered_plugins(built_site: Build):
    feed = ET.fromstring(read(built_site, "catalog/feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = sorted(e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns))
    assert titles == [
        "audit (sink, fapilog-audit)",
        "integrity (enricher, fapilog-tamper)",
        "pii_text (redactor, fapilog-pii-text)",
        "sealed (sink, fapilog-tamper)",
        "sqlite (sink, fapilog-sqlite)",
    ]


def test_plugin_pages_show_install_usage_configuration_and_provenance(built_site: Build):
    page = text_of(read(built_site, "catalog/sink/sqlite/index.html"))
    for text in (
        "fapilog-sqlite @ git+https://github.com/fapilog/fapilog-hub#subdirectory=examples/plugins/fapilog-sqlite",
        "uv lock --upgrade-package fapilog-sqlite",
        "constraints.txt",
        "executed by the tests",
        "registry/plugins/fapilog-sqlite.yml",
        "fapilog.sinks: sqlite = fapilog_sqlite:SqliteSink",
        "Not published on PyPI",
    ):
        assert text in page, text
    cloudwatch = text_of(read(built_site, "catalog/sink/cloudwatch/index.html"))
    assert "not executed" in cloudwatch and "AWS credentials" in cloudwatch
    enricher = text_of(read(built_site, "catalog/enricher/runtime_info/index.html"))
    assert "is_plugin_api_compatible" in enricher  # the API-version surprise is on the page
    field_mask = text_of(read(built_site, "catalog/redactor/field_mask/index.html"))
    assert "Output recorded by the tests" in field_mask and '"password":"***"' in field_mask
