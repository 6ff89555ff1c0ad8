"""Public enterprise adopters (data/metrics/adopters.yml): each entry links its evidence."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from hub.project import ROOT

ADOPTERS_FILE = ROOT / "data" / "metrics" / "adopters.yml"


def web_url(value: str) -> str:
    """Only http(s) URLs become links: no javascript:, data: or relative tricks."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"'`\\]", value):
        raise ValueError(f"{value!r} is not an http:// or https:// URL")
    return value


WebUrl = Annotated[str, AfterValidator(web_url)]


class Adopter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\r\n]*$")
    evidence: WebUrl
    evidence_kind: Literal["blog-post", "talk", "case-study", "repository", "job-ad", "other"]
    date_added: dt.date


class AdoptersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: dt.date = Field(description="the day a maintainer last checked the list and its evidence")
    adopters: list[Adopter]


class AdoptersInvalid(Exception):
    pass


def load(path: Path = ADOPTERS_FILE) -> AdoptersFile:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return AdoptersFile.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise AdoptersInvalid(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {exc}") from exc
