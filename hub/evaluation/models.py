"""The shape of the results file (registry/results/evaluations.json), validated on load.

The runner writes plain JSON; these models are what the pages, the tier rules and
catalog.json may rely on. Fields are forbidden unless declared, so a misspelt field in the
runner, in a hand edit or in a merge fails the build with its path instead of rendering
as a blank. Each failed plugin record carries a machine-readable `failure_kind` beside its
English `failure` message: the tier rules decide on the kind, never on the wording.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# Why a plugin's evaluation failed. The runner sets one with every failure message.
FailureKind = Literal[
    "absent",  # the package installed but does not provide the plugin
    "install",  # the package did not install into its own environment
    "service",  # needs a local service (database, receiver) that cannot run here
    "import",  # importing the plugin raised
    "timeout",  # the sandbox stopped it at the time limit
    "output_limit",  # it wrote more output than the sandbox allows
    "crashed",  # the probe process died on a signal
    "exited",  # the plugin ended the probe process itself (sys.exit, os._exit)
    "sandbox",  # the sandbox refused or failed to run it
    "incomplete",  # the probe stopped without writing a complete report
    "network",  # opened connections or looked up names it did not declare
    "conformance",  # ran, but failed a required conformance check
]
# The kinds that mean the plugin was not contained by the evaluation (the "contained" rule).
UNCONTAINED: frozenset[str] = frozenset(
    {"timeout", "output_limit", "crashed", "exited", "sandbox", "incomplete", "network"}
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Open(BaseModel):
    """Figures whose set differs by plugin type or outcome; the pages read them by name."""

    model_config = ConfigDict(extra="allow")


class Check(Strict):
    check: str
    outcome: Literal["passed", "failed", "skipped"]
    detail: str
    required: bool


class BehaviourFinding(Strict):
    kind: str
    severity: Literal["HIGH", "MEDIUM", "LOW"]
    detail: str


class Behaviour(Strict):
    findings: list[BehaviourFinding]
    counts: dict[Literal["HIGH", "MEDIUM", "LOW"], int]


class NetworkEvent(Strict):
    event: str
    target: str
    expected: bool


class BenchFigures(Strict):
    """hub/evaluation/bench.py summarize(): the plugin and its reference, measured in one run."""

    seconds_per_round: float
    calls: int
    reference_calls: int
    warmup: int
    rounds: int
    ops_per_second: float
    p95_ms: float
    reference_ops_per_second: float
    reference_p95_ms: float
    throughput_ratio: float | None
    p95_ratio: float | None


class NotBenchmarked(Strict):
    not_benchmarked: str


class PluginRecord(Strict):
    status: Literal["passed", "failed", "absent", "not evaluated"]
    failure: str | None = None
    failure_kind: FailureKind | None = None
    duration_seconds: float | None = None
    source_file: str | None = None
    conformance: list[Check] = Field(default_factory=list)
    behaviour: Behaviour | None = None
    network: list[NetworkEvent] = Field(default_factory=list)
    bench: BenchFigures | NotBenchmarked | None = None
    compliance: Open | None = None
    output_tail: str | None = None

    @model_validator(mode="after")
    def _failure_has_a_kind(self) -> PluginRecord:
        if (self.failure is None) != (self.failure_kind is None):
            raise ValueError("failure and failure_kind go together: set both (a failed record) or neither")
        return self


class Bandit(Strict):
    """hub/evaluation/security.py bandit(): findings in the package's own source."""

    status: Literal["scanned", "not scanned"]
    reason: str | None = None
    lines: int | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    findings: list[dict[str, Any]] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)


class PipAudit(Strict):
    """security.summarize_audit(): known vulnerabilities in the installed dependency set."""

    status: str
    reason: str | None = None
    service: str | None = None
    dependencies: int | None = None
    audited: int | None = None
    vulnerabilities: list[dict[str, Any]] = Field(default_factory=list)


class Licenses(Strict):
    """security.licenses(): every installed package's licence against the allow-list."""

    status: str
    packages: list[dict[str, Any]] = Field(default_factory=list)
    findings: list[dict[str, Any]] = Field(default_factory=list)


class Security(Strict):
    bandit: Bandit | None = None
    pip_audit: PipAudit | None = None
    licenses: Licenses | None = None


class Source(Strict):
    url: str
    commit: str | None = None
    digest: str | None = None
    obtained: str


class Entry(Strict):
    package: str
    version: str
    fapilog_version: str
    runner_version: str
    date: dt.date
    environment: dict[str, Any]
    kind: Literal["full", "compatibility"]
    plugins: dict[str, PluginRecord] = Field(default_factory=dict)
    source_digest: str | None = None
    source: Source | None = None
    security: Security | None = None
    install_error: str | None = None


class PresetRun(Strict):
    date: dt.date
    fapilog_version: str
    environment: dict[str, Any]
    scorecards: dict[str, Open] = Field(default_factory=dict)
    failure: str | None = None
    output_tail: str | None = None


class ResultsFile(Strict):
    about: str
    meta: dict[str, Any] = Field(default_factory=dict)
    entries: dict[str, Entry] = Field(default_factory=dict)
    presets: dict[str, PresetRun] = Field(default_factory=dict)


class ResultsError(Exception):
    """The results file does not have the shape above; the message names each bad field."""


def validate(data: Any, where: str) -> ResultsFile:
    try:
        return ResultsFile.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{where}: {'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in error.errors()[:20]
        ]
        more = f"\n... and {error.error_count() - 20} more" if error.error_count() > 20 else ""
        raise ResultsError("\n".join(lines) + more) from None
