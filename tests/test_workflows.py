"""CI definitions are valid and call only nox sessions that exist; .ci/run runs the README's command."""

from __future__ import annotations

import re
import runpy
from functools import lru_cache
from pathlib import Path

import nox.registry
import pytest
import yaml

from support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
NOX_CALL = re.compile(r"\bnox\s+-s\s+([\w-]+)")


@lru_cache(maxsize=1)
def nox_sessions() -> frozenset[str]:
    runpy.run_path(str(ROOT / "noxfile.py"))  # registers the sessions with nox
    return frozenset(nox.registry.get())


def run_commands(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_and_calls_existing_nox_sessions(path: Path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    assert "name" in workflow and (True in workflow or "on" in workflow), f"{path.name}: needs name and on"
    assert workflow.get("jobs"), f"{path.name}: no jobs"
    for name, job in workflow["jobs"].items():
        assert "runs-on" in job, f"{path.name}: job {name} has no runs-on"
        assert job.get("steps"), f"{path.name}: job {name} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{path.name}: job {name}: a step needs exactly one of uses/run"
    sessions = nox_sessions()
    called = {m for command in run_commands(workflow) for m in NOX_CALL.findall(command)}
    assert called <= sessions, f"{path.name} calls nox sessions that do not exist: {sorted(called - sessions)}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "nox -s test    # run every check" in readme
    assert re.search(r"(?m)^nox -s test$", ci), ".ci/run must run the README's test command, `nox -s test`"
    assert "apt-get install" in ci and "chromium" in ci, ".ci/run must install Debian's chromium for the browser tests"


def test_the_checker_catches_a_missing_session(tmp_path):
    # The parametrized test above can fail: a workflow naming an unknown session is caught.
    workflow = {"jobs": {"x": {"runs-on": "ubuntu-latest", "steps": [{"run": "nox -s no-such-session"}]}}}
    called = {m for command in run_commands(workflow) for m in NOX_CALL.findall(command)}
    assert called - nox_sessions() == {"no-such-session"}


def _triggers(workflow: dict) -> set[str]:
    on = workflow.get(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    if isinstance(on, str):
        return {on}
    return set(on or [])


def _writes(permissions: object) -> list[str]:
    if permissions in ("write-all",):
        return ["write-all"]
    if isinstance(permissions, dict):
        return [scope for scope, level in permissions.items() if level == "write"]
    return []


def untrusted_code_problems(name: str, workflow: dict) -> list[str]:
    """Why a workflow would hand secrets or write access to a pull request's code."""
    triggers = _triggers(workflow)
    problems = []
    if "pull_request_target" in triggers:
        problems.append(f"{name}: triggered by pull_request_target, which runs with the base repository's secrets")
    if "pull_request" in triggers:
        if "permissions" not in workflow:
            problems.append(f"{name}: runs pull requests' code without a `permissions:` block (default may be write)")
        problems += [f"{name}: grants {w}: write to pull requests' code" for w in _writes(workflow.get("permissions"))]
        for job_name, job in workflow["jobs"].items():
            problems += [f"{name}: job {job_name} grants {w}: write" for w in _writes(job.get("permissions"))]
        text = yaml.safe_dump(workflow)
        problems += [f"{name}: reads {m}" for m in sorted(set(re.findall(r"secrets\.\w+", text)))]
    return problems


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_pull_requests_code_runs_without_secrets_or_write_access(path: Path):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert untrusted_code_problems(path.name, workflow) == []


def test_the_plugin_evaluation_runs_on_pull_requests():
    # The workflow the rules above guard is the one that evaluates submitted plugins.
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    assert "pull_request" in _triggers(ci)
    assert any(".ci/run" in c or "nox -s test" in c for c in run_commands(ci))


@pytest.mark.parametrize(
    ("workflow", "expected"),
    [
        ({"on": {"pull_request_target": {}}, "jobs": {}}, "pull_request_target"),
        ({"on": ["pull_request"], "jobs": {}}, "without a `permissions:` block"),
        ({"on": ["pull_request"], "permissions": {"contents": "write"}, "jobs": {}}, "contents: write"),
        (
            {"on": ["pull_request"], "permissions": {}, "jobs": {"j": {"env": {"T": "${{ secrets.PYPI_TOKEN }}"}}}},
            "secrets.PYPI_TOKEN",
        ),
    ],
)
def test_the_untrusted_code_check_can_fail(workflow, expected):
    assert any(expected in p for p in untrusted_code_problems("w.yml", workflow))
