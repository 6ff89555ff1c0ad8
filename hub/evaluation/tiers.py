"""Quality tiers (bronze, silver, gold) from rules that a machine marks done or failed.

Modelled on Home Assistant's integration quality scale: each rule belongs to a tier; a
plugin holds a tier when every rule of that tier and of the tiers below it is *done* or
*exempt*. An exemption exists only where the plugin's registry entry (or, for built-ins,
its entry in ``registry/builtins.yml``) gives a written justification for that rule; the
justification is shown next to the rule. A rule whose input could not be measured here is
*not measured*, which holds a tier back exactly as a failure does: nothing passes by default.

Tiers are computed when pages are built, from the stored results and the current
exemptions, so changing a justification never needs a re-evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.evaluation import conformance
from hub.evaluation.models import UNCONTAINED
from hub.tier_rules import RULES, TIERS, Rule

__all__ = ["RULES", "TIERS", "Rule", "judge", "tier"]

DONE, FAILED, EXEMPT, NOT_MEASURED = "done", "failed", "exempt", "not measured"


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    status: str
    detail: str = ""


def _check(checks: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((c for c in checks if c["check"] == name), None)


def judge(
    plugin_id: str,
    entry: dict[str, Any] | None,
    compatibility_rows: dict[str, str],
    exemptions: dict[str, str],
) -> list[RuleResult]:
    """Every rule for one plugin, from its full-evaluation entry and its compatibility row."""
    record = (entry or {}).get("plugins", {}).get(plugin_id, {})
    checks = record.get("conformance", [])
    security = (entry or {}).get("security") or {}
    kind = record.get("failure_kind")
    own_source = record.get("source_file") or ""
    findings = [
        f
        for f in (security.get("bandit") or {}).get("findings", [])
        if not own_source or f["where"].startswith(own_source)
    ]

    def from_check(name: str) -> tuple[str, str]:
        check = _check(checks, name)
        if check is None:
            return NOT_MEASURED, "the check did not run"
        return (DONE if check["outcome"] == "passed" else FAILED), check["detail"]

    status: dict[str, tuple[str, str]] = {}
    if entry is None:
        status = {r.id: (NOT_MEASURED, "not evaluated yet") for r in RULES}
    else:
        failure = record.get("failure") or ""
        installed = not entry.get("install_error") and kind != "install"
        status["installs"] = (DONE, "") if installed else (FAILED, (entry.get("install_error") or failure)[:300])
        loaded = installed and record.get("status") not in (None, "absent") and kind != "import"
        status["loads"] = (DONE, "") if loaded else (FAILED, failure or "not found")
        contained = kind not in UNCONTAINED
        status["contained"] = (DONE, "") if contained else (FAILED, failure)
        status["protocol"] = from_check("protocol")
        status["lifecycle"] = from_check("lifecycle")
        licenses = (security.get("licenses") or {}).get("packages", [])
        own = next(
            (p for p in licenses if p["package"].split("==")[0].replace("_", "-").lower() == entry["package"].lower()),
            None,
        )
        status["license"] = (
            (NOT_MEASURED, "no license record")
            if own is None
            else ((DONE, own["license"]) if own["allowed"] else (FAILED, own["license"]))
        )
        failed_required = conformance.failed_required(checks)
        status["conformance"] = (
            (NOT_MEASURED, "")
            if not checks
            else ((FAILED, "; ".join(failed_required)) if failed_required else (DONE, ""))
        )
        if (security.get("bandit") or {}).get("status") != "scanned":
            status["no_high_findings"] = status["no_medium_findings"] = (
                NOT_MEASURED,
                (security.get("bandit") or {}).get("reason") or "not scanned",
            )
        else:
            for rule, level in (("no_high_findings", "HIGH"), ("no_medium_findings", "MEDIUM")):
                hits = [f"{f['test']} at {f['where']}" for f in findings if f["severity"] == level]
                status[rule] = (FAILED, "; ".join(hits[:5])) if hits else (DONE, "")
        bad = [p["package"] for p in licenses if not p["allowed"]]
        status["dependency_licenses"] = (
            (NOT_MEASURED, "")
            if not licenses
            else ((FAILED, ", ".join(bad[:8])) if bad else (DONE, f"{len(licenses)} packages"))
        )
        bench = record.get("bench") or {}
        status["benchmarked"] = (
            (DONE, "")
            if bench.get("throughput_ratio")
            else (NOT_MEASURED, bench.get("not_benchmarked", "no benchmark"))
        )
        advisory_failed = [c["check"] for c in checks if not c["required"] and c["outcome"] == "failed"]
        status["advisory_checks"] = (
            (NOT_MEASURED, "")
            if not checks
            else ((FAILED, ", ".join(advisory_failed)) if advisory_failed else (DONE, ""))
        )
        if plugin_id.startswith("sink/"):
            status["drain_verified"] = from_check("sink.drains_on_stop")
            if status["drain_verified"][0] == FAILED and _check(checks, "sink.drains_on_stop")["outcome"] == "skipped":
                status["drain_verified"] = (NOT_MEASURED, _check(checks, "sink.drains_on_stop")["detail"])
        else:
            status["drain_verified"] = (DONE, "not a sink")
        present = {v: s for v, s in compatibility_rows.items() if s != "absent"}
        broken = [v for v, s in present.items() if s != "passed"]
        if broken:
            status["compatibility"] = (FAILED, "fails on fapilog " + ", ".join(broken))
        elif len(present) < 2:
            status["compatibility"] = (FAILED, f"passes on {len(present)} release(s) only")
        else:
            status["compatibility"] = (DONE, "passes on fapilog " + ", ".join(present))
        behaviour = record.get("behaviour")
        for rule, level in (("no_high_behaviour", "HIGH"), ("no_medium_behaviour", "MEDIUM")):
            if not isinstance(behaviour, dict):
                status[rule] = (NOT_MEASURED, "evaluated before behaviour was recorded")
                continue
            hits = [f["detail"] for f in behaviour.get("findings", []) if f["severity"] == level]
            status[rule] = (FAILED, "; ".join(hits[:3])) if hits else (DONE, "")
        audit = security.get("pip_audit") or {}
        if audit.get("vulnerabilities"):
            status["no_known_vulnerabilities"] = (
                FAILED,
                ", ".join(f"{v['package']} {v['id']}" for v in audit["vulnerabilities"][:5]),
            )
        elif audit.get("status") == "scanned":
            status["no_known_vulnerabilities"] = (DONE, f"{audit['audited']} dependencies audited")
        else:
            status["no_known_vulnerabilities"] = (NOT_MEASURED, audit.get("reason") or "not scanned")

    results = []
    for rule in RULES:
        outcome, detail = status[rule.id]
        if outcome != DONE and rule.id in exemptions:
            outcome, detail = EXEMPT, exemptions[rule.id]
        results.append(RuleResult(rule, outcome, detail))
    return results


def tier(results: list[RuleResult]) -> str | None:
    """The highest tier whose rules, and all lower tiers' rules, are done or exempt."""
    reached = None
    for name in TIERS:
        if all(r.status in (DONE, EXEMPT) for r in results if r.rule.tier == name):
            reached = name
        else:
            break
    return reached
