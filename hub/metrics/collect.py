"""`nox -s metrics`: run every collector and append what it fetched to the history file.

    python -m hub.metrics.collect [--history PATH]

Prints one line per collector: the figure and its source, or why it could not be collected
(in which case the previous snapshots stay as they were).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hub.metrics import history as hist
from hub.metrics.collectors import COLLECTORS, CollectionFailed, Collector, Fetch, environment, fetch_json


@dataclass(frozen=True)
class Outcome:
    collector: Collector
    snapshot: hist.Snapshot | None
    error: str | None

    def __str__(self) -> str:
        if self.snapshot:
            return f"{self.collector.key}: {self.snapshot.value} from {self.collector.url}"
        return f"{self.collector.key}: NOT COLLECTED from {self.collector.url}: {self.error}; previous snapshots kept"


def collect(
    history: hist.History,
    fetch: Fetch,
    now: dt.datetime,
    env: Mapping[str, str],
    collectors: Iterable[Collector] = COLLECTORS,
) -> list[Outcome]:
    """Run each collector once; append a snapshot on success, record the failure otherwise."""
    outcomes = []
    for collector in collectors:
        series = history.series.setdefault(collector.key, hist.Series(description=collector.description))
        series.description = collector.description
        try:
            value, detail = collector.read(fetch(collector.url, collector.headers(env)))
        except CollectionFailed as exc:
            series.last_attempt = hist.Attempt(at=now, source=collector.url, ok=False, error=str(exc))
            outcomes.append(Outcome(collector, None, str(exc)))
            continue
        snapshot = hist.Snapshot(collected_at=now, source=collector.url, value=value, detail=detail)
        series.snapshots.append(snapshot)
        series.last_attempt = hist.Attempt(at=now, source=collector.url, ok=True)
        outcomes.append(Outcome(collector, snapshot, None))
    return outcomes


def main(argv: list[str] | None = None, fetch: Fetch = fetch_json) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=Path, default=hist.HISTORY_FILE)
    args = parser.parse_args(argv)
    history = hist.load(args.history)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    outcomes = collect(history, fetch, now, environment())
    hist.save(history, args.history)
    for outcome in outcomes:
        print(outcome)
    print(f"history: {args.history}")
    # Unreachable sources are expected off CI; the run succeeds and says what it missed.
    return 0


if __name__ == "__main__":
    sys.exit(main())
