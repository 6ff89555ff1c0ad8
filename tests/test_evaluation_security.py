"""hub/evaluation/security.py: pip-audit summaries, license expressions, and behaviour findings
of a plugin and its dependencies."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import security


def test_pip_audit_skipping_everything_is_not_a_pass():
    report = {
        "dependencies": [{"name": "a", "skip_reason": "Dependency not found on PyPI and could not be audited: a (1)"}]
        * 3
    }
    summary = security.summarize_audit(report, 3)
    assert summary["status"] == "not scanned" and summary["audited"] == 0
    assert "Dependency not found on PyPI and could not be audited" in summary["reason"]


def test_pip_audit_vulnerabilities_are_listed():
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "2.10", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2.10.1"]}]}
        ]
    }
    summary = security.summarize_audit(report, 1)
    assert summary["status"] == "scanned"
    assert summary["vulnerabilities"][0]["id"] == "PYSEC-1"


@pytest.mark.parametrize(
    ("expression", "allowed"),
    [
        ("MIT", True),
        ("MIT OR GPL-3.0-only", True),
        ("GPL-3.0-only", False),
        ("Apache-2.0 AND MIT", True),
        ("Apache-2.0 AND GPL-2.0", False),
    ],
)
def test_license_expressions(expression, allowed):
    assert security.expression_allowed(expression, {"MIT", "Apache-2.0"}) is allowed


def test_behaviour_of_a_dependency_is_shown_but_not_counted():
    log = [
        {"kind": "credential_file", "path": ".aws/credentials", "by": "botocore/configloader.py"},
        {"kind": "secret_env_read", "name": "GITHUB_TOKEN", "by": "evil/__init__.py"},
        {"kind": "write_outside", "path": "/work/x.pth", "by": "helper_dep/io.py"},
    ]
    found = security.behaviour_findings(log, [], own={"evil"})
    assert [(f["severity"], f["kind"]) for f in found["findings"]] == [
        ("HIGH", "write_outside"),  # a dependency's write outside counts: a plugin can ship a hostile one
        ("MEDIUM", "secret_env_read"),
        ("LOW", "credential_file"),
    ]
    assert found["findings"][2]["detail"].startswith("its dependency botocore opened")
