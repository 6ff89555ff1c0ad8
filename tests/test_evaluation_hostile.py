"""Hostile plugins are contained: each ends as a recorded failure with its reason, within
its timeout, while the others carry on, and nothing secret or networked leaks out.

The fixtures are real packages (tests/fixtures/plugins/), installed with uv into their own
virtualenvs and run by the real runner, exactly as catalog plugins are. CI runs this.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import threading
from pathlib import Path

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import plan, runner, sandbox
from hub.evaluation.results import Store
from hub.project import ROOT, pinned_fapilog_version

FIXTURES = ROOT / "tests" / "fixtures" / "plugins"
TIMEOUT = 40.0
CANARY = "hub-canary-" + secrets.token_hex(16)


class Listener:
    """A TCP listener on the host's loopback that records every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory):
    listener = Listener()
    targets = [
        plan.local_target(FIXTURES / "hub-fixture-hang", type="sink", name="hang"),
        plan.local_target(FIXTURES / "hub-fixture-abort", type="enricher", name="abort"),
        plan.local_target(FIXTURES / "hub-fixture-segfault", type="filter", name="segfault"),
        plan.local_target(FIXTURES / "hub-fixture-flood", type="sink", name="flood"),
        plan.local_target(FIXTURES / "hub-fixture-import-error", type="redactor", name="import_error"),
        plan.local_target(FIXTURES / "hub-fixture-env-reader", type="redactor", name="env_reader"),
        plan.local_target(
            FIXTURES / "hub-fixture-network", type="sink", name="network", config={"port": listener.port}
        ),
        plan.local_target(FIXTURES / "hub-fixture-good", type="redactor", name="good"),
    ]
    version = pinned_fapilog_version()
    the_plan = runner.Plan(targets, version, [version], plan.references(version), presets=False, compatibility=False)
    store = Store(tmp_path_factory.mktemp("results") / "evaluations.json")
    os.environ["HUB_CANARY"] = CANARY  # a secret in the parent's environment
    try:
        report = runner.evaluate(the_plan, store, limits=sandbox.Limits(timeout_seconds=TIMEOUT), workers=2)
    finally:
        del os.environ["HUB_CANARY"]
        listener.close()
    store.save()
    records = {}
    for entry in store.entries.values():
        for record in entry["plugins"].values():
            records[entry["package"]] = record
    return {"report": report, "records": records, "store": store, "listener": listener}


def record(evaluation, package: str) -> dict:
    return evaluation["records"][package]


def test_every_fixture_has_a_record(evaluation):
    assert len(evaluation["records"]) == 8
    assert len(evaluation["report"].evaluated) == 8


def test_hang_is_killed_at_the_timeout(evaluation):
    r = record(evaluation, "hub-fixture-hang")
    assert r["status"] == "failed"
    assert r["failure"].startswith("timeout")
    assert TIMEOUT <= r["duration_seconds"] < TIMEOUT + 10


@pytest.mark.parametrize(
    ("package", "signal_name"), [("hub-fixture-abort", "SIGABRT"), ("hub-fixture-segfault", "SIGSEGV")]
)
def test_interpreter_crash_is_recorded(evaluation, package, signal_name):
    r = record(evaluation, package)
    assert r["status"] == "failed"
    assert r["failure"] == f"crashed: killed by signal {signal_name}"
    assert r["duration_seconds"] < TIMEOUT


def test_flood_is_cut_at_the_output_cap(evaluation):
    r = record(evaluation, "hub-fixture-flood")
    assert r["status"] == "failed"
    assert r["failure"].startswith("output limit")
    assert len(r["output_tail"]) <= 1500  # what the record keeps of megabytes of output
    assert r["duration_seconds"] < TIMEOUT


def test_import_error_is_recorded_with_the_missing_module(evaluation):
    r = record(evaluation, "hub-fixture-import-error")
    assert r["status"] == "failed"
    assert r["failure"].startswith("failed on import: ModuleNotFoundError")
    assert "hub_fixture_module_that_does_not_exist" in r["failure"]


def test_environment_reader_never_sees_the_parents_secret(evaluation):
    r = record(evaluation, "hub-fixture-env-reader")
    assert r["status"] == "failed"
    assert "redactor.unrelated_fields_untouched" in r["failure"] and "data.env" in r["failure"]
    # The plugin printed the environment it saw, and that print reached the record ...
    seen_line = next(line for line in r["output_tail"].splitlines() if line.startswith("ENV-SEEN "))
    seen = json.loads(seen_line.removeprefix("ENV-SEEN "))
    assert "PATH" in seen and "HOME" in seen
    # ... yet neither the canary nor any other variable of the parent was in it.
    assert "HUB_CANARY" not in seen
    # PWD is set by the sandbox's /bin/sh (the namespace's PID 1): the working folder, no secret.
    assert set(seen) <= set(sandbox.minimal_env(home=Path("/x"), path_dirs=[])) | {"PWD"}
    assert CANARY not in evaluation["store"].path.read_text(encoding="utf-8")


def test_network_attempt_is_recorded_and_reaches_nothing(evaluation):
    r = record(evaluation, "hub-fixture-network")
    port = evaluation["listener"].port
    assert r["status"] == "failed"
    assert r["failure"] == f"opened network connections: 127.0.0.1:{port}"
    assert any(n["target"] == f"127.0.0.1:{port}" and not n["expected"] for n in r["network"])
    if not sandbox.namespace_prefix():
        pytest.skip("no network namespace here: the attempt is recorded but not blocked")
    assert evaluation["listener"].received == []


def test_the_well_behaved_plugin_carries_on(evaluation):
    r = record(evaluation, "hub-fixture-good")
    assert r["status"] == "passed", r.get("failure")
    assert r["compliance"]["categories"]["password"]["tp"] > 0
    assert r["bench"]["throughput_ratio"] > 0
