"""The review files (registry/reviews/<type>/<name>/<date>-<reviewer>.yml), validated.

Checked like registry entries: against the model (`Review`, whose generated JSON Schema is
published as registry/schema/review.schema.json), then against the file's place (folder =
plugin, name = date and reviewer) and the catalog (the plugin exists). Every problem of
every file is reported, each with the file, the field and the fix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hub import datafiles
from hub.datafiles import Invalid, Problem, display, published_schema, read_yaml, validation_problems
from hub.project import ROOT
from hub.reviews.models import Review

REVIEWS_DIR = ROOT / "registry" / "reviews"
SCHEMA_FILE = ROOT / "registry" / "schema" / "review.schema.json"
FILE_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<reviewer>[A-Za-z0-9-]+?)(?:-(?P<n>\d+))?\.yml$")


@dataclass
class Reviews:
    by_plugin: dict[str, list[Review]] = field(default_factory=lambda: defaultdict(list))
    files: dict[str, Review] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class ReviewsInvalid(Invalid):
    WHAT = "the review files have"


SCHEMA_ID = "https://fapilog.github.io/fapilog-hub/schemas/review-1.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The review file's JSON Schema, as published: generated from Review."""
    return published_schema(Review, SCHEMA_ID, "fapilog hub plugin review")


def write_schema(path: Path = SCHEMA_FILE) -> None:
    datafiles.write_schema(schema(), path)


def load(directory: Path = REVIEWS_DIR, known_plugins: Collection[str] | None = None, root: Path = ROOT) -> Reviews:
    """Every review file under directory; known_plugins (catalog ids), when given, must contain each plugin."""
    reviews = Reviews()
    for path in sorted(directory.rglob("*")):
        if path.is_dir() or path.name in ("README.md", ".gitkeep"):
            continue
        name = display(path, root)
        review, problems = check_file(path, name, directory, known_plugins)
        reviews.problems.extend(problems)
        if review is not None:
            reviews.files[name] = review
            reviews.by_plugin[review.plugin].append(review)
    return reviews


def load_valid(directory: Path = REVIEWS_DIR, known_plugins: Collection[str] | None = None) -> Reviews:
    reviews = load(directory, known_plugins)
    if reviews.problems:
        raise ReviewsInvalid(reviews.problems)
    return reviews


def check_data(data: Any, name: str) -> tuple[Review | None, list[Problem]]:
    """The model: the checks that depend only on the content."""
    if not isinstance(data, dict):
        return None, [
            Problem(
                name,
                "",
                "the file must hold one mapping of fields",
                "start from the example in registry/reviews/README.md",
            )
        ]
    try:
        return Review.model_validate(data), []
    except ValidationError as exc:
        return None, validation_problems(name, exc, schema())


def check_file(
    path: Path, name: str, directory: Path = REVIEWS_DIR, known_plugins: Collection[str] | None = None
) -> tuple[Review | None, list[Problem]]:
    if path.suffix != ".yml":
        return None, [Problem(name, "", "is not a .yml review file", "name review files <date>-<reviewer>.yml")]
    data, problems = read_yaml(path, name)
    if problems:
        return None, problems
    review, problems = check_data(data, name)
    if review is None:
        return None, problems
    folder = path.parent.relative_to(directory).as_posix()
    if folder != review.plugin:
        problems.append(
            Problem(
                name,
                "plugin",
                f"the file is in {folder}/ but reviews {review.plugin}",
                f"move it to registry/reviews/{review.plugin}/",
            )
        )
    match = FILE_NAME.match(path.name)
    expected = f"{review.date.isoformat()}-{review.reviewer}.yml"
    if not match or match["date"] != review.date.isoformat() or match["reviewer"] != review.reviewer:
        problems.append(Problem(name, "", "the file name does not match date and reviewer", f"rename it to {expected}"))
    if known_plugins is not None and review.plugin not in known_plugins:
        problems.append(
            Problem(
                name,
                "plugin",
                f"{review.plugin!r} is not in the catalog",
                "use the '<type>/<name>' shown on the plugin's catalog page",
            )
        )
    return (None if problems else review), problems
