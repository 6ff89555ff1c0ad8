"""Every usage snippet the catalog marks as executed runs, and really enables its plugin.

fapilog carries on without a plugin it cannot load (it only warns on its diagnostics
channel), so each snippet runs under tests/snippet_harness.py, which records the plugins
fapilog loaded; the test fails unless the plugin of the page is among them. Snippets
that reach a service get a real local one: an HTTP receiver on 127.0.0.1 (standing in
for Grafana Loki too) or a throwaway PostgreSQL server (hub/postgres.py). Output is compared with the
recording beside the snippet (HUB_UPDATE_GOLDENS=1 rewrites it).
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hub.catalog import assemble, builtins, discover, registry, releases, usage
from sanitize import sanitize
from support import ROOT, UPDATE_GOLDENS

HARNESS = Path(__file__).with_name("snippet_harness.py")
GROUP = {
    "sink": "fapilog.sinks",
    "enricher": "fapilog.enrichers",
    "redactor": "fapilog.redactors",
    "processor": "fapilog.processors",
    "filter": "fapilog.filters",
}
BUILTIN_IDS = sorted(builtins.load().plugins)
# The project's own plugin packages (examples/plugins/) are installed in the test and build
# environment, so their snippets run here. Third-party packages are not: their code runs
# only in the evaluation's sandbox, never in the build's environment (docs/catalog/quality.md).
OWN = {"fapilog-sqlite", "fapilog-pii-text"}
EXTERNAL_IDS = sorted(
    f"{p.type}/{p.name}" for e in registry.load_valid().values() for p in e.plugins if e.package in OWN
)
THIRD_PARTY_IDS = sorted(
    f"{p.type}/{p.name}" for e in registry.load_valid().values() for p in e.plugins if e.package not in OWN
)


@pytest.fixture(scope="module")
def catalog():
    made = assemble.assemble(registry.load_valid(), discover.discover(), releases.load())
    assert made.problems == []
    return {entry.id: entry for entry in made.catalog.plugins}


class Receiver:
    """An HTTP endpoint on 127.0.0.1 that records what is posted to it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the stdlib's naming
                received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def count_rows(dsn: str, sql: str) -> int:
    import asyncio

    import asyncpg

    async def query() -> int:
        connection = await asyncpg.connect(dsn)
        try:
            return await connection.fetchval(sql)
        finally:
            await connection.close()

    # A thread of its own: an earlier test may leave an event loop set on this thread,
    # and asyncio.run refuses to start inside one.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, query()).result()


def run_snippet(
    path: Path, workdir: Path, env_extra: dict[str, str], run_name: str = "__main__"
) -> tuple[subprocess.CompletedProcess[str], dict]:
    record = workdir / "loaded.json"
    # A minimal environment: nothing from the machine (a CONTAINER_NAME, say) leaks into
    # what the snippet logs.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "PYTHONIOENCODING": "utf-8",
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    result = subprocess.run(
        [sys.executable, str(HARNESS), str(path), str(record), run_name],
        cwd=workdir,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    return result, (json.loads(record.read_text(encoding="utf-8")) if record.exists() else {})


def compare_with_golden(golden: Path, actual: str) -> None:
    if not actual and not golden.exists():
        return  # prints nothing (its events go to a service): nothing to record
    if UPDATE_GOLDENS:
        golden.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert golden.exists(), f"no recorded output {golden.name}; run with HUB_UPDATE_GOLDENS=1 to create it"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), golden.name, "actual output")
        )
        pytest.fail(f"output differs from {golden.name}\n{diff}", pytrace=False)


def test_every_builtin_has_notes_and_a_snippet_and_nothing_else(catalog):
    builtins = sorted(entry_id for entry_id, entry in catalog.items() if entry.origin == "builtin")
    assert builtins == BUILTIN_IDS
    snippets = sorted(p.stem.replace("_", "/", 1) for p in usage.SNIPPETS_DIR.glob("*.py"))
    assert snippets == BUILTIN_IDS


@pytest.mark.parametrize("entry_id", BUILTIN_IDS)
def test_builtin_snippet(entry_id, catalog, tmp_path, request):
    entry = catalog[entry_id]
    notes = usage.builtin_notes()[entry_id]
    path = ROOT / entry.usage.file
    services, env = [], {}
    for var, kind in notes.env.items():
        if kind in ("http", "loki"):
            receiver = Receiver()
            services.append(receiver)
            env[var] = receiver.url + ("/ingest" if kind == "http" else "")
        else:
            env[var] = request.getfixturevalue("postgres_dsn")  # tests/conftest.py
    try:
        if not entry.usage.executed:
            # Cannot run here (the page says why): the file still builds its settings.
            result, record = run_snippet(path, tmp_path, env, run_name="hub_build_only")
            assert result.returncode == 0, result.stderr
            assert record["loaded"] == []
            assert entry.name in record["settings"]["core"][f"{entry.type}s"]
            return
        result, record = run_snippet(path, tmp_path, env)
    finally:
        for service in services:
            service.close()
    assert result.returncode == 0, f"{entry.usage.file} failed:\n{result.stderr}"
    loaded = {(group, name) for group, name, _ in record["loaded"]}
    if entry.loadable_by_name:
        assert (GROUP[entry.type], entry.name) in loaded, (
            f"fapilog did not load the {entry.type} {entry.name}: {record['loaded']}"
        )
    for service in services:
        assert service.bodies, f"nothing arrived at the local receiver for {entry_id}"
        assert b"order placed" in b"".join(service.bodies) or b"disk almost full" in b"".join(service.bodies)
    if "postgres" in notes.env.values():
        dsn = request.getfixturevalue("postgres_dsn")
        assert count_rows(dsn, "SELECT count(*) FROM app_logs WHERE message = 'order placed'") >= 1
    if not notes.output:
        compare_with_golden(path.with_suffix(".out"), sanitize(result.stdout))


@pytest.mark.parametrize("entry_id", EXTERNAL_IDS)
def test_external_snippet_enables_the_plugin(entry_id, catalog, tmp_path):
    entry = catalog[entry_id]
    assert entry.usage.executed, f"{entry.package} is registered but not installed in the test environment"
    snippet = tmp_path / "snippet.py"
    snippet.write_text(entry.usage.code, encoding="utf-8")
    result, record = run_snippet(snippet, tmp_path, {})
    assert result.returncode == 0, result.stderr
    assert [GROUP[entry.type], entry.name] in [row[:2] for row in record["loaded"]]


@pytest.mark.parametrize("entry_id", THIRD_PARTY_IDS)
def test_a_third_party_snippet_says_it_was_not_executed(entry_id, catalog):
    entry = catalog[entry_id]
    assert not entry.usage.executed and not entry.verified_in_build
    assert "Not executed: the package is not installed in the build environment." in entry.usage.how


def test_sqlite_snippet_writes_the_event_to_the_database(catalog, tmp_path):
    """Loaded is not enough: the generated snippet's event reaches the database."""
    import sqlite3

    snippet = tmp_path / "snippet.py"
    snippet.write_text(catalog["sink/sqlite"].usage.code, encoding="utf-8")
    result, _ = run_snippet(snippet, tmp_path, {})
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "logs.sqlite3") as db:
        assert db.execute("SELECT message FROM events").fetchall() == [("order placed",)]


def test_pii_text_snippet_masks_the_address(catalog, tmp_path):
    snippet = tmp_path / "snippet.py"
    snippet.write_text(catalog["redactor/pii_text"].usage.code, encoding="utf-8")
    result, _ = run_snippet(snippet, tmp_path, {})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["log"]["message"] == "refund failed for [EMAIL]"


def test_fapilog_ignores_the_documented_string_truncate_setting(tmp_path):
    """Why the string_truncate snippet configures the redactor under "extra" (fapilog 0.18.1)."""
    program = tmp_path / "documented.py"
    program.write_text(
        "from fapilog import Settings, runtime\n"
        "settings = Settings(core={'redactors': ['string_truncate']},\n"
        "                    redactor_config={'string_truncate': {'max_string_length': 40}})\n"
        "with runtime(settings=settings) as log:\n"
        "    log.info('upload received', body='x' * 100)\n",
        encoding="utf-8",
    )
    result, record = run_snippet(program, tmp_path, {})
    assert ["fapilog.redactors", "string_truncate", "StringTruncateRedactor"] in record["loaded"]
    assert json.loads(result.stdout.splitlines()[-1])["log"]["data"]["body"] == "x" * 100  # not truncated


@pytest.mark.parametrize(
    "package", sorted(p.name for p in (ROOT / "examples" / "plugins").iterdir() if (p / "pyproject.toml").exists())
)
def test_plugin_package_tests_pass(package):
    """The project's own plugin packages pass their own test suites, run as their authors would."""
    result = subprocess.run(
        # -p no:asyncio: the hub's environment has pytest-asyncio (tutorial 7), which the
        # plugins' own tests do not use and which would warn about its unset options.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio"],
        cwd=ROOT / "examples" / "plugins" / package,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1], result.stdout[-500:]


VALIDATE = """
import asyncio, json, sys
from fapilog.plugins.loader import load_plugin
from fapilog.testing import validators
group, name, kind, config = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
plugin = load_plugin(group, name, config)
shape = getattr(validators, "validate_" + kind)(plugin)
lifecycle = asyncio.run(validators.validate_plugin_lifecycle(plugin))
print(json.dumps({"shape": [shape.valid, shape.errors], "lifecycle": [lifecycle.valid, lifecycle.errors]}))
"""


@pytest.mark.parametrize("entry_id", EXTERNAL_IDS)
def test_verified_plugins_pass_fapilogs_validators(entry_id, catalog, tmp_path):
    """What the verified tier promises: fapilog's own validators pass, in a separate process."""
    entry = catalog[entry_id]
    if entry.support.tier != "verified":
        pytest.skip(f"{entry_id} is {entry.support.tier}, not verified")
    config = json.dumps((entry.configuration.defaults if entry.configuration else None) or {})
    result = subprocess.run(
        [sys.executable, "-c", VALIDATE, GROUP[entry.type], entry.name, entry.type, config],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"shape": [True, []], "lifecycle": [True, []]}


def test_trace_sampling_splits_traces_in_fapilog_0_18_1(tmp_path):
    """Why the trace_sampling page warns: the filter cannot see trace_id, so it samples per event.

    40 traces of 2 events at rate 0.5: if decisions were per trace, no trace would ever be
    split; sampled per event, a trace is split half the time (all 40 whole: 1 in 2**40).
    """
    program = tmp_path / "traces.py"
    program.write_text(
        "from fapilog import Settings, runtime\n"
        "settings = Settings(core={'filters': ['trace_sampling']},\n"
        "                    filter_config={'trace_sampling': {'sample_rate': 0.5}})\n"
        "with runtime(settings=settings) as log:\n"
        "    for n in range(40):\n"
        "        log.info('span started', trace_id=f't{n}')\n"
        "        log.info('span finished', trace_id=f't{n}')\n",
        encoding="utf-8",
    )
    result, record = run_snippet(program, tmp_path, {})
    assert ["fapilog.filters", "trace_sampling", "TraceSamplingFilter"] in record["loaded"]
    kept: dict[str, int] = {}
    for line in result.stdout.splitlines():
        event = json.loads(line)["log"]
        assert "trace_id" not in event and event["context"]["trace_id"]  # filed under context
        kept[event["context"]["trace_id"]] = kept.get(event["context"]["trace_id"], 0) + 1
    assert 1 in kept.values(), f"no trace was split: {kept}"
