"""Review files: schema + model validation with file, field and fix; the aggregate; and the
issue-to-review script run on a SAMPLE issues event payload (tests/fixtures/reviews/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from hub.reviews import from_issue, store
from hub.reviews.models import DEPLOYMENTS, Review, newest_first, summarise
from support import ROOT

SAMPLE_EVENT = Path(__file__).parent / "fixtures" / "reviews" / "sample-issue-opened.json"
GOOD = {
    "plugin": "sink/stdout_json",
    "reviewer": "octo-cat",
    "date": "2026-11-20",
    "plugin_version": "0.18.1",
    "fapilog_version": "0.18.1",
    "workload": {"events_per_second": 500, "deployment": "kubernetes"},
    "rating": 4,
    "text": "A made-up review text for the tests, long enough.",
}


def write(directory: Path, data: dict, name: str | None = None) -> Path:
    path = directory / data.get("plugin", "sink/stdout_json") / (name or f"{data['date']}-{data['reviewer']}.yml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_repository_holds_no_reviews_yet():
    reviews = store.load()
    assert reviews.problems == [] and reviews.files == {}


def test_a_valid_review_loads_under_its_plugin(tmp_path):
    write(tmp_path, GOOD)
    reviews = store.load(tmp_path, known_plugins={"sink/stdout_json"}, root=tmp_path)
    assert reviews.problems == []
    [review] = reviews.by_plugin["sink/stdout_json"]
    assert (review.rating, review.workload.deployment) == (4, "kubernetes")


def test_every_problem_of_every_file_is_reported_with_field_and_fix(tmp_path):
    bad = {**GOOD, "rating": 6, "workload": {"events_per_second": -1, "deployment": "mainframe"}, "colour": "red"}
    del bad["text"]
    write(tmp_path, bad)
    write(tmp_path, {**GOOD, "reviewer": "other", "date": "2026-02-30"}, name="2026-02-30-other.yml")
    problems = store.load(tmp_path, root=tmp_path).problems
    by_field = {(Path(p.file).name, p.field): p for p in problems}
    assert set(by_field) == {
        ("2026-11-20-octo-cat.yml", "rating"),
        ("2026-11-20-octo-cat.yml", "workload.events_per_second"),
        ("2026-11-20-octo-cat.yml", "workload.deployment"),
        ("2026-11-20-octo-cat.yml", "colour"),
        ("2026-11-20-octo-cat.yml", "text"),
        ("2026-02-30-other.yml", "date"),
    }
    assert "use one of: kubernetes" in by_field[("2026-11-20-octo-cat.yml", "workload.deployment")].fix
    assert "add text:" in by_field[("2026-11-20-octo-cat.yml", "text")].fix
    assert "YYYY-MM-DD" in by_field[("2026-02-30-other.yml", "date")].fix
    with pytest.raises(store.ReviewsInvalid, match="6 problem"):
        store.load_valid(tmp_path)


def test_the_model_catches_what_the_schema_cannot(tmp_path):
    write(tmp_path, {**GOOD, "plugin_version": "1.0-final-final", "date": "2999-01-01"}, name="2999-01-01-octo-cat.yml")
    problems = {p.field: p for p in store.load(tmp_path, root=tmp_path).problems}
    assert "not a version number" in problems["plugin_version"].message
    assert "in the future" in problems["date"].message


def test_place_name_and_catalog_are_checked(tmp_path):
    write(tmp_path, GOOD, name="2026-11-20-someone-else.yml")
    misplaced = tmp_path / "sink" / "other_sink" / "2026-11-20-octo-cat.yml"
    misplaced.parent.mkdir(parents=True)
    misplaced.write_text(yaml.safe_dump(GOOD))
    problems = store.load(tmp_path, known_plugins={"sink/other_sink"}, root=tmp_path).problems
    fixes = sorted(p.fix for p in problems)
    assert "rename it to 2026-11-20-octo-cat.yml" in fixes
    assert "move it to registry/reviews/sink/stdout_json/" in fixes
    assert any("not in the catalog" in p.message for p in problems)


def test_a_repeated_key_is_refused_where_it_stands(tmp_path):
    # YAML keeps the last of two equal keys; a reviewer who wrote rating twice would have
    # one of the two ratings silently dropped.
    path = write(tmp_path, GOOD)
    path.write_text(path.read_text() + "rating: 1\n")
    [problem] = store.load(tmp_path, root=tmp_path).problems
    assert "the key 'rating' appears twice: at line 5, column 1 and at line 11, column 1" in problem.message
    assert problem.field == "rating"


def test_the_committed_review_schema_is_the_model():
    # The schema reviewers' editors use is generated from Review: one definition of the format.
    committed = json.loads((ROOT / "registry" / "schema" / "review.schema.json").read_text(encoding="utf-8"))
    assert committed == store.schema(), "run: python -m hub.catalog schema"
    Draft202012Validator.check_schema(committed)
    assert set(committed["required"]) == {n for n, f in Review.model_fields.items() if f.is_required()}


def test_the_published_review_schema_refuses_what_the_model_refuses():
    validator = Draft202012Validator(store.schema(), format_checker=FormatChecker())
    assert list(validator.iter_errors(json.loads(json.dumps(GOOD, default=str)))) == []
    for bad in (
        {"rating": 9},
        {"rating": "5"},
        {"workload": {**GOOD["workload"], "deployment": "mainframe"}},
        {"plugin": "sinks/x"},
        {"text": "short"},
        {"colour": "blue"},
    ):
        data = {**GOOD, **bad}
        assert list(validator.iter_errors(data)), bad
        with pytest.raises(ValueError):
            Review.model_validate(data)


def test_summary_average_count_distribution_and_order():
    reviews = [
        Review.model_validate({**GOOD, "rating": r, "date": d})
        for r, d in [(5, "2026-01-02"), (4, "2026-03-01"), (4, "2026-02-01")]
    ]
    summary = summarise(reviews)
    assert (summary.count, summary.average) == (3, 4.33)
    assert summary.distribution == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}
    assert [str(r.date) for r in newest_first(reviews)] == ["2026-03-01", "2026-02-01", "2026-01-02"]
    empty = summarise([])
    assert (empty.count, empty.average) == (0, None)


# --- the issue form and the script -----------------------------------------------------


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


# --- into the catalog ----------------------------------------------------------------------


IDS = ("sink/stdout_json", "filter/level")


def test_reviews_are_grouped_by_catalog_plugin_with_aggregate_and_source(tmp_path):
    from hub.reviews import publish
    from hub.reviews.models import summarise

    write(tmp_path, GOOD)
    write(tmp_path, {**GOOD, "reviewer": "second", "rating": 2})
    by_plugin = publish.by_plugin(IDS, tmp_path)
    reviewed, unreviewed = by_plugin["sink/stdout_json"], by_plugin["filter/level"]
    assert [r.reviewer for r in reviewed] == ["octo-cat", "second"] and unreviewed == []
    assert (summarise(reviewed).count, summarise(reviewed).average) == (2, 3.0)
    assert (summarise(unreviewed).count, summarise(unreviewed).average) == (0, None)
    assert publish.source_line("sink/stdout_json", reviewed) == "registry/reviews/sink/stdout_json/ (2 reviews)"
    assert publish.source_line("filter/level", unreviewed) == "registry/reviews/filter/level/ (0 reviews)"


def test_a_review_of_a_plugin_not_in_the_catalog_is_refused(tmp_path):
    from hub.reviews import publish

    write(tmp_path, {**GOOD, "plugin": "sink/nowhere"})
    with pytest.raises(store.ReviewsInvalid, match="'sink/nowhere' is not in the catalog"):
        publish.by_plugin(IDS, tmp_path)


def test_the_script_knows_the_catalogs_plugins_without_discovery(tmp_path):
    ids = from_issue.catalog_ids()
    assert {"sink/stdout_json", "redactor/field_mask", "sink/sqlite", "redactor/pii_text"} <= ids
    event = json.loads(SAMPLE_EVENT.read_text())
    event["issue"]["body"] = event["issue"]["body"].replace("sink/stdout_json", "sink/not_a_plugin")
    result = from_issue.handle(event, tmp_path / "r", tmp_path / "o", known_plugins=ids)
    assert result.status == "invalid" and "'sink/not_a_plugin' is not in the catalog" in result.message


@pytest.mark.slow
def test_the_build_refuses_an_invalid_review_and_says_where(tmp_path, monkeypatch):
    from support import build_site

    write(tmp_path / "reviews", {**GOOD, "rating": 9})
    monkeypatch.setenv("HUB_REVIEWS_DIR", str(tmp_path / "reviews"))
    build = build_site(tmp_path / "site")
    assert build.returncode != 0
    assert "2026-11-20-octo-cat.yml: rating: 9 is out of range" in build.log
    assert "The rating, a whole number from 1 (poor) to 5 (excellent)" in build.log
