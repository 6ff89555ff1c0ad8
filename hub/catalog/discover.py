"""Installed plugins, found the way fapilog finds them, without importing them here.

The probe (hub/catalog/probe.py) runs in a subprocess with a timeout: once for fapilog's
built-ins (which also lists every entry point without loading it), then once per entry
point, so a plugin that hangs or crashes on import costs only its own entry. The
build process never imports third-party plugin code.
"""

from __future__ import annotations

import hashlib
import json
import os
import site
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from hub.catalog import models
from hub.catalog.models import DiscoveredPlugin, Discovery, Environment
from hub.project import ROOT

PROBE = Path(__file__).with_name("probe.py")
MARKER = "@@fapilog-hub-probe@@"
TIMEOUT_S = 60
# fapilog[all] is the union of the other extras: never the one to recommend.
AGGREGATE_EXTRAS = {"all"}


class DiscoveryFailed(Exception):
    """The built-in probe itself failed: without it there is no catalog to build."""


def plugin_python() -> str:
    """The interpreter whose environment is searched (HUB_PLUGIN_PYTHON overrides)."""
    return os.environ.get("HUB_PLUGIN_PYTHON") or sys.executable


def run_probe(args: list[str], python: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    # -I: isolated mode, so neither the working directory nor PYTHON* variables can
    # put other code on the path. Only what the probe needs from the environment passes.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    env["PYTHONIOENCODING"] = "utf-8"
    try:
        result = subprocess.run(
            [python, "-I", str(PROBE), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env=env,
            cwd=PROBE.parent,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    report = next(
        (line[len(MARKER) :] for line in reversed(result.stdout.splitlines()) if line.startswith(MARKER)), None
    )
    if result.returncode != 0 or report is None:
        tail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exited with status {result.returncode}: {tail[:300]}"}
    return json.loads(report)


def discover(python: str | None = None, timeout: float = TIMEOUT_S) -> Discovery:
    python = python or plugin_python()
    report = run_probe(["builtins"], python, timeout)
    if "error" in report:
        raise DiscoveryFailed(f"the plugin probe failed in {python}: {report['error']}")
    facts = report["environment"]
    environment = Environment(**{k: v for k, v in facts.items() if k in Environment.model_fields})
    plugins = [_with_extras(DiscoveredPlugin(**_plugin_fields(p)), p, facts) for p in report["plugins"]]
    problems = []

    listed = report["entry_points"]
    with ThreadPoolExecutor(max_workers=max(1, min(len(listed), os.cpu_count() or 1))) as pool:
        loaded = list(pool.map(lambda ep: run_probe(["entry-point", ep["group"], ep["name"]], python, timeout), listed))
    for ep, found in zip(listed, loaded, strict=True):
        declared = f"{ep['group']}: {ep['name']} = {ep['value']}"
        if "error" in found:
            problems.append(f"{ep['distribution']}: entry point '{declared}' could not be loaded: {found['error']}")
            found = {
                "type": ep["type"],
                "name": ep["name"],
                "origin": "entry-point",
                "target": ep["value"],
                "registered": False,
                "load_error": found["error"],
            }
        plugin = DiscoveredPlugin(
            **_plugin_fields(found),
            distribution=ep["distribution"],
            distribution_version=ep["distribution_version"],
            entry_point=declared,
        )
        if found.get("shadowed_by"):
            problems.append(
                f"{ep['distribution']}: {ep['type']} '{ep['name']}' is shadowed by fapilog's built-in "
                f"{found['shadowed_by']}; fapilog will never load it"
            )
        plugins.append(plugin)
    return Discovery(environment=environment, plugins=plugins, problems=problems)


_reused: dict[tuple[Any, ...], Discovery] = {}  # at most one entry: the latest environment stamp
# Between processes: each build is a new process (nox -s docs, the suite's strict builds),
# and the probes cost a fapilog import each. One file, for the latest environment stamp.
CACHE_DIR = ROOT / ".cache" / "discovery"


def discover_reusing(python: str | None = None) -> Discovery:
    """discover(), reused while the environment's packages and this code stay the same.

    `mkdocs serve` rebuilds in one process after every edit, and every build is a process
    of its own; the probes take seconds. Installing, upgrading or removing a package
    changes a site-packages folder, whose modification time is part of the key, and so is
    the text of the probe and of the code that reads its report; an edit inside an editable
    install is not seen until the package is reinstalled. Another interpreter's environment
    is probed every time.
    """
    python = python or plugin_python()
    if python != sys.executable:
        return discover(python)
    key = (python, _code_digest(), *_site_packages_stamp())
    if key not in _reused:
        _reused.clear()
        _reused[key] = _from_disk(key) or _to_disk(key, discover(python))
    return _reused[key].model_copy(deep=True)  # later stages must not change the kept copy


def _code_digest() -> str:
    code = b"".join(path.read_bytes() for path in (PROBE, Path(__file__), Path(models.__file__)))
    return hashlib.sha256(code).hexdigest()


def _cache_file(key: tuple[Any, ...]) -> Path:
    return CACHE_DIR / f"{hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]}.json"


def _from_disk(key: tuple[Any, ...]) -> Discovery | None:
    try:
        return Discovery.model_validate_json(_cache_file(key).read_bytes())
    except (OSError, ValueError):  # none yet, or unreadable: probe again
        return None


def _to_disk(key: tuple[Any, ...], found: Discovery) -> Discovery:
    target = _cache_file(key)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in CACHE_DIR.glob("*.json"):
            old.unlink(missing_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(found.model_dump_json(), encoding="utf-8")
        os.replace(tmp, target)  # a concurrent build reads the old file or the new, never half of one
    except OSError:
        pass  # a read-only checkout builds without the cache
    return found


def _site_packages_stamp() -> list[tuple[str, int]]:
    folders = [*site.getsitepackages(), site.getusersitepackages()]
    return [(folder, os.stat(folder).st_mtime_ns) for folder in folders if os.path.isdir(folder)]


def _plugin_fields(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k in DiscoveredPlugin.model_fields}


def _with_extras(plugin: DiscoveredPlugin, report: dict[str, Any], facts: dict[str, Any]) -> DiscoveredPlugin:
    """The fapilog extra a built-in needs, derived from what its source imports.

    An import supplied by fapilog's own dependencies needs nothing. One that an extra
    names directly needs that extra (the smallest, if several do). One that only comes
    along with such an extra (botocore with boto3) is covered by it. Anything else is an
    optional import, used when present: an extra's transitive dependencies are not a
    reason to recommend it (fastapi happens to bring opentelemetry-api, for instance).
    """
    owners: dict[str, list[str]] = report.get("import_owners", {})
    wanted = {name: owners.get(name) or [str(canonicalize_name(name))] for name in plugin.imports}
    for line in (plugin.metadata or {}).get("dependencies", []):
        try:
            dist = str(canonicalize_name(Requirement(line).name))
        except InvalidRequirement:
            continue
        wanted.setdefault(dist, [dist])
    base = set(facts["base_closure"])
    extras = {name: e for name, e in facts["extras"].items() if name not in AGGREGATE_EXTRAS}
    needs: set[str] = set()
    for dists in wanted.values():
        direct = [name for name, e in extras.items() if any(d in e["direct"] for d in dists)]
        if direct and not any(d in base for d in dists):
            needs.add(min(direct, key=lambda name: (len(extras[name]["closure"]), name)))
    covered = base.union(*(extras[name]["closure"] for name in needs))
    optional = {module for module, dists in wanted.items() if not any(d in covered for d in dists)}
    return plugin.model_copy(update={"needs_extras": sorted(needs), "optional_imports": sorted(optional)})


__all__ = ["DiscoveryFailed", "discover", "plugin_python"]
