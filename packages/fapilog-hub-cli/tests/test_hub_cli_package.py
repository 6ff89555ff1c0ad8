"""What is published: the wheel and sdist hold the whole command; the command reads the
catalog the site publishes, at the address the site publishes it; the release workflow.
"""

from __future__ import annotations

import re
import tarfile
import typing
import zipfile

import pytest
import yaml
from fapilog_hub_cli import catalog_model, catalog_source, installed
from hub_cli_support import PACKAGE, REPO

MODULES = sorted(p.name for p in (PACKAGE / "src" / "fapilog_hub_cli").glob("*.py"))
WORKFLOW = REPO / ".github" / "workflows" / "release-cli.yml"


@pytest.mark.pypi  # the isolated build fetches setuptools
def test_the_wheel_holds_every_module_the_script_and_the_dependencies(cli_dist):
    with zipfile.ZipFile(cli_dist[".whl"]) as wheel:
        names = wheel.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(info).decode()
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert sorted(n.split("/", 1)[1] for n in names if n.startswith("fapilog_hub_cli/")) == MODULES
    assert "fapilog-hub = fapilog_hub_cli.cli:main" in entry_points
    requires = sorted(line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist:"))
    assert requires == ["packaging>=22", "platformdirs>=3"]  # ranges, no fapilog: it reports on whatever is there
    assert "# fapilog-hub" in metadata, "the README is the long description PyPI shows"


@pytest.mark.pypi
def test_the_sdist_builds_the_same_package(cli_dist):
    with tarfile.open(cli_dist[".gz"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md"} <= names
    assert {f"src/fapilog_hub_cli/{m}" for m in MODULES} <= names


def test_the_default_catalog_is_where_the_site_build_writes_it(catalog_generation):
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r'(?m)^site_url: !ENV \[HUB_SITE_URL, "([^"]+)"\]', mkdocs)[1]
    assert "catalog/catalog.json" in catalog_generation.result().files  # the path under site_url
    assert site_url + "catalog/catalog.json" == catalog_source.DEFAULT_URL


def _field(model: type, path: str):
    """The pydantic field at a dotted path of the hub's catalog model (None if missing)."""
    from pydantic import BaseModel

    *parents, last = path.split(".")
    for part in parents:
        annotation = model.model_fields[part].annotation
        model = next(
            a for a in (annotation, *typing.get_args(annotation)) if isinstance(a, type) and issubclass(a, BaseModel)
        )
    return model.model_fields.get(last)


def test_every_field_the_command_reads_is_in_the_hubs_model():
    # The command cannot import the hub; this keeps its field list from drifting from the
    # model catalog.json is made from (hub/catalog/models.py, published as catalog.schema.json).
    from hub.catalog.models import CatalogEntry

    for path, types in catalog_model.PLUGIN_FIELDS.items():
        field = _field(CatalogEntry, path)
        assert field is not None, f"the command reads {path}, which the hub's CatalogEntry does not have"
        allows_null = type(None) in typing.get_args(field.annotation) or field.annotation is type(None)
        if type(None) not in types:
            assert not allows_null, f"{path} may be null in the hub's model; the command would refuse such a catalog"
    assert set(catalog_model.PLUGIN_TYPES) == set(typing.get_args(CatalogEntry.model_fields["type"].annotation))


def test_the_commands_copies_of_types_and_groups_match_the_hubs():
    # The hub defines them once (hub/names.py); this package cannot import it, so it keeps copies.
    from hub import names

    assert catalog_model.PLUGIN_TYPES == names.PLUGIN_TYPES
    assert {group: plugin_type for plugin_type, group in names.ENTRY_POINT_GROUPS.items()} == installed.GROUPS


def test_every_entry_of_the_real_catalog_has_every_field_the_command_reads(catalog_document):
    # The build dumps every model field, defaults included (render.catalog_json), so even the
    # fields the command treats as optional are there today.
    for entry in catalog_document["plugins"]:
        for path in catalog_model.PLUGIN_FIELDS:
            found, _ = catalog_model._lookup(entry, path)
            assert found, f"{entry['id']}: no {path}"


def test_the_command_reads_only_schema_versions_the_hub_writes():
    from hub.catalog.models import CATALOG_SCHEMA_VERSION

    assert CATALOG_SCHEMA_VERSION in catalog_model.SCHEMA_VERSIONS


def test_release_workflow_builds_tests_and_publishes_with_trusted_publishing():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = workflow.get(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    assert on["push"]["tags"] == ["fapilog-hub-cli-v*"]
    assert workflow.get("permissions") == {"contents": "read"}
    jobs = workflow["jobs"]
    writers = {name for name, job in jobs.items() if (job.get("permissions") or {}).get("id-token") == "write"}
    assert writers == {"publish"}, "only the publish job may mint the OIDC token PyPI trusts"
    publish = jobs["publish"]
    assert publish["environment"]["name"] == "pypi"
    assert set(publish["needs"]) >= {"build", "test"}
    uses = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert any(u.startswith("pypa/gh-action-pypi-publish@v") for u in uses)
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*", action), f"{action}: pin actions to a version tag"
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "secrets." not in text, "trusted publishing needs no token"
    assert "packages/fapilog-hub-cli/tests" in text


def test_the_docs_checks_know_the_variable_the_command_reads():
    # hub/checks/env_vars.py accepts FAPILOG_* names that this command reads, not fapilog;
    # without that entry the README's FAPILOG_HUB_CACHE would be refused as a misspelt
    # fapilog setting, and with a stale entry a real misspelling would pass.
    from hub.checks import env_vars, fapilog_model

    assert set(env_vars.OTHER_READERS) == {catalog_source.CACHE_ENV}
    assert fapilog_model.check_env_var(catalog_source.CACHE_ENV), "fapilog reads it now: drop the exemption"
