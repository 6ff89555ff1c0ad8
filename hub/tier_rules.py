"""The quality-tier rules: their ids, tiers and titles, and nothing that judges them.

Kept below both the registry (whose entries may exempt a plugin from a rule by its id, so
the registry model must know the ids) and the evaluation (hub.evaluation.tiers, which
marks each rule done or failed). One definition, imported by both.
"""

from __future__ import annotations

from dataclasses import dataclass

TIERS = ("bronze", "silver", "gold")


@dataclass(frozen=True)
class Rule:
    id: str
    tier: str
    title: str


RULES = (
    Rule("installs", "bronze", "Installs into a clean virtualenv with the newest fapilog"),
    Rule("loads", "bronze", "Imports, and fapilog finds it under its declared type and name"),
    Rule("contained", "bronze", "Evaluates without crashing, hanging, flooding output or undeclared network access"),
    Rule("protocol", "bronze", "fapilog's own validator for its type passes"),
    Rule("lifecycle", "bronze", "start() and stop() run without raising"),
    Rule("license", "bronze", "Its own license is on the allow-list"),
    Rule(
        "no_high_behaviour",
        "bronze",
        "The sandbox saw no high-severity behaviour (decoy credentials opened or carried out, writes outside "
        "its folder)",
    ),
    Rule("conformance", "silver", "Every required behavioural check of the conformance suite passes"),
    Rule("no_high_findings", "silver", "bandit reports no high-severity finding in its source"),
    Rule("dependency_licenses", "silver", "Every installed dependency's license is on the allow-list"),
    Rule("benchmarked", "silver", "Benchmarked against its type's reference plugin"),
    Rule(
        "advisory_checks",
        "gold",
        "Every advisory check passes too (idempotent stop, health check, no input mutation, ...)",
    ),
    Rule("no_medium_findings", "gold", "bandit reports no medium-severity finding in its source"),
    Rule("drain_verified", "gold", "Sinks: events written before stop() were seen at the destination"),
    Rule(
        "compatibility", "gold", "Passes on at least two fapilog releases, and on every release checked where it exists"
    ),
    Rule("no_known_vulnerabilities", "gold", "pip-audit looked up every dependency and found no known vulnerability"),
    Rule(
        "no_medium_behaviour",
        "gold",
        "The sandbox saw no medium-severity behaviour (its code reading secret-named variables, starting processes)",
    ),
)


RULE_IDS = tuple(r.id for r in RULES)
