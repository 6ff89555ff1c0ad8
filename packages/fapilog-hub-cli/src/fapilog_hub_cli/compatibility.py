"""Judgements: is a plugin compatible with the installed fapilog, is an installed one outdated.

One job, no I/O: the commands pass in what the catalog says and what is installed, and
get back a verdict with the reasons behind it (printed as they are, and in --json).

Compatibility has two sources in the catalog, and both are used:

- the range the plugin declares (``compatibility.fapilog``, from its registry entry or
  its package's ``Requires-Dist``): a fapilog outside it is *incompatible*;
- the hub's evaluation matrix (``evaluation.compatibility``: fapilog version -> outcome):
  the hub ran the plugin's conformance checks against those fapilog releases. A cell for
  the installed fapilog that is not ``passed`` makes the plugin *incompatible* too (the
  hub saw it fail with that exact fapilog); ``absent`` means it was not evaluated there.
  With no cell for the installed version the verdict is *untested* (in range, unchecked).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from fapilog_hub_cli.catalog_model import Plugin

COMPATIBLE, INCOMPATIBLE, UNTESTED, UNKNOWN = "compatible", "incompatible", "untested", "unknown"
NOT_EVALUATED = {"absent"}  # matrix cells that say the hub did not run it there


@dataclass(frozen=True)
class Compatibility:
    status: str  # compatible / incompatible / untested / unknown
    fapilog: str | None  # the installed fapilog version judged against
    declared: str  # the plugin's declared range
    in_range: bool | None
    evaluated: str | None  # the matrix cell for the installed fapilog, if any
    matrix: dict[str, str]
    reasons: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "fapilog": self.fapilog,
            "declared": self.declared,
            "in_declared_range": self.in_range,
            "evaluated_with_installed_fapilog": self.evaluated,
            "evaluated_matrix": self.matrix,
            "reasons": list(self.reasons),
        }


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def matrix_cell(matrix: dict[str, str], fapilog: str) -> str | None:
    """The outcome recorded for `fapilog` (versions compared as versions: 0.18 == 0.18.0)."""
    wanted = _version(fapilog)
    for version, outcome in matrix.items():
        if version == fapilog or (wanted is not None and _version(version) == wanted):
            return outcome
    return None


def judge(plugin: Plugin, fapilog: str | None) -> Compatibility:
    declared = plugin.declared_fapilog
    matrix = plugin.matrix
    if plugin.origin == "builtin":
        reason = "ships with fapilog: always matches the installed fapilog"
        return Compatibility(COMPATIBLE, fapilog, declared, True, None, matrix, (reason,))
    if fapilog is None:
        reason = "fapilog is not installed in this environment"
        return Compatibility(UNKNOWN, None, declared, None, None, matrix, (reason,))
    installed = _version(fapilog)
    in_range = installed is not None and SpecifierSet(declared).contains(installed, prereleases=True)
    cell = matrix_cell(matrix, fapilog)
    evaluated = ", ".join(f"{v}: {o}" for v, o in matrix.items()) or "none"
    reasons: list[str] = []
    status = COMPATIBLE
    if not in_range:
        status = INCOMPATIBLE
        reasons.append(f"declares fapilog {declared}, which excludes the installed fapilog {fapilog}")
    else:
        reasons.append(f"declares fapilog {declared}, which includes the installed {fapilog}")
    if cell is None or cell in NOT_EVALUATED:
        if status == COMPATIBLE:
            status = UNTESTED
        reasons.append(f"the hub has not evaluated it with fapilog {fapilog} (evaluated: {evaluated})")
    elif cell == "passed":
        reasons.append(f"the hub's evaluation with fapilog {fapilog} passed")
    else:
        status = INCOMPATIBLE
        reasons.append(f"the hub's evaluation with fapilog {fapilog} failed: {cell}")
    return Compatibility(status, fapilog, declared, in_range, cell, matrix, tuple(reasons))


@dataclass(frozen=True)
class Freshness:
    installed: str
    latest: str | None
    outdated: bool
    note: str | None = None


def freshness(installed: str, plugin: Plugin) -> Freshness:
    latest = plugin.latest_version
    if latest is None:
        return Freshness(installed, None, False, "the catalog records no version for this package")
    new, old = _version(latest), _version(installed)
    if new is None or old is None:
        return Freshness(installed, latest, False, f"cannot compare versions {installed!r} and {latest!r}")
    return Freshness(installed, latest, old < new)


@dataclass(frozen=True)
class Security:
    """What the hub's evaluation found: bandit's findings by severity, and the dependency scan."""

    bandit: dict[str, int] | None  # None: not scanned
    vulnerability_scan: str | None
    rules: dict[str, str] = field(default_factory=dict)

    @property
    def findings(self) -> int:
        return sum(self.bandit.values()) if self.bandit else 0

    @property
    def serious(self) -> bool:
        """Findings of MEDIUM or HIGH severity, or a failed vulnerability rule."""
        counts = self.bandit or {}
        return (
            bool(counts.get("HIGH") or counts.get("MEDIUM")) or self.rules.get("no_known_vulnerabilities") == "failed"
        )

    def summary(self) -> str:
        if self.bandit is None:
            code = "static analysis: not scanned"
        elif not self.findings:
            code = "static analysis: no findings"
        else:
            order = ["HIGH", "MEDIUM", "LOW"]
            parts = sorted(self.bandit.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 9)
            code = "static analysis: " + ", ".join(f"{n} {severity}" for severity, n in parts)
        return f"{code}; dependency vulnerability scan: {self.vulnerability_scan or 'not recorded'}"

    def to_json(self) -> dict:
        return {
            "bandit": self.bandit,
            "vulnerability_scan": self.vulnerability_scan,
            "serious": self.serious,
            "summary": self.summary(),
        }


def security(plugin: Plugin) -> Security | None:
    evaluation = plugin.evaluation
    if not evaluation:
        return None
    bandit = evaluation.get("bandit")
    rules = evaluation.get("rules") or {}
    return Security(
        bandit={str(k): int(v) for k, v in bandit.items()} if isinstance(bandit, dict) else None,
        vulnerability_scan=evaluation.get("vulnerability_scan"),
        rules={str(k): str(v) for k, v in rules.items()} if isinstance(rules, dict) else {},
    )
