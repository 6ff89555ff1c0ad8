"""hub/reviews/from_issue.py: the issue form and the issue-to-review script, run on a SAMPLE
issues event payload (tests/fixtures/reviews/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from hub.reviews import from_issue, store
from hub.reviews.models import DEPLOYMENTS
from support import ROOT

SAMPLE_EVENT = Path(__file__).parent / "fixtures" / "reviews" / "sample-issue-opened.json"


def test_the_form_asks_for_every_field_the_script_needs():
    ids = [field_id for field_id, _ in from_issue.form_fields()]
    assert ids == [
        "plugin",
        "plugin_version",
        "fapilog_version",
        "events_per_second",
        "deployment",
        "rating",
        "text",
        "used",
    ]
    form = yaml.safe_load(from_issue.FORM.read_text())
    deployment = next(el for el in form["body"] if el.get("id") == "deployment")
    assert deployment["attributes"]["options"] == list(DEPLOYMENTS)
    assert from_issue.LABEL in form["labels"]


def test_sample_issue_becomes_a_review_file_and_pull_request_outputs(tmp_path):
    event = json.loads(SAMPLE_EVENT.read_text())
    result = from_issue.handle(event, tmp_path / "reviews", tmp_path / "out")
    assert result.status == "valid", result.message
    path = tmp_path / "reviews" / "sink" / "stdout_json" / "2026-11-20-sample-reviewer.yml"
    assert result.outputs["path"] == str(path)
    assert result.outputs["branch"] == "review/issue-42"
    assert result.outputs["title"] == "Review of sink/stdout_json 0.18.1: 4/5 by @sample-reviewer"
    review, problems = store.check_file(path, path.name, tmp_path / "reviews", {"sink/stdout_json"})
    assert problems == []
    assert review.reviewer == "sample-reviewer"  # the issue's author, not a form answer
    assert review.workload.events_per_second == 1200  # "1,200" in the form
    assert review.source == "https://github.com/fapilog/fapilog-hub/issues/42"
    # The free text keeps its markup verbatim (escaping is the renderer's job) and a
    # '### ' line inside it did not cut it short.
    assert '<script>alert("x")</script>' in review.text and "Second paragraph & more." in review.text
    assert "Closes #42" in Path(result.outputs["body_file"]).read_text()
    commit = Path(result.outputs["commit_message_file"]).read_text()
    assert "Co-authored-by: sample-reviewer <9999001+sample-reviewer@users.noreply.github.com>" in commit


def test_a_second_review_the_same_day_gets_its_own_file(tmp_path):
    event = json.loads(SAMPLE_EVENT.read_text())
    from_issue.handle(event, tmp_path / "r", tmp_path / "o")
    event["issue"]["number"] = 43
    result = from_issue.handle(event, tmp_path / "r", tmp_path / "o")
    assert result.outputs["path"].endswith("2026-11-20-sample-reviewer-43.yml")
    assert len(store.load(tmp_path / "r", root=tmp_path).files) == 2


def test_an_invalid_issue_gets_a_comment_listing_every_problem(tmp_path):
    event = json.loads(SAMPLE_EVENT.read_text())
    body = event["issue"]["body"]
    body = (
        body.replace("\r\n4\r\n", "\r\nfive\r\n").replace("sink/stdout_json", "Sink/Std Out").replace("- [X]", "- [ ]")
    )
    event["issue"]["body"] = body
    result = from_issue.handle(event, tmp_path / "r", tmp_path / "o")
    assert result.status == "invalid"
    comment = Path(result.outputs["body_file"]).read_text()
    assert "**plugin**" in comment and "**rating**" in comment and "**Your experience**" in comment
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "change",
    [{"action": "closed"}, {"issue_labels": []}],
    ids=["closed", "no plugin-review label"],
)
def test_other_issue_events_are_ignored(tmp_path, change):
    event = json.loads(SAMPLE_EVENT.read_text())
    if "action" in change:
        event["action"] = change["action"]
    if "issue_labels" in change:
        event["issue"]["labels"] = change["issue_labels"]
    assert from_issue.handle(event, tmp_path / "r", tmp_path / "o").status == "ignored"


def test_main_writes_github_outputs(tmp_path, capsys):
    outputs = tmp_path / "github_output"
    args = [
        str(SAMPLE_EVENT),
        "--reviews",
        str(tmp_path / "r"),
        "--out",
        str(tmp_path / "o"),
        "--github-output",
        str(outputs),
    ]
    assert from_issue.main(args) == 0
    lines = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert lines["status"] == "valid" and lines["branch"] == "review/issue-42"
    assert capsys.readouterr().out.startswith("valid: wrote")


def test_the_workflow_calls_the_script_and_never_interpolates_issue_text():
    text = (ROOT / ".github" / "workflows" / "review-to-pr.yml").read_text()
    workflow = yaml.safe_load(text)
    runs = [s.get("run", "") for s in workflow["jobs"]["review"]["steps"]]
    assert any("python -m hub.reviews.from_issue" in r and "$GITHUB_EVENT_PATH" in r for r in runs)
    assert "github.event.issue.body" not in text and "github.event.issue.title" not in text
    assert workflow[True]["issues"]["types"] == ["opened", "edited", "labeled", "reopened"]


def test_the_script_knows_the_catalogs_plugins_without_discovery(tmp_path):
    ids = from_issue.catalog_ids()
    assert {"sink/stdout_json", "redactor/field_mask", "sink/sqlite", "redactor/pii_text"} <= ids
    event = json.loads(SAMPLE_EVENT.read_text())
    event["issue"]["body"] = event["issue"]["body"].replace("sink/stdout_json", "sink/not_a_plugin")
    result = from_issue.handle(event, tmp_path / "r", tmp_path / "o", known_plugins=ids)
    assert result.status == "invalid" and "'sink/not_a_plugin' is not in the catalog" in result.message
