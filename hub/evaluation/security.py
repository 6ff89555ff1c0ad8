"""Security and license checks over an installed plugin, none of which runs plugin code.

- **bandit** (pinned) reads the plugin's installed source as text (the AST): findings
  with their severity and confidence.
- **pip-audit** (pinned) looks up every installed distribution of the plugin's venv in a
  vulnerability service. A dependency the service could not look up is *not audited*,
  and the result says so: pip-audit itself prints "No known vulnerabilities found" even
  when it audited nothing, which must never be shown as a pass.
- **licenses**: each installed distribution's license, read from its metadata, against
  the allow-list in ``registry/evaluation/licenses.yml``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

import yaml

from hub.project import ROOT

LICENSE_POLICY = ROOT / "registry" / "evaluation" / "licenses.yml"
TOOL_TIMEOUT_SECONDS = 300
SEVERITIES = ("HIGH", "MEDIUM", "LOW")


def bandit(paths: list[Path]) -> dict[str, Any]:
    """Static findings over Python files or folders; counts per severity and each finding."""
    files = [str(p) for p in paths if p.exists()]
    if not files:
        return {"status": "not scanned", "reason": "no installed Python source found", "findings": []}
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "-f", "json", "-q", *files],
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_SECONDS,
    )
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return {
            "status": "not scanned",
            "reason": f"bandit failed: {(run.stderr or run.stdout)[-300:]}",
            "findings": [],
        }
    findings = [
        {
            "severity": r["issue_severity"],
            "confidence": r["issue_confidence"],
            "test": f"{r['test_id']} {r['test_name']}",
            "where": f"{_short_path(r['filename'])}:{r['line_number']}",
            "text": r["issue_text"],
        }
        for r in report.get("results", [])
    ]
    findings.sort(key=lambda f: (SEVERITIES.index(f["severity"]) if f["severity"] in SEVERITIES else 9, f["where"]))
    totals = report.get("metrics", {}).get("_totals", {})
    return {
        "status": "scanned",
        "lines": totals.get("loc", 0),
        "counts": {s.lower(): sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
        "findings": findings,
        "errors": [e.get("reason", "") for e in report.get("errors", [])],
    }


def _short_path(filename: str) -> str:
    # Findings name files inside the package, not inside this machine's cache folder.
    return filename.split("site-packages/", 1)[-1]


def pip_audit(requirements: list[str]) -> dict[str, Any]:
    """Known vulnerabilities of a pinned dependency set (name==version lines)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(requirements) + "\n")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "-r",
            handle.name,
            "--no-deps",
            "--disable-pip",
            "-f",
            "json",
            "--progress-spinner",
            "off",
            "-s",
            "pypi",
            "--timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_SECONDS,
    )
    Path(handle.name).unlink(missing_ok=True)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        reason = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"status": "not scanned", "reason": f"pip-audit failed: {reason[0][:300]}", "vulnerabilities": []}
    return summarize_audit(report, len(requirements))


def summarize_audit(report: dict[str, Any], requested: int) -> dict[str, Any]:
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    vulnerabilities = [
        {
            "package": f"{d['name']}=={d.get('version', '?')}",
            "id": v["id"],
            "fix": ", ".join(v.get("fix_versions", [])),
            "aliases": v.get("aliases", []),
        }
        for d in deps
        for v in d.get("vulns", [])
    ]
    audited = len(deps) - len(skipped)
    summary: dict[str, Any] = {
        "service": "pypi",
        "dependencies": requested,
        "audited": audited,
        "vulnerabilities": vulnerabilities,
    }
    if audited == 0:
        reasons = sorted({re.sub(r":.*", "", d["skip_reason"]) for d in skipped}) or ["no dependency audited"]
        summary.update(
            status="not scanned", reason="; ".join(reasons) + f" ({len(skipped)} of {requested} dependencies)"
        )
    elif skipped:
        summary.update(status="partial", reason=f"{len(skipped)} of {requested} dependencies could not be looked up")
    else:
        summary["status"] = "scanned"
    return summary


def licenses(site_packages: Path, policy_path: Path = LICENSE_POLICY) -> dict[str, Any]:
    """Every installed distribution's license against the allow-list."""
    policy = yaml.safe_load(policy_path.read_text(encoding="utf-8"))
    allowed, aliases = set(policy["allowed"]), policy["aliases"]
    rows, findings = [], []
    for metadata_file in sorted(site_packages.glob("*.dist-info/METADATA")):
        headers = HeaderParser().parsestr(metadata_file.read_text(encoding="utf-8", errors="replace"))
        name, version = headers.get("Name", "?"), headers.get("Version", "?")
        if name.replace("_", "-").lower() in {"pip", "fapilog-hub-conformance"}:
            continue  # tools of the evaluation itself, not the plugin's dependencies
        license_id = license_of(headers, aliases, allowed)
        ok = license_id is not None and expression_allowed(license_id, allowed)
        rows.append({"package": f"{name}=={version}", "license": license_id or "unknown", "allowed": ok})
        if not ok:
            findings.append(
                {
                    "severity": "MEDIUM",
                    "package": f"{name}=={version}",
                    "text": f"license {license_id or 'not declared in metadata'} is not on the allow-list",
                }
            )
    return {"status": "checked", "packages": rows, "findings": findings}


def license_of(headers: Any, aliases: dict[str, str], known: set[str] = frozenset()) -> str | None:
    expression = (headers.get("License-Expression") or "").strip()
    if expression:
        return expression
    free_text = (headers.get("License") or "").strip()
    if free_text in aliases:
        return aliases[free_text]
    if free_text in known:  # already an SPDX identifier
        return free_text
    for classifier in headers.get_all("Classifier") or []:
        if classifier.startswith("License ::") and classifier in aliases:
            return aliases[classifier]
    return None


def expression_allowed(expression: str, allowed: set[str]) -> bool:
    """SPDX expression check: any alternative of an OR, every part of an AND, must be allowed."""
    cleaned = expression.replace("(", " ").replace(")", " ")
    if re.search(r"\bOR\b", cleaned):
        return any(expression_allowed(part, allowed) for part in re.split(r"\bOR\b", cleaned))
    parts = [p.strip() for p in re.split(r"\bAND\b", cleaned) if p.strip()]
    return bool(parts) and all(p in allowed for p in parts)


# --- behaviour seen in the sandbox (probe/guard.py, decoys.py) ----------------------------

PRIVATE_FOLDERS = ("/tmp/", "/var/tmp/", "/dev/shm/")  # the sandbox's own, thrown away at exit


def behaviour_findings(log: list[dict[str, Any]], leaks: list[str], own: set[str] | None = None) -> dict[str, Any]:
    """What the plugin tried inside the sandbox, as findings with a severity.

    HIGH: its code opened a decoy credential file, a decoy credential value left the
    sandbox's environment (in its output, its events or its files, whoever put it there), or
    it tried to write outside its working folder and the sandbox's private temporary folders.
    MEDIUM: its code read an environment variable whose name looks like a secret, or started
    a process. LOW: it wrote into the sandbox's private temporary folders; or one of its
    dependencies (not its own modules, `own`) read credentials or started a process:
    botocore reading AWS credentials for an AWS sink is what the sink is for, and shown, not
    counted. When `own` is None every caller counts as the plugin's code.
    """
    findings: list[dict[str, str]] = []

    def add(severity: str, kind: str, detail: str) -> None:
        item = {"severity": severity, "kind": kind, "detail": detail[:300]}
        if item not in findings:
            findings.append(item)

    for leak in leaks:
        add("HIGH", "decoy_leaked", f"a decoy credential planted in its environment appeared {leak}")
    for entry in log:
        kind, by = entry.get("kind"), entry.get("by", "?")
        top = str(by).split("/", 1)[0]
        # Writes outside its folder count whoever makes them: a plugin can ship a hostile dependency.
        if own is not None and top not in own and kind != "write_outside":
            _dependency_finding(add, entry, top)
            continue
        if kind == "credential_file":
            add("HIGH", kind, f"opened the decoy credential file ~/{entry.get('path')} ({by})")
        elif kind == "write_outside":
            path = str(entry.get("path"))
            private = path.startswith(PRIVATE_FOLDERS)
            severity = "LOW" if private else "HIGH"
            what = "wrote to the sandbox's private" if private else "tried to write outside its working folder:"
            add(severity, kind, f"{what} {path} ({entry.get('operation', 'open')}, {by})")
        elif kind == "secret_env_read":
            add("MEDIUM", kind, f"read the environment variable {entry.get('name')} ({by})")
        elif kind == "process":
            add("MEDIUM", kind, f"started a process: {entry.get('program')} ({by})")
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order.get(f["severity"], 9), f["kind"], f["detail"]))
    counts = {s: sum(f["severity"] == s for f in findings) for s in SEVERITIES}
    return {"findings": findings[:50], "counts": counts}


def _dependency_finding(add: Any, entry: dict[str, Any], top: str) -> None:
    kind, by = entry.get("kind"), entry.get("by", "?")
    what = {
        "credential_file": f"opened the decoy credential file ~/{entry.get('path')}",
        "secret_env_read": f"read the environment variable {entry.get('name')}",
        "process": f"started a process: {entry.get('program')}",
    }.get(kind, str(kind))
    add("LOW", kind, f"its dependency {top} {what} ({by})")
