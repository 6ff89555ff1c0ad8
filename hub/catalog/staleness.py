"""Active, inactive or archived, from the date of a package's latest release.

The age is measured on the day the release was recorded (not the day of the build), so
a page says exactly what the data supports: "no release in 14 months as of 2026-11-26".
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from hub.catalog.models import Release, ReleaseStatus

INACTIVE_AFTER_MONTHS = 12
ARCHIVED_AFTER_MONTHS = 24

State = Literal["active", "inactive", "archived", "unknown"]


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from earlier to later (2026-01-31 -> 2026-02-28 is 0)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def state_for(release_date: dt.date, as_of: dt.date) -> tuple[State, str]:
    age = months_between(release_date, as_of)
    if age >= ARCHIVED_AFTER_MONTHS:
        return "archived", f"no release for {age} months as of {as_of} (archived after {ARCHIVED_AFTER_MONTHS})"
    if age >= INACTIVE_AFTER_MONTHS:
        return "inactive", f"no release for {age} months as of {as_of} (inactive after {INACTIVE_AFTER_MONTHS})"
    return "active", f"released {age} month{'s' * (age != 1)} before {as_of}"


def release_status(record: Release | None) -> ReleaseStatus:
    if record is None:
        return ReleaseStatus(
            status="not-recorded", state="unknown", state_reason="no release recorded yet: run nox -s catalog"
        )
    if record.status == "not-on-pypi":
        return ReleaseStatus(
            status="not-on-pypi",
            source=record.source,
            recorded=record.recorded,
            state="unknown",
            state_reason=f"not published on PyPI (checked {record.recorded}); installed from its repository",
        )
    if record.date is None:
        return ReleaseStatus(
            status="published",
            version=record.version,
            source=record.source,
            recorded=record.recorded,
            state="unknown",
            state_reason="PyPI lists no upload date",
        )
    state, reason = state_for(record.date, record.recorded)
    return ReleaseStatus(
        status="published",
        version=record.version,
        date=record.date,
        source=record.source,
        recorded=record.recorded,
        state=state,
        state_reason=reason,
    )
