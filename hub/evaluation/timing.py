"""`python -m hub.evaluation.timing`: how long evaluating the whole catalog takes, cold and warm.

Cold: a fresh venv cache and an empty results file (uv's own download cache is kept: the
registry is not asked again for files it already served). Warm: the same run again, which
reuses every stored result. Both use a temporary folder, never the committed results, and
the figures go to ``registry/results/timings.json`` with the date and the environment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time

from hub.evaluation import runner
from hub.evaluation.__main__ import catalog_plan
from hub.evaluation.results import TIMINGS_FILE, Store
from hub.project import ROOT


def main() -> int:
    scratch = ROOT / ".cache" / "evaluation-timing"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        store = Store(scratch / "evaluations.json")
        the_plan = catalog_plan(store)
        runs = []
        for name in ("cold", "warm"):
            started = time.monotonic()
            report = runner.evaluate(the_plan, store, cache=scratch / "cache")
            seconds = round(time.monotonic() - started, 1)
            store.save()
            runs.append(
                {"name": name, "seconds": seconds, "evaluated": len(report.evaluated), "reused": len(report.reused)}
            )
            print(json.dumps(runs[-1]))
        data = {
            "date": dt.date.today().isoformat(),
            "environment": runner.environment(),
            "plugins": len(the_plan.targets),
            "workers": os.cpu_count(),
            "runs": runs,
            "note": "Cold: new virtualenvs (uv's download cache kept) and no stored results; "
            "warm: the same plan again with the results of the cold run. Evaluated and reused "
            "count results-file entries (one per package version and fapilog release).",
        }
        TIMINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
        TIMINGS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
