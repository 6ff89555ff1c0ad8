"""hub/reviews/store.py: review files validated with file, field and fix, all at once; the
published schema is the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from hub.reviews import store
from hub.reviews.models import Review
from reviews_support import GOOD, write
from support import ROOT


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
