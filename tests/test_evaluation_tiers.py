"""hub/evaluation/tiers.py: the tier a stored result earns, rule by rule (behaviour, not
measured, exemptions, findings, crashes)."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from evaluation_support import entry as _entry
from hub.evaluation import tiers

GOOD_MATRIX = {"0.18.1": "passed", "0.17.0": "passed"}


def test_a_plugin_passing_everything_is_gold():
    assert tiers.tier(tiers.judge("redactor/x", _entry(), GOOD_MATRIX, {})) == "gold"


@pytest.mark.parametrize(("severity", "expected"), [("HIGH", None), ("MEDIUM", "silver"), ("LOW", "gold")])
def test_behaviour_seen_in_the_sandbox_counts_in_the_tier(severity, expected):
    finding = {"severity": severity, "kind": "secret_env_read", "detail": "read GITHUB_TOKEN (pkg/mod.py)"}
    entry = _entry(behaviour={"findings": [finding]})
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == expected


def test_a_result_without_behaviour_is_not_measured_not_passed():
    entry = _entry()
    del entry["plugins"]["redactor/x"]["behaviour"]
    rules = {r.rule.id: r for r in tiers.judge("redactor/x", entry, GOOD_MATRIX, {})}
    assert rules["no_high_behaviour"].status == tiers.NOT_MEASURED
    assert tiers.tier(list(rules.values())) is None


def test_a_not_measured_rule_holds_the_tier_back_like_a_failure():
    entry = _entry()
    entry["security"]["pip_audit"] = {"status": "not scanned", "reason": "service unreachable", "vulnerabilities": []}
    results = tiers.judge("redactor/x", entry, GOOD_MATRIX, {})
    assert {r.rule.id: r.status for r in results}["no_known_vulnerabilities"] == tiers.NOT_MEASURED
    assert tiers.tier(results) == "silver"


def test_an_exemption_needs_its_justification_and_is_shown():
    entry = _entry(bench={"not_benchmarked": "needs a cloud service"})
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == "bronze"
    results = tiers.judge("redactor/x", entry, GOOD_MATRIX, {"benchmarked": "Only runs against AWS."})
    assert tiers.tier(results) == "gold"
    assert [r.detail for r in results if r.rule.id == "benchmarked"] == ["Only runs against AWS."]


def test_high_findings_outside_the_plugins_module_do_not_count_against_it():
    entry = _entry()
    entry["security"]["bandit"]["findings"] = [{"severity": "HIGH", "test": "B324", "where": "pkg/other.py:3"}]
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == "gold"
    entry["security"]["bandit"]["findings"] = [{"severity": "HIGH", "test": "B324", "where": "pkg/mod.py:3"}]
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == "bronze"


def test_a_crash_gives_no_tier():
    entry = _entry(status="failed", failure="crashed: killed by signal SIGSEGV", failure_kind="crashed", conformance=[])
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) is None
