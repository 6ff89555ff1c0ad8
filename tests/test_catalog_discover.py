"""Discovery: fapilog's built-ins and the installed entry points, probed in subprocesses."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import time
from pathlib import Path

import pytest

from catalog_support import BUILTINS
from hub.catalog import discover
from support import ROOT, venv_python


@pytest.fixture(scope="module")
def found():
    return discover.discover()


def by_id(found):
    return {(p.type, p.name): p for p in found.plugins}


def test_all_26_builtins_with_their_metadata(found):
    builtins = [p for p in found.plugins if p.origin == "builtin"]
    assert {(p.type, p.name) for p in builtins} == {(t, n) for t, names in BUILTINS.items() for n in names}
    assert len(builtins) == 26
    for p in builtins:
        assert p.metadata_errors == [], p.name
        meta = p.metadata
        assert meta["plugin_type"] == p.type and meta["description"] and meta["version"] and meta["api_version"]
        assert p.distribution == "fapilog" and p.distribution_version == "0.18.1"
    plugins = by_id(found)
    assert not plugins[("sink", "mmap_persistence")].registered
    assert sum(p.registered for p in builtins) == 25
    assert plugins[("sink", "loki")].aliases == ["grafana_loki"]


def test_extras_are_derived_from_what_each_builtin_imports(found):
    plugins = by_id(found)
    needs = {key: p.needs_extras for key, p in plugins.items() if p.origin == "builtin" and p.needs_extras}
    assert needs == {("sink", "cloudwatch"): ["aws"], ("sink", "postgres"): ["postgres"]}
    # httpx comes with fapilog itself, so the HTTP-based sinks need no extra...
    assert "httpx" in plugins[("sink", "loki")].imports and plugins[("sink", "loki")].needs_extras == []
    # ...and OpenTelemetry is used when present but no extra brings it in.
    assert plugins[("enricher", "context_vars")].optional_imports == ["opentelemetry"]


def test_enrichers_declare_an_api_version_fapilog_itself_calls_incompatible(found):
    """A surprise in fapilog 0.18.1, shown on those pages: its enrichers say API 1.1, fapilog is at 1.0."""
    assert found.environment.plugin_api_version == "1.0"
    verdicts = {p.name: (p.metadata["api_version"], p.api_compatible) for p in found.plugins if p.type == "enricher"}
    assert verdicts == {"runtime_info": ("1.1", False), "context_vars": ("1.1", False), "kubernetes": ("1.1", False)}


def test_the_projects_external_plugins_are_found_through_entry_points(found):
    plugins = by_id(found)
    sqlite, pii = plugins[("sink", "sqlite")], plugins[("redactor", "pii_text")]
    assert sqlite.origin == pii.origin == "entry-point"
    assert sqlite.entry_point == "fapilog.sinks: sqlite = fapilog_sqlite:SqliteSink"
    assert pii.distribution == "fapilog-pii-text" and pii.metadata["config_schema"]["properties"]["categories"]
    assert sqlite.metadata_errors == pii.metadata_errors == [] and sqlite.registered
    assert found.problems == []


def test_the_build_process_never_imports_plugin_code():
    program = textwrap.dedent(
        """
        import sys
        from hub import site
        generated = site.generate("https://example.org/")
        assert "catalog/sink/sqlite.md" in generated.files
        print(sorted(m for m in sys.modules if m.startswith(("fapilog_sqlite", "fapilog_pii_text"))))
        """
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def fake_distribution(
    site: Path, name: str, module: str, source: str, group: str = "fapilog.sinks", entry: str | None = None
) -> None:
    """An installed package as importlib.metadata sees one: a dist-info folder and a module."""
    dist = site / f"{name.replace('-', '_')}-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{entry or module} = {module}:Plugin\n", encoding="utf-8")
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_python(tmp_path_factory) -> str:
    """A separate environment: this one's packages plus plugins that misbehave on import."""
    venv = tmp_path_factory.mktemp("hostile-env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "hub-base.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    fake_distribution(site, "hub-fixture-hang", "hub_fixture_hang", "import time\ntime.sleep(600)\n")
    fake_distribution(site, "hub-fixture-crash", "hub_fixture_crash", "raise RuntimeError('refusing to import')\n")
    fake_distribution(
        site,
        "hub-fixture-badmeta",
        "hub_fixture_badmeta",
        """
        print("@@fapilog-hub-probe@@ noise a plugin prints while importing")
        class Plugin:
            name = "hub_fixture_badmeta"
            async def write(self, entry):
                return None
        PLUGIN_METADATA = {"name": "hub_fixture_badmeta", "plugin_type": "sink", "version": "not a version"}
        """,
    )
    fake_distribution(
        site, "hub-fixture-shadow", "hub_fixture_shadow", "class Plugin:\n    name = 'http'\n", entry="http"
    )
    return str(venv_python(venv))


def test_misbehaving_plugins_cost_only_their_own_entry(hostile_python):
    started = time.monotonic()
    found = discover.discover(python=hostile_python, timeout=15)
    elapsed = time.monotonic() - started
    plugins = {p.name: p for p in found.plugins if p.origin == "entry-point"}
    assert {"sqlite", "pii_text"} <= plugins.keys()  # the well-behaved ones are still there
    assert plugins["sqlite"].metadata_errors == []
    problems = "\n".join(found.problems)
    assert (
        "hub-fixture-hang: entry point 'fapilog.sinks: hub_fixture_hang = hub_fixture_hang:Plugin' "
        "could not be loaded: timed out after 15 s" in problems
    )
    assert "hub-fixture-crash" in problems and "RuntimeError: refusing to import" in problems
    assert plugins["hub_fixture_hang"].load_error == "timed out after 15 s"
    bad = plugins["hub_fixture_badmeta"]
    assert bad.load_error is None and any(e.startswith("version:") for e in bad.metadata_errors)
    assert any(e.startswith("entry_point:") for e in bad.metadata_errors)  # a required field is missing
    assert (
        "hub-fixture-shadow: sink 'http' is shadowed by fapilog's built-in fapilog.plugins.sinks.http_client:HttpSink"
        in problems
    )
    assert not plugins["http"].registered
    assert elapsed < 120  # the hanging import was cut off, not waited for


def test_rebuilds_in_one_process_reuse_discovery_until_packages_change(found, monkeypatch, tmp_path):
    """`mkdocs serve` rebuilds after every edit; the probes rerun only when the environment changes."""
    probes = []
    monkeypatch.setattr(discover, "discover", lambda python: probes.append(python) or found.model_copy(deep=True))
    monkeypatch.setattr(discover, "_reused", {})
    monkeypatch.setattr(discover, "CACHE_DIR", tmp_path / "discovery")
    stamp = [("site-packages", 1)]
    monkeypatch.setattr(discover, "_site_packages_stamp", lambda: stamp)

    first = discover.discover_reusing()
    first.plugins.clear()  # what a later stage does to its copy stays in its copy
    second = discover.discover_reusing()
    assert len(probes) == 1 and second == found

    stamp[0] = ("site-packages", 2)  # a package was installed or removed
    assert discover.discover_reusing() == found and len(probes) == 2
    discover.discover_reusing(sys.executable + "-elsewhere")  # another environment: never reused
    discover.discover_reusing(sys.executable + "-elsewhere")
    assert len(probes) == 4


def test_each_build_process_reuses_the_last_discovery_until_packages_or_code_change(found, monkeypatch, tmp_path):
    """Every build is a process of its own: the report is kept on disk under the same key."""
    probes = []
    monkeypatch.setattr(discover, "discover", lambda python: probes.append(python) or found.model_copy(deep=True))
    monkeypatch.setattr(discover, "CACHE_DIR", tmp_path / "discovery")
    stamp = [("site-packages", 1)]
    monkeypatch.setattr(discover, "_site_packages_stamp", lambda: stamp)
    digest = ["code-1"]
    monkeypatch.setattr(discover, "_code_digest", lambda: digest[0])

    def new_process() -> discover.Discovery:
        monkeypatch.setattr(discover, "_reused", {})
        return discover.discover_reusing()

    assert new_process() == found and new_process() == found and len(probes) == 1
    assert len(list((tmp_path / "discovery").glob("*.json"))) == 1
    stamp[0] = ("site-packages", 2)  # a package was installed, upgraded or removed
    assert new_process() == found and len(probes) == 2
    digest[0] = "code-2"  # the probe or the code that reads its report changed
    assert new_process() == found and len(probes) == 3
    assert len(list((tmp_path / "discovery").glob("*.json"))) == 1  # only the latest is kept
    next((tmp_path / "discovery").glob("*.json")).write_text("{not json", encoding="utf-8")
    assert new_process() == found and len(probes) == 4  # an unreadable file is probed again
    assert new_process() == found and len(probes) == 4
