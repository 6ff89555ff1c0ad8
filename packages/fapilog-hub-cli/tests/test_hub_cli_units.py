"""The pure parts of fapilog-hub, in this process: shape validation, compatibility and
freshness judgements, installer detection, the .env note. No venv, no network.

The entries judged are taken from the real catalog (``catalog_document``), changed only
where a case needs it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fapilog_hub_cli import catalog_model, compatibility, configuration, installer
from fapilog_hub_cli.catalog_source import describe_age
from hub_cli_support import with_changes


@pytest.fixture(scope="module")
def catalog(catalog_document):
    return catalog_model.parse(catalog_document, "catalog.json")


def plugin(catalog, plugin_id):
    return next(p for p in catalog.plugins if p.id == plugin_id)


# ---------------------------------------------------------------------- shape validation


def test_the_published_catalog_parses_with_every_plugin(catalog, catalog_document):
    assert len(catalog.plugins) == len(catalog_document["plugins"]) == catalog_document["plugin_count"]
    pii = plugin(catalog, "redactor/pii_text")
    assert pii.origin == "external" and pii.declared_fapilog == ">=0.18,<0.19"
    assert pii.requirement.startswith("fapilog-pii-text @ git+https://")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"compatibility__fapilog": None}, "compatibility.fapilog: expected a string, got null"),
        ({"compatibility__fapilog": "0.18+"}, "'0.18+' is not a PEP 440 version range"),
        ({"install__requirement": 7}, "install.requirement: expected a string, got int"),
        ({"release__version": True}, "release.version: expected a string or null, got a boolean"),
        ({"type": "exporter"}, "type: 'exporter' is not one of sink, enricher"),
    ],
)
def test_a_wrong_field_is_named_with_its_plugin(catalog_document, change, expected):
    broken = with_changes(catalog_document, "redactor/pii_text", **change)
    with pytest.raises(catalog_model.CatalogInvalid) as raised:
        catalog_model.parse(broken, "http://x/catalog.json")
    message = str(raised.value)
    assert "http://x/catalog.json is not a valid fapilog hub catalog (1 problem(s))" in message
    assert "(redactor/pii_text)" in message and expected in message


def test_a_missing_section_is_reported_once_not_field_by_field(catalog_document):
    broken = with_changes(catalog_document, "sink/sqlite")
    del next(p for p in broken["plugins"] if p["id"] == "sink/sqlite")["compatibility"]
    with pytest.raises(catalog_model.CatalogInvalid, match=r"\(1 problem\(s\)\)") as raised:
        catalog_model.parse(broken, "c.json")
    assert "(sink/sqlite): missing field 'compatibility'" in str(raised.value)


def test_another_format_says_to_upgrade_the_command(catalog_document):
    with pytest.raises(catalog_model.CatalogInvalid, match="format '2.0'.*pip install --upgrade fapilog-hub-cli"):
        catalog_model.parse({**catalog_document, "schema_version": "2.0"}, "c.json")


def test_a_document_that_is_no_catalog_at_all(catalog_document):
    with pytest.raises(catalog_model.CatalogInvalid, match="expected a JSON object, got a list"):
        catalog_model.parse([catalog_document], "c.json")
    with pytest.raises(catalog_model.CatalogInvalid, match="plugins: expected a list of plugin entries, got null"):
        catalog_model.parse({"fapilog_version": "0.18.1"}, "c.json")


# ---------------------------------------------------------------------- judgements


def test_compatible_when_in_range_and_the_matrix_passed(catalog):
    judged = compatibility.judge(plugin(catalog, "redactor/pii_text"), "0.18.1")
    assert judged.status == "compatible" and judged.in_range and judged.evaluated == "passed"


def test_incompatible_when_the_declared_range_excludes_fapilog(catalog):
    judged = compatibility.judge(plugin(catalog, "redactor/pii_text"), "0.17.0")
    assert judged.status == "incompatible" and judged.in_range is False
    assert judged.reasons[0] == "declares fapilog >=0.18,<0.19, which excludes the installed fapilog 0.17.0"


def test_untested_when_in_range_but_not_evaluated_with_that_fapilog(catalog):
    judged = compatibility.judge(plugin(catalog, "redactor/pii_text"), "0.18.2")
    assert judged.status == "untested" and judged.in_range and judged.evaluated is None
    assert "has not evaluated it with fapilog 0.18.2 (evaluated: 0.18.1: passed)" in judged.reasons[-1]


def test_incompatible_when_the_hubs_evaluation_with_that_fapilog_failed(catalog_document):
    failing = with_changes(
        catalog_document, "redactor/pii_text", evaluation__compatibility={"0.18.1": "conformance: lifecycle failed"}
    )
    entry = plugin(catalog_model.parse(failing, "c.json"), "redactor/pii_text")
    judged = compatibility.judge(entry, "0.18.1")
    assert judged.status == "incompatible" and judged.in_range is True
    assert judged.reasons[-1] == "the hub's evaluation with fapilog 0.18.1 failed: conformance: lifecycle failed"


def test_builtins_always_match_and_no_fapilog_is_unknown(catalog):
    assert compatibility.judge(plugin(catalog, "sink/stdout_json"), "0.10.0").status == "compatible"
    assert compatibility.judge(plugin(catalog, "redactor/pii_text"), None).status == "unknown"


def test_matrix_versions_compare_as_versions():
    assert compatibility.matrix_cell({"0.18.0": "passed"}, "0.18") == "passed"
    assert compatibility.matrix_cell({"0.18.1": "passed"}, "0.18") is None


def test_outdated_against_the_catalogs_latest_version(catalog):
    pii = plugin(catalog, "redactor/pii_text")  # not on PyPI: the latest is the version the catalog built
    assert pii.release_version is None and pii.latest_version == pii.package_version == "0.1.0"
    assert compatibility.freshness("0.0.9", pii).outdated
    assert not compatibility.freshness("0.1.0", pii).outdated
    assert not compatibility.freshness("0.2.0.dev1", pii).outdated


def test_security_summary_reads_the_evaluation(catalog):
    sqlite = compatibility.security(plugin(catalog, "sink/sqlite"))
    assert sqlite is not None and sqlite.bandit == {"MEDIUM": 1} and sqlite.serious
    assert sqlite.summary() == "static analysis: 1 MEDIUM; dependency vulnerability scan: not scanned"
    pii = compatibility.security(plugin(catalog, "redactor/pii_text"))
    assert pii is not None and not pii.serious and pii.summary().startswith("static analysis: no findings")


# ---------------------------------------------------------------------- installer detection

UV_CFG = "home = /usr/bin\nimplementation = CPython\nuv = 0.13.9\nversion_info = 3.11.7\n"
VENV_CFG = "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n"


@pytest.mark.parametrize(
    ("cfg", "pip", "override", "tool", "reason"),
    [
        (UV_CFG, True, None, "uv", "created by uv 0.13.9"),  # uv venv --seed has pip, still uv's
        (UV_CFG, False, None, "uv", "created by uv 0.13.9"),
        (VENV_CFG, False, None, "uv", "pip is not installed"),
        (VENV_CFG, True, None, "pip", "pip is installed"),
        ("", True, None, "pip", "pip is installed"),  # no pyvenv.cfg: a system or conda Python
        (UV_CFG, True, "pip", "pip", "--installer pip"),
        (VENV_CFG, True, "uv", "uv", "--installer uv"),
    ],
)
def test_installer_detection(cfg, pip, override, tool, reason):
    choice = installer.choose(override, cfg=cfg, pip_available=pip)
    assert choice.tool == tool and reason in choice.reason


def test_the_constraints_file_pins_the_installed_fapilog(tmp_path):
    path = installer.constraints_file(tmp_path, "0.18.1")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines == ["fapilog==0.18.1"]


# ---------------------------------------------------------------------- doctor's .env note


def test_a_dotenv_fapilog_does_not_read_is_reported(tmp_path):
    (tmp_path / ".env").write_text('FAPILOG_CORE__SINKS=["stdout_json"]\nOTHER=1\n', encoding="utf-8")
    (note,) = configuration.dotenv_notes({}, tmp_path)
    assert "sets FAPILOG_CORE__SINKS, but fapilog does not read .env files" in note
    assert configuration.dotenv_notes({"env_file": ".env"}, tmp_path) == [
        "fapilog reads .env as well as the environment: its values are included"
    ]


def test_fapilog_0_18_1_reads_no_dotenv():
    # What doctor asks fapilog at run time: the pinned fapilog sets no env_file.
    from fapilog import Settings

    assert not Settings.model_config.get("env_file")


def test_ages_read_as_people_say_them():
    assert describe_age(dt.timedelta(seconds=20)) == "less than a minute old"
    assert describe_age(dt.timedelta(hours=1, minutes=5)) == "1 hour old"
    assert describe_age(dt.timedelta(days=3, hours=2)) == "3 days old"


# ---------------------------------------------------------------------- doctor's rules, on real Settings
# fapilog's own Settings and this test environment's installed plugins (fapilog-pii-text and
# fapilog-sqlite, as noxfile.py installs them).


def diagnosis(**settings):
    from fapilog import Settings
    from fapilog_hub_cli import installed

    report = configuration.diagnose(Settings(**settings), installed.plugins())
    return {(f.path, f.problem): f.message for f in report.findings}


def test_a_name_of_another_plugin_type_is_named_as_such():
    found = diagnosis(core={"filters": ["pii_text", "field_mask"]}, plugins={"allow_external": True})
    assert "it is the name of a redactor" in found[("core.filters[0]", "unknown")]
    assert "it is the name of a redactor" in found[("core.filters[1]", "unknown")]


def test_allowlist_and_denylist_leave_plugins_out_as_fapilog_does():
    found = diagnosis(
        core={"redactors": ["field_mask", "pii_text"], "sinks": ["stdout_json"], "enrichers": ["runtime_info"]},
        plugins={"allowlist": ["pii_text", "stdout_json"], "denylist": ["stdout_json"]},
    )
    expected = {
        ("core.redactors[0]", "not-in-allowlist"),
        ("core.sinks[0]", "denied"),
        ("core.enrichers[0]", "not-in-allowlist"),
    }
    assert set(found) == expected
    assert "a non-empty allowlist applies to built-ins too" in found[("core.redactors[0]", "not-in-allowlist")]
    # Naming an installed plugin in the allowlist lets fapilog load it without allow_external.
    assert diagnosis(plugins={"allowlist": ["pii_text"]}, core={"enrichers": [], "redactors": ["pii_text"]}) == {}
    assert ("core.redactors[0]", "external-not-allowed") in diagnosis(core={"redactors": ["pii_text"]})


def test_plugins_disabled_is_one_finding():
    found = diagnosis(plugins={"enabled": False})
    assert found == {("plugins.enabled", "plugins-disabled"): "plugins.enabled is false: fapilog loads no plugin"}
