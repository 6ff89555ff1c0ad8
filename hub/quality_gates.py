"""The hub's quality gates, read from the CI workflow itself, so the page cannot drift from CI.

Each job of the workflow is a gate: its display name, where it runs, the commands it
runs, and whether branch protection requires it (data/required-checks.yml).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub import community
from hub.project import ROOT

MATRIX_EXPRESSION = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")


@dataclass(frozen=True)
class Gate:
    job: str
    name: str
    runs_on: list[str]
    commands: list[str]
    required: bool


def gates(root: Path = ROOT) -> list[Gate]:
    policy = community.required_checks(root / "data")
    workflow = yaml.safe_load((root / policy.workflow).read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    unknown = sorted(set(policy.required) - set(jobs))
    if unknown:
        raise community.DataError(f"required-checks.yml names jobs that {policy.workflow} does not have: {unknown}")
    return [
        Gate(
            job=job_id,
            name=MATRIX_EXPRESSION.sub(lambda m: f"<{m[1]}>", str(job.get("name", job_id))),
            runs_on=runners(job),
            commands=[
                line.strip()
                for step in job.get("steps", [])
                for line in str(step.get("run", "")).splitlines()
                if line.strip()
            ],
            required=job_id in policy.required,
        )
        for job_id, job in jobs.items()
    ]


def runners(job: dict) -> list[str]:
    """Where a job runs, with its matrix expanded into readable combinations."""
    runs_on = str(job.get("runs-on", ""))
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    axes = {k: v for k, v in matrix.items() if isinstance(v, list)}
    if not axes:
        container = job.get("container")
        return [f"{runs_on} ({container})" if isinstance(container, str) else runs_on]
    combos = itertools.product(*axes.values())
    return [", ".join(str(v) for v in combo) for combo in combos]
