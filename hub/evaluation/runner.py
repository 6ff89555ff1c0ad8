"""Evaluate plugins: venvs, sandboxed probe runs in parallel, results into the store.

For every target and every fapilog release it is checked against, one job runs the probe
(``probe/main.py``) with the interpreter of the plugin's own virtualenv, contained by
:func:`hub.evaluation.sandbox.run_contained`. Jobs run in parallel on the machine's cores
(a thread per job, each waiting on its subprocess). Results already in the store under
the same key are reused; only what changed is evaluated again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub import postgres
from hub.evaluation import bench, compatibility, compliance, conformance, decoys, sandbox, security, venvs
from hub.evaluation.plan import Target
from hub.evaluation.results import Store, entry_key
from hub.project import ROOT

RUNNER_VERSION = "2"  # 2: benchmarks run one at a time after the parallel phase
PROBE = Path(__file__).resolve().parent / "probe"
DEFAULT_CACHE = ROOT / ".cache" / "evaluation"
RESULT_FILE_LIMIT = 32 * 1024 * 1024
BENCH = {"seconds": 0.3, "warmup": 100, "rounds": 5}  # per round and side; see probe/measure.py
DEFAULT_LIMITS = sandbox.Limits()


def runner_version() -> str:
    """RUNNER_VERSION plus a digest of everything that decides a verdict inside the sandbox."""
    digest = hashlib.sha256()
    for part in (venvs.tree_digest(PROBE), venvs.tree_digest(venvs.CONFORMANCE_PACKAGE), compliance.corpus_digest()):
        digest.update(part.encode())
    return f"{RUNNER_VERSION}.{digest.hexdigest()[:8]}"


@dataclass
class Plan:
    """Everything one refresh evaluates: targets, with the fapilog versions for each."""

    targets: list[Target]
    fapilog_version: str  # the site's pinned release: full evaluation
    releases: list[str]  # fapilog releases known (for compatibility)
    references: dict[str, Target]
    presets: bool = True  # score fapilog's redaction presets too
    compatibility: bool = True  # also check older fapilog releases


@dataclass
class Report:
    evaluated: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: float = 0.0


def environment() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpu": cpu,
        "cores": os.cpu_count(),
        "isolation": sandbox.isolation_note(),
        "uv": _tool_version([venvs.uv(), "--version"]),
        "bandit": _tool_version([sys.executable, "-m", "bandit", "--version"]).split()[-1],
        "pip_audit": _tool_version([sys.executable, "-m", "pip_audit", "--version"]),
    }


def _tool_version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unavailable"


def run_probe(
    job: dict[str, Any], venv: Path, *, cache: Path, limits: sandbox.Limits
) -> tuple[sandbox.Outcome, dict[str, Any], list[dict[str, str]], dict[str, Any]]:
    """One contained probe run: the sandbox outcome, the probe's report, network attempts, behaviour.

    The working folder is made outside the repository (the system's temporary folder) and
    is the only place the plugin may write; it is also the sandbox's home, with decoy
    credentials planted in it and in the environment.
    """
    workdir = Path(tempfile.mkdtemp(prefix="hub-eval-job-"))
    try:
        job = {**job, "workdir": str(workdir)}
        (workdir / "job.json").write_text(json.dumps(job), encoding="utf-8")
        planted = decoys.make()
        planted.plant(workdir)
        env = sandbox.minimal_env(home=workdir, path_dirs=[venv / "bin"], extra=planted.env)
        readable = [venv, PROBE, compliance.CORPUS_FILE, *(Path(v) for v in job.get("services", {}).values())]
        outcome = sandbox.run_contained(
            [
                str(venv / "bin" / "python"),
                str(PROBE / "main.py"),
                str(workdir / "job.json"),
                str(workdir / "result.json"),
            ],
            cwd=workdir,
            env=env,
            limits=limits,
            readable=readable,
            hide=[ROOT, cache],
            watch=planted.markers,
        )
        report: dict[str, Any] = {}
        result_file = workdir / "result.json"
        if _regular(result_file) and result_file.stat().st_size <= RESULT_FILE_LIMIT:
            try:
                report = json.loads(result_file.read_text(encoding="utf-8"))
            except ValueError:
                report = {}
        network = _log_lines(workdir / "network.log")
        leaks = ["in its output (stdout or stderr)" for _ in outcome.markers_seen[:1]]
        leaks += [_where(name) for name in planted.found_in(workdir, skip={"job.json"})]
        behaviour = security.behaviour_findings(
            _log_lines(workdir / "behaviour.log"), leaks, own=own_modules(venv, job.get("plugin", {}).get("package"))
        )
        return outcome, report, network, behaviour
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def own_modules(venv: Path, package: str | None) -> set[str]:
    """The top-level modules the plugin's own distribution installed (what counts as its code)."""
    if not package:
        return set()
    site = next((venv / "lib").glob("python*/site-packages"), None)
    return {p.name for p in installed_sources(site, package)} if site else set()


def _where(name: str) -> str:
    """A file of the working folder, as the place a leaked value was found."""
    if name == "result.json":
        return "in what the probe read from it (its metadata, check details or redacted records)"
    if name.startswith(("destination/", "reference/")):
        return f"in the events it delivered ({name})"
    if name.endswith(".log"):
        return f"in what it tried ({name})"
    return f"in a file it wrote ({name})"


def _regular(path: Path) -> bool:
    """A plain file the plugin wrote, never a link it planted (to a file of root's) or a FIFO (which would block)."""
    return path.is_file() and not path.is_symlink()


def _log_lines(path: Path, limit: int = 200) -> list[dict[str, Any]]:
    lines = []
    if _regular(path):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:limit]:
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def plugin_record(
    target: Target,
    outcome: sandbox.Outcome,
    report: dict[str, Any],
    network: list[dict[str, str]],
    corpus: list[dict],
    behaviour: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Turn one probe run into the stored record for a plugin (verdicts computed here, not in the sandbox)."""
    tasks = report.get("tasks", {})
    record: dict[str, Any] = {"duration_seconds": outcome.duration_seconds}
    if behaviour is not None:
        record["behaviour"] = behaviour
    unexpected = [n for n in network if not any(n["target"].startswith(a) for a in target.network)]
    if network:
        record["network"] = [{**n, "expected": n not in unexpected} for n in network[:20]]
    if "conformance" in tasks:
        record["conformance"] = tasks["conformance"]
    if "bench" in tasks:
        record["bench"] = bench.summarize(tasks["bench"])
    elif target.bench is not True:
        record["bench"] = {"not_benchmarked": target.bench}
    if "compliance" in tasks:
        record["compliance"] = compliance.score(tasks["compliance"], corpus)
    if report.get("source_file"):
        record["source_file"] = report["source_file"]

    if report.get("present") is False:
        record.update(status="absent", failure=report.get("detail", "not in this environment"), failure_kind="absent")
    elif report.get("load_error"):
        record.update(status="failed", failure=f"failed on import: {report['load_error']}", failure_kind="import")
    elif outcome.failure:
        # Where it happened, as the probe last saved it ("on import", "while running the checks").
        where = f" {report['stage']}" if isinstance(report.get("stage"), str) else ""
        record.update(status="failed", failure=outcome.failure + where, failure_kind=outcome.failure_kind)
    elif not report.get("complete"):
        stopped = "the probe stopped without finishing (no complete report)"
        record.update(status="failed", failure=stopped, failure_kind="incomplete")
    elif unexpected:
        connects = sorted({n["target"] for n in unexpected if n["event"] == "socket.connect"})
        if connects:
            opened = f"opened network connections: {', '.join(connects[:5])}"
            record.update(status="failed", failure=opened, failure_kind="network")
        else:
            lookups = sorted({n["target"] for n in unexpected})
            looked_up = f"looked up network names: {', '.join(lookups[:5])}"
            record.update(status="failed", failure=looked_up, failure_kind="network")
    elif not conformance.conforms(record.get("conformance", [])):
        failed = "conformance: " + "; ".join(conformance.failed_required(record["conformance"]))
        record.update(status="failed", failure=failed, failure_kind="conformance")
    else:
        record.update(status="passed", failure=None, failure_kind=None)
    if record["status"] == "failed" and outcome.output_tail.strip():
        record["output_tail"] = outcome.output_tail[-1500:]
    return record


def evaluate(
    plan: Plan,
    store: Store,
    *,
    cache: Path = DEFAULT_CACHE,
    workers: int | None = None,
    limits: sandbox.Limits = DEFAULT_LIMITS,
    progress: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
    force: bool = False,
) -> Report:
    """Evaluate what the plan needs and the store lacks (`force`: all of it), into the store.

    Entries the plan does not cover are never touched: callers prune them explicitly.
    """
    sandbox.check_available()  # refuse before installing anything: plugin code never runs uncontained
    started = time.monotonic()
    report = Report()
    rv = runner_version()
    corpus = compliance.load_corpus()
    today = dt.date.today().isoformat()
    env = environment()
    workers = workers or os.cpu_count() or 1

    # Which (target, fapilog version) pairs are needed, and which are already stored.
    wanted: dict[str, dict[str, Any]] = {}
    for target in plan.targets:
        for fv in versions_for(target, plan):
            # A built-in checked against another fapilog release is that release's built-in.
            version = fv if target.builtin else target.version
            key = entry_key(target.package, version, fv, rv)
            slot = wanted.setdefault(
                key, {"package": target.package, "version": version, "fapilog_version": fv, "targets": []}
            )
            slot["targets"].append(target)
    todo = {k: v for k, v in wanted.items() if force or not _fresh(store, k, v["targets"][0])}
    report.reused = sorted(set(wanted) - set(todo))
    preset_key = f"fapilog=={plan.fapilog_version}|runner=={rv}"
    presets_needed = plan.presets and (force or preset_key not in store.presets)
    if not todo and not presets_needed:
        report.seconds = round(time.monotonic() - started, 2)
        return report

    def install_for(slot: dict[str, Any]) -> venvs.Install:
        first: Target = slot["targets"][0]
        return venvs.Install(
            first.package,
            slot["version"],
            first.requirement_for(slot["fapilog_version"]),
            slot["fapilog_version"],
            first.local,
            first.contained_build,
        )

    installs = {key: install_for(slot) for key, slot in todo.items()}
    if presets_needed:
        ref = next(iter(plan.references.values()))
        installs["presets"] = venvs.Install("fapilog", plan.fapilog_version, ref.requirement, plan.fapilog_version)

    with contextlib.ExitStack() as stack, ThreadPoolExecutor(max_workers=workers) as pool:
        # 0. Local services the plugins to evaluate need (started once, for all their jobs).
        needed = {s for slot in todo.values() for t in slot["targets"] for s in t.services}
        service_values: dict[str, str] = {}
        missing: dict[str, str] = {}
        if "postgres" in needed:
            try:
                cluster = stack.enter_context(postgres.throwaway_cluster(cache / "services"))
            except postgres.PostgresUnavailable as error:
                missing["postgres"] = str(error)  # its plugins are then "not evaluated", with this reason
            else:
                service_values["postgres_socket"] = str(cluster.socket_dir)

        # 1. Environments (uv; one per package, version and fapilog version).
        unique = {i.key(): i for i in installs.values()}
        made = dict(zip(unique, pool.map(lambda i: _ensure(i, cache), unique.values()), strict=True))
        progress(f"environments ready: {len(made)}")

        # 2. Probe jobs, one per plugin and fapilog version.
        jobs = []
        for key, slot in todo.items():
            venv = made[installs[key].key()]
            full = slot["fapilog_version"] == plan.fapilog_version
            for target in slot["targets"]:
                jobs.append((key, target, venv, full))
        futures = [
            pool.submit(_plugin_job, target, venv, full, plan, corpus, cache, limits, service_values, missing)
            for key, target, venv, full in jobs
        ]
        if presets_needed:
            preset_future = pool.submit(_presets_job, made[installs["presets"].key()], cache, limits, corpus)
        security_futures = {
            key: pool.submit(_security, made[installs[key].key()], slot)
            for key, slot in todo.items()
            if slot["fapilog_version"] == plan.fapilog_version and isinstance(made[installs[key].key()], Path)
        }

        records: dict[str, dict[str, Any]] = {key: {} for key in todo}
        for (key, target, _venv, _full), future in zip(jobs, futures, strict=True):
            records[key][target.plugin_id] = future.result()
            progress(f"{key} {target.plugin_id}: {records[key][target.plugin_id]['status']}")
        if presets_needed:
            preset_result = preset_future.result()
        security_results = {key: future.result() for key, future in security_futures.items()}

        # 3. Benchmarks, one at a time once everything else is done: timings taken while
        #    other jobs compete for the same cores would measure the competition.
        for key, target, venv, full in jobs:
            record = records[key][target.plugin_id]
            if not full or target.type not in plan.references:
                continue
            if target.bench is not True:
                record["bench"] = {"not_benchmarked": target.bench}
            elif record["status"] != "passed":
                record["bench"] = {"not_benchmarked": f"the evaluation failed ({record['failure']})"}
            else:
                record["bench"] = _bench_job(target, venv, plan, cache, limits, service_values)
                progress(f"{key} {target.plugin_id}: benchmark {record['bench'].get('throughput_ratio', 'failed')}")
        for key, slot in todo.items():
            venv = made[installs[key].key()]
            entry = {
                "package": slot["package"],
                "version": slot["version"],
                "fapilog_version": slot["fapilog_version"],
                "runner_version": rv,
                "date": today,
                "environment": env,
                "kind": "full" if slot["fapilog_version"] == plan.fapilog_version else "compatibility",
                # A run over some plugins of a package keeps the stored records of the others.
                "plugins": {**store.entries.get(key, {}).get("plugins", {}), **records[key]},
            }
            if isinstance(venv, str):  # the environment could not be made
                entry["install_error"] = venv
            first = slot["targets"][0]
            if first.local or first.contained_build:
                entry["source_digest"] = venvs.tree_digest(Path(first.requirement))
            if first.source:
                entry["source"] = first.source  # which source was evaluated: URL, how obtained, commit, digest
            if key in security_results:
                entry["security"] = security_results[key]
            store.put(key, entry)
            report.evaluated.append(key)
        if presets_needed:
            store.presets[preset_key] = {
                "date": today,
                "environment": env,
                "fapilog_version": plan.fapilog_version,
                **preset_result,
            }
    store.meta.update(runner_version=rv, fapilog_releases=plan.releases)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def versions_for(target: Target, plan: Plan) -> list[str]:
    """The pinned release, then the newest release of the newest minors the plugin admits."""
    if not plan.compatibility:
        return [plan.fapilog_version]
    chosen = compatibility.newest_minors(plan.releases, target.fapilog_range)
    return [plan.fapilog_version, *[v for v in chosen if v != plan.fapilog_version]][: compatibility.MINORS]


def _fresh(store: Store, key: str, target: Target) -> bool:
    if not store.has(key):
        return False
    if target.local or target.contained_build:
        return store.entries[key].get("source_digest") == venvs.tree_digest(Path(target.requirement))
    return True


def _ensure(install: venvs.Install, cache: Path) -> Path | str:
    try:
        return venvs.ensure(install, cache)
    except (venvs.VenvError, subprocess.TimeoutExpired) as exc:
        return f"could not install {install.requirement} with fapilog {install.fapilog_version}: {exc}"


def _plugin_job(
    target: Target,
    venv: Path | str,
    full: bool,
    plan: Plan,
    corpus: list[dict],
    cache: Path,
    limits: sandbox.Limits,
    service_values: dict[str, str],
    missing: dict[str, str],
) -> dict[str, Any]:
    if isinstance(venv, str):
        return {"status": "failed", "failure": f"install failed: {venv[-500:]}", "failure_kind": "install"}
    unavailable = [f"{s}: {missing[s]}" for s in target.services if s in missing]
    if unavailable:
        return {
            "status": "not evaluated",
            "failure": "needs a local service that cannot run here: " + "; ".join(unavailable),
            "failure_kind": "service",
        }
    tasks = ["conformance"]
    job: dict[str, Any] = {"plugin": target.spec(), "tasks": tasks, "services": service_values}
    if full and target.type == "redactor":
        tasks.append("compliance")
        job["corpus"] = str(compliance.CORPUS_FILE)
    outcome, report, network, behaviour = run_probe(job, venv, cache=cache, limits=limits)
    return plugin_record(target, outcome, report, network, corpus, behaviour)


def _bench_job(
    target: Target, venv: Path, plan: Plan, cache: Path, limits: sandbox.Limits, service_values: dict[str, str]
) -> dict[str, Any]:
    """The benchmark alone, run while nothing else of the evaluation runs (see evaluate)."""
    job = {
        "plugin": target.spec(),
        "tasks": ["bench"],
        "services": service_values,
        "reference": plan.references[target.type].spec(),
        "bench": BENCH,
    }
    outcome, report, _, _ = run_probe(job, venv, cache=cache, limits=limits)
    if "bench" in report.get("tasks", {}):
        return bench.summarize(report["tasks"]["bench"])
    return {
        "not_benchmarked": f"the benchmark run failed: {outcome.failure or report.get('load_error') or 'no figures'}"
    }


def _presets_job(venv: Path | str, cache: Path, limits: sandbox.Limits, corpus: list[dict]) -> dict[str, Any]:
    if isinstance(venv, str):
        return {"failure": venv}
    outcome, report, _, _ = run_probe(
        {"presets": True, "tasks": [], "corpus": str(compliance.CORPUS_FILE)}, venv, cache=cache, limits=limits
    )
    if outcome.failure or "presets" not in report.get("tasks", {}):
        return {"failure": outcome.failure or "no preset results", "output_tail": outcome.output_tail[-1500:]}
    return {
        "scorecards": {
            label: compliance.score(outputs, corpus) for label, outputs in report["tasks"]["presets"].items()
        }
    }


def _security(venv: Path, slot: dict[str, Any]) -> dict[str, Any]:
    site = next((venv / "lib").glob("python*/site-packages"))
    package = slot["package"]
    sources = installed_sources(site, package)
    return {
        "bandit": security.bandit(sources),
        "pip_audit": security.pip_audit(
            [r for r in venvs.freeze(venv) if not r.lower().startswith("fapilog-hub-conformance")]
        ),
        "licenses": security.licenses(site),
    }


def installed_sources(site_packages: Path, package: str) -> list[Path]:
    """The top-level Python modules and packages a distribution installed (from its RECORD)."""
    for record in site_packages.glob("*.dist-info/RECORD"):
        if venvs.distribution_name(record.parent) != venvs.normalize(package):
            continue
        tops = set()
        for line in record.read_text(encoding="utf-8").splitlines():
            path = line.split(",", 1)[0]
            first = path.split("/", 1)[0]
            if path.endswith(".py") and not first.endswith((".dist-info", ".data")) and first != "..":
                tops.add(first)
        return [site_packages / t for t in sorted(tops)]
    return []
