"""Catalog assembly, staleness, release records and rendering, from hand-made inputs (no subprocess)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from jsonschema import Draft202012Validator

from catalog_support import TODAY, build, entry, installed
from hub import rendering
from hub.catalog import assemble, published, releases, render, staleness, usage
from hub.catalog.models import Release

# --- staleness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("released", "state"),
    [
        (dt.date(2026, 11, 25), "active"),
        (dt.date(2025, 11, 27), "active"),  # 11 months and 30 days
        (dt.date(2025, 11, 26), "inactive"),  # exactly 12 months
        (dt.date(2024, 11, 27), "inactive"),
        (dt.date(2024, 11, 26), "archived"),  # exactly 24 months
        (dt.date(2019, 1, 1), "archived"),
    ],
)
def test_staleness_thresholds(released, state):
    assert staleness.state_for(released, TODAY)[0] == state


def test_month_arithmetic_counts_whole_months():
    assert staleness.months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 0
    assert staleness.months_between(dt.date(2026, 1, 31), dt.date(2026, 3, 31)) == 2


def test_staleness_is_judged_on_the_day_the_release_was_recorded():
    record = Release(
        status="published",
        version="1.0",
        date=dt.date(2025, 1, 10),
        source="https://pypi.org/pypi/x/json",
        recorded=dt.date(2026, 2, 1),
    )
    status = staleness.release_status(record)
    assert (status.state, status.state_reason) == (
        "inactive",
        "no release for 12 months as of 2026-02-01 (inactive after 12)",
    )


def test_packages_not_on_pypi_say_so():
    record = Release(status="not-on-pypi", source="https://pypi.org/pypi/x/json", recorded=TODAY)
    status = staleness.release_status(record)
    assert status.state == "unknown" and "not published on PyPI (checked 2026-11-26)" in status.state_reason
    assert staleness.release_status(None).status == "not-recorded"


# --- PyPI records (the response below is a fixture in the format of PyPI's JSON API) -----

PYPI_FIXTURE = {
    "info": {"name": "fapilog", "version": "0.18.1"},
    "urls": [
        {"filename": "fapilog-0.18.1-py3-none-any.whl", "upload_time_iso_8601": "2026-02-20T03:40:50.321556Z"},
        {"filename": "fapilog-0.18.1.tar.gz", "upload_time_iso_8601": "2026-02-20T03:40:51.977305Z"},
    ],
}


def test_refresh_records_release_dates_and_missing_packages(tmp_path):
    calls = []

    def fetch(url):
        calls.append(url)
        return (200, PYPI_FIXTURE) if "/fapilog/" in url else (404, None)

    path = tmp_path / "releases.json"
    data = releases.refresh(["fapilog", "fapilog-nowhere"], path=path, fetch=fetch, today=TODAY)
    assert calls == ["https://pypi.org/pypi/fapilog/json", "https://pypi.org/pypi/fapilog-nowhere/json"]
    assert data.packages["fapilog"] == Release(
        status="published", version="0.18.1", date=dt.date(2026, 2, 20), source=calls[0], recorded=TODAY
    )
    assert data.packages["fapilog-nowhere"].status == "not-on-pypi"
    assert releases.load(path) == data


def test_refresh_keeps_the_previous_record_when_pypi_fails(tmp_path):
    path = tmp_path / "releases.json"
    releases.refresh(["fapilog"], path=path, fetch=lambda url: (200, PYPI_FIXTURE), today=TODAY)

    def down(url):
        raise OSError("network unreachable")

    with pytest.raises(RuntimeError, match="fapilog: network unreachable"):
        releases.refresh(["fapilog"], path=path, fetch=down, today=TODAY + dt.timedelta(days=7))
    assert releases.load(path).packages["fapilog"].recorded == TODAY


def test_the_recorded_file_states_its_source_and_date():
    data = releases.load()
    assert "PyPI's JSON API" in data.note
    fapilog = data.packages["fapilog"]
    assert fapilog.source == "https://pypi.org/pypi/fapilog/json" and fapilog.version == "0.18.1"
    assert {name: r.status for name, r in data.packages.items()} == {
        "fapilog": "published",
        "fapilog-pii-text": "not-on-pypi",
        "fapilog-sqlite": "not-on-pypi",
    }


# --- assembly ----------------------------------------------------------------------------


def test_an_installed_registered_plugin_becomes_a_verified_entry():
    record = Release(
        status="published",
        version="1.2.0",
        date=dt.date(2026, 10, 1),
        source="https://pypi.org/pypi/fapilog-example/json",
        recorded=TODAY,
    )
    made = build({"registry/plugins/fapilog-example.yml": entry()}, [installed()], {"fapilog-example": record})
    assert made.problems == []
    [p] = made.catalog.plugins
    assert (p.id, p.origin, p.verified_in_build, p.usage.executed) == ("sink/example", "external", True, True)
    assert (
        p.install.pip == "pip install fapilog-example"
        and p.install.uv_upgrade == "uv lock --upgrade-package fapilog-example && uv sync"
    )
    assert p.release.state == "active" and p.compatibility.status == "compatible"
    assert [link.label for link in p.links] == ["Repository", "PyPI"]
    assert p.maintainers[0].url == "https://github.com/example"
    assert p.sources[0] == "registry/plugins/fapilog-example.yml"


def test_a_package_not_on_pypi_installs_from_its_repository():
    made = build({"f.yml": entry(install_url="git+https://github.com/example/repo#subdirectory=pkg")}, [installed()])
    assert (
        made.catalog.plugins[0].install.pip
        == 'pip install "fapilog-example @ git+https://github.com/example/repo#subdirectory=pkg"'
    )


def test_compatibility_is_checked_against_the_installed_fapilog():
    made = build({"f.yml": entry(compatibility={"fapilog": ">=0.19"})}, [installed()])
    assert made.catalog.plugins[0].compatibility.status == "incompatible"
    meta = {
        "name": "example",
        "plugin_type": "sink",
        "version": "1.0",
        "compatibility": {"min_fapilog_version": "0.17.0", "max_fapilog_version": "0.18.0"},
    }
    made = build({"f.yml": entry()}, [installed(metadata=meta)])
    compat = made.catalog.plugins[0].compatibility
    assert compat.status == "incompatible"
    assert compat.notes == ["PLUGIN_METADATA declares fapilog 0.17.0 to 0.18.0, which excludes 0.18.1"]


def test_a_registered_package_that_is_not_installed_is_listed_unverified():
    made = build({"f.yml": entry()}, [])
    [p] = made.catalog.plugins
    assert made.problems == []
    assert not p.verified_in_build and not p.usage.executed
    assert p.problems == [
        "not installed in the build environment: the type, name and description come from the registry entry alone"
    ]


def test_declarations_must_match_the_installed_entry_points():
    made = build({"f.yml": entry()}, [installed(name="other")])
    assert made.problems == [
        "f.yml: declares the sink 'example', but the installed fapilog-example has no such entry point",
        "f.yml: the installed fapilog-example provides the sink 'other', which the entry does not declare",
    ]


def test_installed_plugins_must_be_registered():
    made = build({}, [installed(distribution="fapilog-stray")])
    assert made.problems == [
        "fapilog-stray is installed and provides sink 'example', but has no registry entry: "
        "add registry/plugins/fapilog-stray.yml"
    ]


def test_a_registered_plugin_cannot_take_a_builtin_name():
    builtin = installed(name="http", origin="builtin", distribution="fapilog", entry_point=None)
    made = build({"f.yml": entry(plugins=[{"type": "sink", "name": "http"}])}, [builtin])
    assert "f.yml: the sink 'http' has the name of a fapilog built-in, which fapilog always prefers" in made.problems


# --- rendering ---------------------------------------------------------------------------

PAYLOAD = '<script>window.__pwned=1</script>"><img src=x onerror=alert(1)>'


def test_untrusted_text_is_escaped_in_every_page():
    made = build(
        {
            "f.yml": entry(description=PAYLOAD, tags=["x"]),
            "g.yml": entry(
                package="fapilog-other", plugins=[{"type": "sink", "name": "other"}], maintainers=[{"name": PAYLOAD}]
            ),
        },
        [],
    )
    pages = [
        render.index_page(made.catalog),
        *(render.plugin_page(p) for p in made.catalog.plugins),
        render.atom_feed(made.catalog, "https://example.org/"),
    ]
    for page in pages:
        assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in pages[0]


def test_fence_refuses_text_that_would_end_a_code_block_or_include_a_file():
    assert str(rendering.fence("pip install x\n")) == "pip install x"
    for bad in ("a\n```\n<script>", "x\n~~~", '--8<-- "/etc/passwd"', '  ;--8<-- "x"'.replace(";", "")):
        with pytest.raises(ValueError):
            rendering.fence(bad)


def test_links_are_http_or_https_only():
    assert rendering.url("https://example.org/a") == "https://example.org/a"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "https://ex ample.org",
        'https://x.org/"onmouseover="',
    ):
        with pytest.raises(ValueError):
            rendering.url(bad)


@pytest.mark.parametrize(
    "config",
    [
        {"path": "logs.sqlite3", "n": 3, "ok": True, "none": None, "ratio": 0.5},
        {
            "quote": 'it\'s "quoted" \\ \n and """triple"""',
            "nested": {"list": [1, {"deep": ["a", None]}]},
            "ünïcode": "✓",
        },
    ],
)
def test_generated_snippets_reproduce_the_configuration_exactly(config):
    code = usage.external_snippet("sink", "example", config)
    tree = ast.parse(code)
    call = next(
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Settings"
    )
    [sink_config] = [kw.value for kw in call.keywords if kw.arg == "sink_config"]
    assert ast.literal_eval(sink_config) == {"extra": {"example": config}}
    assert rendering.fence(code)  # safe inside a code block


def test_catalog_json_matches_its_published_schema():
    made = build({"f.yml": entry()}, [installed()])
    data = json.loads(render.catalog_json(made.catalog, "https://example.org/schemas/catalog-1.schema.json"))
    schema = json.loads(published.CATALOG_SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert data["schema_version"] == "1.0" and data["plugins"][0]["evaluation"] is None


def test_the_committed_catalog_schema_is_the_models():
    committed = json.loads(published.CATALOG_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == published.catalog_schema(), "run: python -m hub.catalog schema"


def test_atom_feed_lists_new_plugins_newest_first():
    made = build(
        {
            "a.yml": entry(date_added="2026-10-01"),
            "b.yml": entry(package="fapilog-b", plugins=[{"type": "filter", "name": "b"}], date_added="2026-11-20"),
        },
        [],
    )
    feed = ET.fromstring(render.atom_feed(made.catalog, "https://example.org/"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == ["b (filter, fapilog-b)", "example (sink, fapilog-example)"]
    assert feed.findtext("a:updated", namespaces=ns) == "2026-11-20T00:00:00Z"
    assert feed.find("a:entry/a:link", ns).get("href") == "https://example.org/catalog/filter/b/"


def test_an_install_command_never_lets_a_shell_expand_registry_text():
    import shlex

    hostile = "fapilog-x @ git+https://github.com/x/y$(touch /tmp/owned)`id`#subdirectory=p"
    commands = assemble.install_commands(hostile, "fapilog-x")
    for command in (commands.pip, commands.pip_upgrade, commands.uv):
        assert shlex.split(command)[-1] == hostile, command  # one argument, nothing expanded
        assert f"'{hostile}'" in command
    assert assemble.install_commands("fapilog[aws]", "fapilog").pip == 'pip install "fapilog[aws]"'
