"""How reports look: plain text for people, JSON for machines.

One job. The commands build each report once, as plain dicts (what ``--json`` prints);
these functions only lay them out as text, wrapped to the terminal's width (``COLUMNS``,
else 100 columns when the output is not a terminal, so logs and CI output do not depend
on a window's size).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import textwrap
from typing import Any

DEFAULT_WIDTH = 100
RELEASES = {
    "published": "on PyPI",
    "not-on-pypi": "not on PyPI: installed from its repository",
    "not-recorded": "no release recorded by the catalog",
}


def width() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return max(60, int(columns))
    if sys.stdout.isatty():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def wrap(text: str, indent: str = "", more: str = "    ") -> list[str]:
    """One logical line, wrapped; continuation lines are indented further."""
    return textwrap.wrap(
        text,
        width=width(),
        initial_indent=indent,
        subsequent_indent=indent + more,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent]


def message(text: str) -> str:
    """A message of one or more lines, each wrapped."""
    return "\n".join(line for part in text.splitlines() for line in wrap(part, "", "    "))


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False, default=str)


def command(argv: list[str]) -> str:
    """A command as the shell reads it; a long one split over lines, one option or requirement each."""
    one_line = shlex.join(argv)
    if len(one_line) <= width():
        return one_line
    words = [shlex.quote(w) for w in argv]
    # The program and its subcommand stay on the first line (`python -m pip install`, `uv pip install`).
    first = next((i for i, w in enumerate(argv) if w.startswith("--")), len(argv))
    parts = [" ".join(words[:first])]
    i = first
    while i < len(argv):
        takes_value = argv[i] in ("--python", "--constraint") and i + 1 < len(argv)
        parts.append(" ".join(words[i : i + 2]) if takes_value else words[i])
        i += 2 if takes_value else 1
    return " \\\n    ".join(parts)


def columns(rows: list[list[str]], gap: int = 2) -> list[str]:
    """Rows as left-aligned columns; the last column is cut to the width."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    room = max(20, width() - sum(widths) - gap * len(widths))
    lines = []
    for row in rows:
        last = row[-1] if len(row[-1]) <= room else row[-1][: room - 3].rstrip() + "..."
        lines.append((" " * gap).join([cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [last]).rstrip())
    return lines


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
    lines = wrap(f"{p['id']}: {p['summary']}")
    if p["origin"] == "builtin":
        extra = f"needs the extra fapilog[{p['extra']}]" if p.get("extra") else "nothing to install"
        lines += wrap(f"package: fapilog (built in; {extra})", "  ")
    else:
        release = RELEASES.get(p["release"], p["release"])
        lines += wrap(f"package: {p['package']} (latest {p['latest_version'] or 'unknown'}; {release})", "  ")
        lines.append(f"  install: {p['requirement']}")  # one piece, to copy whole
    lines.append(f"  tier: {tier(p)}; support: {p['support']}")
    compat = p["compatibility"]
    matrix = ", ".join(f"{v} {o}" for v, o in compat["evaluated_matrix"].items()) or "not evaluated"
    lines += wrap(
        f"compatibility: declares fapilog {compat['declared']}; hub evaluation by fapilog version: {matrix}", "  "
    )
    here = p["here"]
    installed = f"installed {here['installed']}" if here["installed"] else "not installed"
    lines.append(f"  here: fapilog {here['fapilog'] or 'not installed'}, {installed}: {compat['status']}")
    for reason in compat["reasons"]:
        lines += wrap(reason, "    - ", "  ")
    evaluation = p["evaluation"]
    if evaluation:
        failure = f"; failure: {evaluation['failure']}" if evaluation.get("failure") else ""
        lines += wrap(
            f"evaluation ({evaluation['evaluated']}): {evaluation['status']}, "
            f"{evaluation['checks_passed']}/{evaluation['checks_total']} checks passed{failure}",
            "  ",
        )
        lines += wrap(f"security: {p['security']['summary']}", "  ")
    else:
        lines.append("  evaluation: none recorded")
    lines += wrap(f"release state: {p['release_state']} ({p['release_state_reason']})", "  ")
    for problem in p["problems"]:
        lines += wrap(f"note: {problem}", "  ")
    if p["page_url"]:
        lines.append(f"  page: {p['page_url']}")
    return "\n".join(lines)


def check(report: dict[str, Any]) -> str:
    env = report["environment"]
    lines = wrap(f"fapilog {env['fapilog'] or 'is not installed'} ({env['python']})")
    if env["fapilog"] and env["fapilog"] != report["catalog"]["fapilog_version"]:
        lines.append(f"the catalog was built with fapilog {report['catalog']['fapilog_version']}")
    if not report["plugins"]:
        lines.append("no plugin packages installed (fapilog's built-ins need no check)")
    for p in report["plugins"]:
        lines.append("")
        head = f"{p['id']}  {p['distribution']} {p['installed_version']}"
        lines += wrap(f"{head}: {', '.join(p['flags']) or 'up to date'}")
        if p["delisted"]:
            lines += wrap(p["delisted_reason"], "    ")
            continue
        compat = p["compatibility"]
        lines.append(f"    {compat['status']} with fapilog {compat['fapilog']}:")
        for reason in compat["reasons"]:
            lines += wrap(reason, "      - ", "  ")
        if p["archived"] or p["release_state"] == "inactive":
            lines += wrap(f"release: {p['release_state']} ({p['release_state_reason']})", "    ")
        lines.append(f"    tier {tier(p)}, support {p['support']}")
        security = p["security"]["summary"] if p["security"] else "no evaluation recorded"
        lines += wrap(f"security: {security}", "    ")
    s = report["summary"]
    count = s["plugins"]
    lines += [""]
    lines += wrap(
        f"{count} plugin{'s' if count != 1 else ''}: {s['incompatible']} incompatible, {s['outdated']} outdated, "
        f"{s['delisted']} delisted, {s['archived']} archived, {s['security']} with serious security findings"
    )
    if report["failed_on"]:
        lines.append(f"exit {report['exit_code']}: {', '.join(report['failed_on'])}")
    return "\n".join(lines)


def doctor(report: dict[str, Any]) -> str:
    lines = [f"fapilog {report['fapilog']}: {len(report['named'])} plugin name(s) in the configuration"]
    for note in report["notes"]:
        lines += wrap(f"note: {note}")
    if not report["findings"]:
        lines.append("every configured plugin is built in or installed, and fapilog would load it")
    for f in report["findings"]:
        lines += wrap(f"{f['path']}: {f['message']}")
    return "\n".join(lines)
