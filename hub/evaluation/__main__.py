"""`python -m hub.evaluation`: evaluate the catalog's plugins and update the results file.

Reuses every stored result whose key is unchanged; `--only` narrows the run to some plugin
ids (e.g. `sink/http`), `--cold` ignores stored results and cached venvs' results (the
venvs themselves stay cached unless `--fresh-venvs`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from hub.evaluation import compatibility, plan, runner, sandbox
from hub.evaluation.results import RESULTS_FILE, Store
from hub.project import pinned_fapilog_version


class UnknownPlugin(ValueError):
    """`--only` named something that is neither a catalog plugin id nor a package."""


def select(targets: list, only: list[str]) -> list:
    """The targets `only` names, by plugin id (`sink/http`) or by package (`fapilog-sqlite`)."""
    ids = {t.plugin_id for t in targets}
    packages = {t.package.lower().replace("_", "-") for t in targets}
    unknown = [o for o in only if o not in ids and o.lower().replace("_", "-") not in packages]
    if unknown:
        raise UnknownPlugin(
            f"--only: not a plugin id or package of the catalog: {', '.join(unknown)}. "
            f"Plugin ids: {', '.join(sorted(ids))}. Packages: {', '.join(sorted(packages))}."
        )
    wanted = {o.lower().replace("_", "-") for o in only}
    return [t for t in targets if t.plugin_id in only or t.package.lower().replace("_", "-") in wanted]


def catalog_plan(store: Store, only: list[str] | None = None) -> runner.Plan:
    """Every catalog plugin (or those in `only`), checked against the releases PyPI lists."""
    fapilog_version = pinned_fapilog_version()
    try:
        releases = compatibility.fetch_releases()
    except OSError as exc:
        releases = store.meta.get("fapilog_releases") or [fapilog_version]
        print(f"fapilog releases not fetched ({exc}); using the {len(releases)} stored", file=sys.stderr)
    targets = plan.catalog_targets(fapilog_version, fetch=True)
    if only:
        targets = select(targets, only)
    return runner.Plan(targets, fapilog_version, releases, plan.references(fapilog_version), presets=not only)


def main(argv: list[str] | None = None) -> int:
    if os.name == "nt":
        # The sandbox kills process groups and sets resource limits: POSIX only.
        raise SystemExit("the evaluation runner needs Linux or macOS (on Windows, run it in WSL)")
    parser = argparse.ArgumentParser(prog="python -m hub.evaluation", description=__doc__)
    parser.add_argument(
        "--only",
        nargs="*",
        help="plugin ids or packages to evaluate, e.g. sink/http redactor/field_mask fapilog-sqlite",
    )
    parser.add_argument("--workers", type=int, default=None, help="parallel jobs (default: CPU cores)")
    parser.add_argument("--cold", action="store_true", help="evaluate again even what the results file holds")
    parser.add_argument("--fresh-venvs", action="store_true", help="delete the venv cache first")
    parser.add_argument("--results", default=str(RESULTS_FILE), help="results file to update")
    args = parser.parse_args(argv)

    store = Store.load(Path(args.results))
    if args.fresh_venvs:
        shutil.rmtree(runner.DEFAULT_CACHE / "venvs", ignore_errors=True)
    try:
        the_plan = catalog_plan(store, args.only)
    except UnknownPlugin as exc:
        parser.error(str(exc))
    started = time.monotonic()
    try:
        # --cold re-evaluates what the plan covers and nothing else: a partial run keeps
        # every stored entry it did not recompute (other plugins, other fapilog releases, presets).
        report = runner.evaluate(the_plan, store, workers=args.workers, force=args.cold)
    except sandbox.SandboxUnavailable as exc:
        raise SystemExit(f"refusing to run plugin code: {exc}") from None
    if not args.only:
        wanted = set(report.evaluated) | set(report.reused)
        for key in store.prune(wanted):
            print(f"dropped stale entry {key}", file=sys.stderr)
    store.save()
    print(
        json.dumps(
            {
                "evaluated": len(report.evaluated),
                "reused": len(report.reused),
                "seconds": round(time.monotonic() - started, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
