"""Turn a 'Plugin review' issue into a review file (run by .github/workflows/review-to-pr.yml).

    python -m hub.reviews.from_issue EVENT.json [--reviews DIR] [--out DIR] [--github-output FILE]

EVENT.json is the GitHub ``issues`` event payload ($GITHUB_EVENT_PATH). The answers are read
from the issue body that GitHub renders from the form (``### <label>`` then the answer),
with the labels taken from .github/ISSUE_TEMPLATE/plugin-review.yml. The reviewer is the
issue's author and the date is the day the issue was opened, never a form answer.

Writes key=value lines for the workflow (``status`` = valid, invalid or ignored; for valid:
``path``, ``branch``, ``title``, ``body_file``, ``commit_message_file``; for invalid:
``body_file`` with the comment listing every problem). The issue text is untrusted: it goes
only into the YAML file (through yaml.safe_dump) and into files the workflow reads, never
into a shell command.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hub.project import ROOT
from hub.reviews import store

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "plugin-review.yml"
LABEL = "plugin-review"
NO_RESPONSE = "_No response_"
ACTIONS = ("opened", "edited", "labeled", "reopened")


@lru_cache(maxsize=1)
def form_fields() -> list[tuple[str, str]]:
    """(id, label) of each form element that has an answer, in form order."""
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    return [(el["id"], el["attributes"]["label"]) for el in form["body"] if el["type"] != "markdown"]


def parse_body(body: str) -> dict[str, str]:
    """The answers of a form-rendered issue body, by field id ('' for no answer).

    Headings are searched in form order, each after the previous one, so a '### ' line
    inside a free-text answer cannot shift the answers that follow.
    """
    text = "\n" + body.replace("\r\n", "\n")
    found: list[tuple[str, int, int]] = []
    position = 0
    for field_id, label in form_fields():
        heading = f"\n### {label}\n"
        start = text.find(heading, position)
        if start < 0:
            continue
        found.append((field_id, start, start + len(heading)))
        position = start + len(heading)
    answers = {}
    for i, (field_id, _, value_start) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        value = text[value_start:end].strip()
        answers[field_id] = "" if value == NO_RESPONSE else value
    return answers


@dataclass(frozen=True)
class Result:
    status: str
    outputs: dict[str, str]
    message: str


def review_data(issue: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """The review file's fields: form answers typed as the schema wants, author and date from the issue."""

    def number(text: str) -> int | str:
        cleaned = text.replace(",", "").replace("_", "").strip()
        return int(cleaned) if cleaned.isdigit() else text

    data: dict[str, Any] = {
        "plugin": answers.get("plugin", "").strip().strip("`"),
        "reviewer": issue["user"]["login"],
        "date": issue["created_at"][:10],
        "plugin_version": answers.get("plugin_version", "").strip(),
        "fapilog_version": answers.get("fapilog_version", "").strip(),
        "workload": {
            "events_per_second": number(answers.get("events_per_second", "")),
            "deployment": answers.get("deployment", "").strip(),
        },
        "rating": number(answers.get("rating", "")),
        "text": answers.get("text", "").strip() + "\n",
        "source": issue["html_url"],
    }
    return data


def _literal_strings(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, _literal_strings)


def to_yaml(data: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=../../../schema/review.schema.json\n"
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def handle(event: dict[str, Any], reviews_dir: Path, out_dir: Path, known_plugins=None) -> Result:
    issue = event.get("issue") or {}
    labels = {label.get("name") for label in issue.get("labels", [])}
    if event.get("action") not in ACTIONS or LABEL not in labels or "pull_request" in issue:
        return Result("ignored", {}, f"not a {LABEL} issue event; nothing to do")
    number = issue["number"]
    answers = parse_body(issue.get("body") or "")
    data = review_data(issue, answers)
    where = f"issue #{number}"
    review, problems = store.check_data(data, where)
    if "- [x]" not in answers.get("used", "").lower():
        problems.append(
            store.Problem(
                where, "Your experience", "the box is not ticked", "tick it if the review is your own experience"
            )
        )
    if review is not None and known_plugins is not None and review.plugin not in known_plugins:
        problems.append(
            store.Problem(
                where,
                "plugin",
                f"{review.plugin!r} is not in the catalog",
                "use the '<type>/<name>' shown on the plugin's catalog page",
            )
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    body_file = out_dir / "body.md"
    if problems or review is None:
        lines = [
            "Thank you for the review. It cannot be published yet; please edit the issue to fix:",
            "",
            *(f"- **{p.field or 'form'}**: {p.message}. {p.fix}" for p in problems),
            "",
            "The check runs again when the issue is edited.",
        ]
        body_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return Result("invalid", {"body_file": str(body_file)}, "\n".join(str(p) for p in problems))

    folder = reviews_dir / review.plugin
    path = folder / f"{review.date.isoformat()}-{review.reviewer}.yml"
    if path.exists():  # a second review by the same person on the same day: keep both
        path = folder / f"{review.date.isoformat()}-{review.reviewer}-{number}.yml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(to_yaml(data), encoding="utf-8")
    # What was written must load exactly like a hand-made file would.
    written, problems = store.check_file(path, path.name, reviews_dir, known_plugins)
    if written is None:
        path.unlink()
        raise RuntimeError("the written review does not validate: " + "; ".join(map(str, problems)))

    title = f"Review of {review.plugin} {review.plugin_version}: {review.rating}/5 by @{review.reviewer}"
    body_file.write_text(
        f"Adds a review submitted in #{number} by @{review.reviewer}.\n\n"
        f"| plugin | version | fapilog | workload | rating |\n|---|---|---|---|---|\n"
        f"| `{review.plugin}` | {review.plugin_version} | {review.fapilog_version} | "
        f"{review.workload.events_per_second} events/s, {review.workload.deployment} | {review.rating}/5 |\n\n"
        f"The review text is in the file and is shown escaped on the plugin page.\n\nCloses #{number}\n",
        encoding="utf-8",
    )
    user = issue["user"]
    commit_file = out_dir / "commit-message.txt"
    commit_file.write_text(
        f"{title}\n\nFrom issue #{number}.\n\n"
        f"Co-authored-by: {user['login']} <{user['id']}+{user['login']}@users.noreply.github.com>\n",
        encoding="utf-8",
    )
    try:
        shown = path.relative_to(ROOT).as_posix()
    except ValueError:
        shown = str(path)
    outputs = {
        "path": shown,
        "branch": f"review/issue-{number}",
        "title": title,
        "body_file": str(body_file),
        "commit_message_file": str(commit_file),
    }
    return Result("valid", outputs, f"wrote {shown}")


def catalog_ids(root: Path = ROOT) -> set[str]:
    """The catalog's plugin ids without running discovery: fapilog's built-ins as the hub
    lists them (registry/builtins.yml) and every plugin a registry entry declares."""
    from hub.catalog import builtins, registry

    listed = builtins.load(root / "registry" / "builtins.yml").plugins
    external = {f"{p.type}/{p.name}" for entry in registry.load_valid().values() for p in entry.plugins}
    return set(listed) | external


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("event", type=Path)
    parser.add_argument("--reviews", type=Path, default=store.REVIEWS_DIR)
    parser.add_argument("--out", type=Path, default=Path("review-output"))
    parser.add_argument("--github-output", type=Path)
    args = parser.parse_args(argv)
    event = json.loads(args.event.read_text(encoding="utf-8"))
    result = handle(event, args.reviews, args.out, known_plugins=catalog_ids())
    print(f"{result.status}: {result.message}")
    if args.github_output:
        with args.github_output.open("a", encoding="utf-8") as out:
            for key, value in {"status": result.status, **result.outputs}.items():
                out.write(f"{key}={value}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
