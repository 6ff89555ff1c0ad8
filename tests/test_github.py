"""The files in .github/ have the structure GitHub requires, and agree with each other.

GitHub rejects a malformed issue or discussion form silently (the form just does not
appear), so these checks encode its documented rules: the required top-level keys, the
known body element types, the attributes each type needs, unique ids, and for dropdowns
and checkboxes non-empty options. Labels applied by forms and dependabot must exist in
.github/labels.yml. The checker itself is shown to fail on broken forms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from support import ROOT

GITHUB = ROOT / ".github"
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
DISCUSSION_FORMS = sorted((GITHUB / "DISCUSSION_TEMPLATE").glob("*.yml"))

ELEMENT_TYPES = {"markdown", "textarea", "input", "dropdown", "checkboxes"}
ID = re.compile(r"^[A-Za-z0-9_-]+$")
ISSUE_KEYS = {"name", "description", "body"}
ISSUE_OPTIONAL = {"title", "labels", "assignees", "projects", "type"}
DISCUSSION_OPTIONAL = {"title", "labels"}
# The Discussions categories the support page promises (file name = category slug).
CATEGORIES = {"q-a", "ideas", "show-and-tell", "plugin-reviews"}
ISSUE_FORM_NAMES = {"docs-bug", "content-request", "plugin-submission", "plugin-review"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def defined_labels() -> set[str]:
    return {label["name"] for label in load(GITHUB / "labels.yml")}


def as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def body_problems(body: object) -> list[str]:
    """What GitHub would reject in a form body (shared by issue and discussion forms)."""
    if not isinstance(body, list) or not body:
        return ["body must be a non-empty list"]
    problems, ids = [], []
    for n, item in enumerate(body, start=1):
        kind = item.get("type") if isinstance(item, dict) else None
        where = f"body item {n} ({kind})"
        if kind not in ELEMENT_TYPES:
            problems.append(f"{where}: type must be one of {sorted(ELEMENT_TYPES)}")
            continue
        attributes = item.get("attributes") or {}
        if "id" in item:
            if not isinstance(item["id"], str) or not ID.match(item["id"]):
                problems.append(f"{where}: id {item.get('id')!r} may hold only letters, digits, - and _")
            ids.append(item["id"])
        if kind == "markdown":
            if not str(attributes.get("value", "")).strip():
                problems.append(f"{where}: markdown needs attributes.value")
            if "validations" in item:
                problems.append(f"{where}: markdown takes no validations")
            continue
        if not str(attributes.get("label", "")).strip():
            problems.append(f"{where}: needs attributes.label")
        if kind == "dropdown":
            options = attributes.get("options")
            if not isinstance(options, list) or not options:
                problems.append(f"{where}: dropdown needs a non-empty options list")
            elif len(set(map(str, options))) != len(options):
                problems.append(f"{where}: dropdown options must be unique")
            elif any(not isinstance(o, str) for o in options):
                problems.append(f"{where}: dropdown options must be strings (quote Yes/No)")
        if kind == "checkboxes":
            options = attributes.get("options")
            if not isinstance(options, list) or not options or any(not (o or {}).get("label") for o in options):
                problems.append(f"{where}: checkboxes need options, each with a label")
        required = (item.get("validations") or {}).get("required", False)
        if not isinstance(required, bool):
            problems.append(f"{where}: validations.required must be true or false")
    if len(ids) != len(set(ids)):
        problems.append(f"ids must be unique, found {sorted(i for i in ids if ids.count(i) > 1)}")
    if all(isinstance(i, dict) and i.get("type") == "markdown" for i in body):
        problems.append("a form needs at least one field that is not markdown")
    return problems


def issue_form_problems(form: dict, labels: set[str]) -> list[str]:
    problems = [f"missing top-level key {k!r}" for k in sorted(ISSUE_KEYS - set(form))]
    problems += [f"unknown top-level key {k!r}" for k in sorted(set(form) - ISSUE_KEYS - ISSUE_OPTIONAL)]
    problems += [
        f"label {label!r} is not in .github/labels.yml" for label in as_list(form.get("labels")) if label not in labels
    ]
    return problems + body_problems(form.get("body"))


def discussion_form_problems(form: dict, labels: set[str]) -> list[str]:
    problems = [] if "body" in form else ["missing top-level key 'body'"]
    problems += [f"unknown top-level key {k!r}" for k in sorted(set(form) - {"body"} - DISCUSSION_OPTIONAL)]
    problems += [
        f"label {label!r} is not in .github/labels.yml" for label in as_list(form.get("labels")) if label not in labels
    ]
    return problems + body_problems(form.get("body"))


def test_the_promised_forms_exist():
    assert {p.stem for p in ISSUE_FORMS} == ISSUE_FORM_NAMES
    assert {p.stem for p in DISCUSSION_FORMS} == CATEGORIES


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_has_the_structure_github_requires(path: Path):
    assert issue_form_problems(load(path), defined_labels()) == []


@pytest.mark.parametrize("path", DISCUSSION_FORMS, ids=lambda p: p.name)
def test_discussion_form_has_the_structure_github_requires(path: Path):
    assert discussion_form_problems(load(path), defined_labels()) == []


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            {"description": "d", "body": [{"type": "input", "id": "a", "attributes": {"label": "A"}}]},
            "missing top-level key 'name'",
        ),
        (
            {"name": "n", "description": "d", "body": [{"type": "markdown", "attributes": {"value": "hi"}}]},
            "at least one field",
        ),
        (
            {
                "name": "n",
                "description": "d",
                "body": [
                    {"type": "input", "id": "a", "attributes": {"label": "A"}},
                    {"type": "textarea", "id": "a", "attributes": {"label": "B"}},
                ],
            },
            "ids must be unique",
        ),
        ({"name": "n", "description": "d", "body": [{"type": "select", "id": "a"}]}, "type must be one of"),
        (
            {
                "name": "n",
                "description": "d",
                "body": [{"type": "dropdown", "id": "a", "attributes": {"label": "A", "options": []}}],
            },
            "non-empty options",
        ),
        (
            {
                "name": "n",
                "description": "d",
                "body": [{"type": "dropdown", "id": "a", "attributes": {"label": "A", "options": [True, "x"]}}],
            },
            "must be strings",
        ),
        (
            {
                "name": "n",
                "description": "d",
                "labels": ["no-such-label"],
                "body": [{"type": "input", "id": "a", "attributes": {"label": "A"}}],
            },
            "not in .github/labels.yml",
        ),
        (
            {"name": "n", "description": "d", "body": [{"type": "input", "id": "a b", "attributes": {"label": "A"}}]},
            "may hold only",
        ),
        (
            {"name": "n", "description": "d", "body": [{"type": "input", "id": "a", "attributes": {}}]},
            "needs attributes.label",
        ),
    ],
    ids=[
        "no name",
        "only markdown",
        "duplicate id",
        "unknown type",
        "empty dropdown",
        "unquoted Yes",
        "unknown label",
        "bad id",
        "no label",
    ],
)
def test_the_form_checker_catches_what_github_rejects(broken: dict, expected: str):
    problems = issue_form_problems(broken, defined_labels())
    assert any(expected in p for p in problems), problems


def test_issue_chooser_config_links_are_https():
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert isinstance(config["blank_issues_enabled"], bool)
    for link in config["contact_links"]:
        assert set(link) == {"name", "url", "about"}, link
        assert link["url"].startswith("https://"), link


def test_labels_file_is_well_formed():
    labels = load(GITHUB / "labels.yml")
    names = [label["name"] for label in labels]
    assert len(names) == len(set(names)), "duplicate label names"
    for label in labels:
        assert re.fullmatch(r"[0-9a-f]{6}", label["color"]), label
        assert 0 < len(label["description"]) <= 100, label  # GitHub's limit
    assert {"good first issue", "help wanted"} <= set(names), "the support page's first-contribution path uses these"


def test_dependabot_config_is_valid_and_its_labels_exist():
    config = load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"uv", "github-actions"}  # uv: pyproject.toml and uv.lock together
    for update in config["updates"]:
        assert update["directory"].startswith("/") and update["schedule"]["interval"] in {"daily", "weekly", "monthly"}
        assert set(update.get("labels", [])) <= defined_labels()


def test_codeowners_names_only_the_teams_governance_defines():
    governance = (ROOT / "GOVERNANCE.md").read_text(encoding="utf-8")
    lines = [line.split() for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()]
    rules = [parts for parts in lines if parts and not parts[0].startswith("#")]
    assert rules and rules[0][0] == "*", "the first rule should give every path an owner"
    for pattern, *owners in rules:
        assert owners, f"{pattern} has no owner"
        for owner in owners:
            assert re.fullmatch(r"@[\w.-]+/[\w.-]+", owner), owner
            assert f"`{owner}`" in governance, f"{owner} is not a team GOVERNANCE.md describes"


def test_pull_request_template_carries_the_contributing_checklist():
    def checklist(text: str) -> list[str]:
        items, current = [], None
        for line in text.splitlines():
            if line.startswith("- [ ] "):
                current = [line[6:].strip()]
                items.append(current)
            elif current is not None and line.startswith("      "):
                current.append(line.strip())
            else:
                current = None
        return [" ".join(item) for item in items]

    contributing = checklist((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    template = checklist((GITHUB / "pull_request_template.md").read_text(encoding="utf-8"))
    assert contributing and contributing == template


def test_required_checks_are_jobs_of_the_ci_workflow():
    from hub import community

    policy = community.required_checks()
    jobs = load(ROOT / policy.workflow)["jobs"]
    assert set(policy.required) <= set(jobs), sorted(set(policy.required) - set(jobs))
