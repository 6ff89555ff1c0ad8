"""How reports look: plain text for people, JSON for machines.

One job. The commands build each report once, as plain dicts (what ``--json`` prints);
these functions only lay them out as text.
"""

from __future__ import annotations

import json
from typing import Any


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False, default=str)


def columns(rows: list[list[str]], gap: int = 2) -> list[str]:
    """Rows as left-aligned columns (the last column is not padded)."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        (" " * gap).join([cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]).rstrip()
        for row in rows
    ]


def tier(plugin: dict[str, Any]) -> str:
    return plugin.get("quality_tier") or "no tier"


def search(results: list[dict[str, Any]], text: str) -> str:
    if not results:
        return f"no plugin in the catalog matches {text!r}"
    rows = [["PLUGIN", "TIER", "SUPPORT", "FAPILOG", "SUMMARY"]]
    for p in results:
        rows.append([p["id"], tier(p), p["support"], p["compatibility"]["declared"], p["summary"]])
    count = len(results)
    return "\n".join([*columns(rows), "", f"{count} plugin{'s' if count != 1 else ''} match {text!r}"])


def info(p: dict[str, Any]) -> str:
    lines = [f"{p['id']}: {p['summary']}"]
    if p["origin"] == "builtin":
        lines.append(f"  package: fapilog (built in){_extra(p)}")
    else:
        lines.append(f"  package: {p['package']} (latest {p['latest_version'] or 'unknown'}; {p['release']})")
        lines.append(f"  install: {p['requirement']}")
    lines.append(f"  tier: {tier(p)}; support: {p['support']}")
    compat = p["compatibility"]
    matrix = ", ".join(f"{v} {o}" for v, o in compat["evaluated_matrix"].items()) or "not evaluated"
    lines.append(f"  compatibility: declares fapilog {compat['declared']}; hub evaluation by fapilog version: {matrix}")
    here = p["here"]
    installed = f"installed {here['installed']}" if here["installed"] else "not installed"
    lines.append(f"  here: fapilog {here['fapilog'] or 'not installed'}, {installed}: {compat['status']}")
    lines += [f"    {reason}" for reason in compat["reasons"]]
    evaluation = p["evaluation"]
    if evaluation:
        lines.append(
            f"  evaluation ({evaluation['evaluated']}): {evaluation['status']}, "
            f"{evaluation['checks_passed']}/{evaluation['checks_total']} checks passed"
            + (f"; failure: {evaluation['failure']}" if evaluation.get("failure") else "")
        )
        lines.append(f"  security: {p['security']['summary']}")
    else:
        lines.append("  evaluation: none recorded")
    lines.append(f"  release state: {p['release_state']} ({p['release_state_reason']})")
    lines += [f"  note: {problem}" for problem in p["problems"]]
    if p["page_url"]:
        lines.append(f"  page: {p['page_url']}")
    return "\n".join(lines)


def _extra(p: dict[str, Any]) -> str:
    return f"; needs the extra fapilog[{p['extra']}]" if p.get("extra") else "; nothing to install"


def check(report: dict[str, Any]) -> str:
    env = report["environment"]
    lines = [f"fapilog {env['fapilog'] or 'is not installed'} ({env['python']})"]
    if env["fapilog"] and env["fapilog"] != report["catalog"]["fapilog_version"]:
        lines.append(f"the catalog was built with fapilog {report['catalog']['fapilog_version']}")
    if not report["plugins"]:
        lines.append("no plugin packages installed (fapilog's built-ins need no check)")
    for p in report["plugins"]:
        head = f"{p['id']}  {p['distribution']} {p['installed_version']}"
        lines.append(f"{head}: {', '.join(p['flags']) or 'up to date'}")
        if p["delisted"]:
            lines.append(f"    {p['delisted_reason']}")
            continue
        compat = p["compatibility"]
        lines.append(f"    {compat['status']}: " + "; ".join(compat["reasons"]))
        if p["archived"] or p["release_state"] == "inactive":
            lines.append(f"    release: {p['release_state']} ({p['release_state_reason']})")
        security = p["security"]["summary"] if p["security"] else "no evaluation recorded"
        lines.append(f"    tier {tier(p)}, support {p['support']}; {security}")
    s = report["summary"]
    count = s["plugins"]
    lines += [
        "",
        f"{count} plugin{'s' if count != 1 else ''}: {s['incompatible']} incompatible, {s['outdated']} outdated, "
        f"{s['delisted']} delisted, {s['archived']} archived, {s['security']} with serious security findings",
    ]
    if report["failed_on"]:
        lines.append(f"exit {report['exit_code']}: {', '.join(report['failed_on'])}")
    return "\n".join(lines)


def doctor(report: dict[str, Any]) -> str:
    lines = [f"fapilog {report['fapilog']}: {len(report['named'])} plugin name(s) in the configuration"]
    lines += [f"note: {n}" for n in report["notes"]]
    if not report["findings"]:
        lines.append("every configured plugin is built in or installed, and fapilog would load it")
    for f in report["findings"]:
        lines.append(f"{f['path']}: {f['message']}")
    return "\n".join(lines)
