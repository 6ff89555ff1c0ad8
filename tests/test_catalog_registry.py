"""The registry: every kind of bad entry is refused with its file, field and fix, all at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from hub.catalog import registry
from hub.catalog.models import RegistryEntry
from support import ROOT

GOOD = {
    "package": "fapilog-example",
    "description": "Sends log events somewhere useful, quickly and safely.",
    "plugins": [{"type": "sink", "name": "example"}],
    "repository": "https://github.com/example/fapilog-example",
    "maintainers": [{"name": "Example Maintainer", "github": "example"}],
    "license": "MIT",
    "tags": ["example"],
    "date_added": "2026-11-01",
    "support": {"tier": "community"},
    "pricing": "free",
    "compatibility": {"fapilog": ">=0.18,<0.19"},
}


def write(folder: Path, name: str, data) -> Path:
    path = folder / f"{name}.yml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def with_changes(**changes) -> dict:
    data = {**GOOD, **changes}
    return {k: v for k, v in data.items() if v is not None}


def problems_for(tmp_path: Path, data) -> list[str]:
    package = data.get("package", "fapilog-example") if isinstance(data, dict) else "fapilog-example"
    write(tmp_path, package, data)
    return [str(p) for p in registry.load(tmp_path).problems]


def test_a_good_entry_loads(tmp_path):
    write(tmp_path, "fapilog-example", GOOD)
    found = registry.load(tmp_path)
    assert found.problems == []
    [(file, entry)] = found.entries.items()
    assert file.endswith("fapilog-example.yml")
    assert entry.plugins[0].name == "example"


def test_the_real_registry_is_valid():
    entries = registry.load_valid()
    assert {e.package for e in entries.values()} == {
        "fapilog-sqlite",
        "fapilog-pii-text",
        "fapilog-audit",
        "fapilog-tamper",
    }


def test_the_published_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(registry.schema())


def test_the_committed_entry_schema_is_the_model():
    # Editors and contributors read the committed file; the build validates with the model.
    committed = json.loads(registry.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == registry.schema(), "run: python -m hub.catalog schema"


COMMERCIAL = {"tier": "commercial", "vendor": "Example Ltd"}

# (case, entry changes, expected text in the one problem: field and fix)
BAD = [
    (
        "missing field",
        {"license": None},
        "license: missing (it is required). Fix: add license: The package's license as an SPDX expression",
    ),
    ("wrong type", {"tags": "aws"}, "tags: expected array, got str 'aws'"),
    (
        "description too long",
        {"description": "x" * 161},
        "description: is 161 characters long, more than 160. Fix: shorten it to at most 160 characters",
    ),
    (
        "description on two lines",
        {"description": "first line of it\nsecond line"},
        "description: 'first line of it\\nsecond line' has the wrong form",
    ),
    (
        "javascript: URL",
        {"repository": "javascript:alert(1)"},
        "repository: 'javascript:alert(1)' has the wrong form. "
        "Fix: Where the source lives (an http:// or https:// URL).",
    ),
    (
        "ftp URL",
        {"documentation": "ftp://example.com/docs"},
        "documentation: 'ftp://example.com/docs' has the wrong form",
    ),
    ("data: URL in funding", {"funding": ["data:text/html,<script>alert(1)</script>"]}, "funding[0]: "),
    (
        "commercial without contact and SLA",
        {"support": COMMERCIAL},
        "support.contact: missing (a commercial entry needs it)",
    ),
    (
        "unknown tier",
        {"support": {"tier": "gold"}},
        "support.tier: 'gold' is not allowed. Fix: use one of: community, verified, commercial",
    ),
    ("unknown plugin type", {"plugins": [{"type": "sinks", "name": "x"}]}, "plugins[0].type: 'sinks' is not allowed"),
    (
        "bad plugin name",
        {"plugins": [{"type": "sink", "name": "My-Sink"}]},
        "plugins[0].name: 'My-Sink' has the wrong form",
    ),
    (
        "bad date",
        {"date_added": "2026-02-30"},
        "date_added: '2026-02-30' is not a real date. Fix: write the date as YYYY-MM-DD",
    ),
    ("date in another format", {"date_added": "26/11/2026"}, "date_added: '26/11/2026' is not a real date"),
    ("unknown field", {"licence": "MIT"}, "licence: is not a known field. Fix: did you mean 'license'?"),
    ("no maintainers", {"maintainers": []}, "maintainers: has 0 items. Fix: at least 1 items"),
    ("pricing", {"pricing": "cheap"}, "pricing: 'cheap' is not allowed. Fix: use one of: free, freemium, paid"),
    ("duplicate tag", {"tags": ["aws", "aws"]}, "tags: lists an item twice"),
    (
        "install_url not git+https",
        {"install_url": "https://example.com/pkg.tar.gz"},
        "install_url: 'https://example.com/pkg.tar.gz' has the wrong form",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), [(c, e) for _, c, e in BAD], ids=[case for case, _, _ in BAD])
def test_bad_entry_names_file_field_and_fix(tmp_path, changes, expected):
    problems = problems_for(tmp_path, with_changes(**changes))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(tmp_path / "fapilog-example.yml")) for p in problems)


def test_commercial_entry_needs_vendor_contact_and_sla(tmp_path):
    problems = problems_for(tmp_path, with_changes(support={"tier": "commercial"}))
    assert [p.split(": ")[1] for p in problems] == ["support.contact", "support.sla_url", "support.vendor"]
    complete = {
        "tier": "commercial",
        "vendor": "Example Ltd",
        "contact": "support@example.com",
        "sla_url": "https://example.com/sla",
    }
    assert problems_for(tmp_path, with_changes(support=complete)) == []


def test_model_catches_what_the_schema_cannot(tmp_path):
    problems = problems_for(tmp_path, with_changes(compatibility={"fapilog": "newest please"}))
    assert problems == [
        f"{tmp_path / 'fapilog-example.yml'}: compatibility.fapilog: 'newest please' is not a version range "
        "like '>=0.18,<0.19' (Invalid specifier: 'newest please'). "
        "Fix: A PEP 440 version range of fapilog, e.g. '>=0.18,<0.19'."
    ]


def test_invalid_yaml_names_the_line(tmp_path):
    write(tmp_path, "fapilog-example", "package: fapilog-example\ndescription: [unclosed\nlicense: MIT\n")
    [problem] = registry.load(tmp_path).problems
    assert problem.field.startswith("line 3") and "not valid YAML" in problem.message


def test_duplicate_yaml_keys_are_refused(tmp_path):
    text = yaml.safe_dump(GOOD, sort_keys=False) + "license: GPL-3.0\n"
    write(tmp_path, "fapilog-example", text)
    [problem] = registry.load(tmp_path).problems
    assert "the key 'license' appears twice" in problem.message


def test_file_must_be_named_after_the_package(tmp_path):
    write(tmp_path, "something-else", GOOD)
    [problem] = registry.load(tmp_path).problems
    assert str(problem) == (
        f"{tmp_path / 'something-else.yml'}: package: the file is named something-else.yml but package is "
        "'fapilog-example'. Fix: rename the file to fapilog-example.yml"
    )


def test_duplicate_package_across_files(tmp_path):
    write(tmp_path, "fapilog-example", GOOD)
    write(
        tmp_path,
        "fapilog_example",
        with_changes(package="fapilog_example", plugins=[{"type": "sink", "name": "other"}]),
    )
    [problem] = registry.load(tmp_path).problems
    assert "'fapilog_example' is already listed in" in problem.message and problem.file.endswith("fapilog_example.yml")


def test_same_plugin_declared_by_two_packages(tmp_path):
    write(tmp_path, "fapilog-example", GOOD)
    write(tmp_path, "fapilog-other", with_changes(package="fapilog-other"))
    [problem] = registry.load(tmp_path).problems
    assert "the sink 'example' is also declared by" in problem.message


def test_every_bad_file_is_reported_in_one_run(tmp_path):
    write(tmp_path, "a-broken", "package: [\n")
    write(tmp_path, "b-missing", {"package": "b-missing"})
    write(tmp_path, "c-good", with_changes(package="c-good", plugins=[{"type": "sink", "name": "c"}]))
    write(
        tmp_path,
        "d-url",
        with_changes(package="d-url", repository="javascript:x", plugins=[{"type": "sink", "name": "d"}]),
    )
    found = registry.load(tmp_path)
    files = {Path(p.file).name for p in found.problems}
    assert files == {"a-broken.yml", "b-missing.yml", "d-url.yml"}
    assert len([p for p in found.problems if p.file.endswith("b-missing.yml")]) == 9  # every missing field
    assert [Path(f).name for f in found.entries] == ["c-good.yml"]
    with pytest.raises(registry.RegistryInvalid, match="the plugin registry has 11 problems"):
        registry.load_valid(tmp_path)


@pytest.mark.parametrize(
    ("_case", "changes"),
    [(c, ch) for c, ch, _ in BAD if c not in ("bad date", "date in another format")],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_the_published_schema_refuses_each_bad_entry_the_model_refuses(_case, changes):
    """The schema editors use is generated from the model the build uses: it refuses the same entries."""
    data = with_changes(**changes)
    assert list(Draft202012Validator(registry.schema(), format_checker=FormatChecker()).iter_errors(data))
    with pytest.raises(ValueError):
        RegistryEntry.model_validate(data)


def test_check_command_prints_every_problem_and_fails(tmp_path):
    write(tmp_path, "fapilog-example", with_changes(pricing="cheap", license=None))
    bad = subprocess.run(
        [sys.executable, "-m", "hub.catalog", "check", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1
    assert "license: missing" in bad.stdout and "pricing: 'cheap' is not allowed" in bad.stdout
    ok = subprocess.run(
        [sys.executable, "-m", "hub.catalog", "check"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (
        ok.returncode == 0
        and ok.stdout.strip()
        == f"registry OK: {len(list((ROOT / 'registry' / 'plugins').glob('*.yml')))} entries, 0 review file(s)"
    )
