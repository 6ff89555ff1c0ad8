"""Unit checks of the evaluation's parts: corpus, scoring, tiers, security summaries,
compatibility selection, the sandbox's limits, the suite's documented checks, and escaping."""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import json
import os
import sys
from pathlib import Path

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from hub.evaluation import compatibility, compliance, conformance, corpus, fragments, sandbox, security, tiers, views
from hub.evaluation.results import Store
from hub.project import ROOT

# Tests that run code in the sandbox: bubblewrap exists on Linux only; elsewhere the
# runner refuses (tested by test_sandbox_refuses_to_run_where_it_cannot_contain).
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the evaluation sandbox needs Linux (bubblewrap)")
SUITE_SRC = ROOT / "packages" / "fapilog-hub-conformance" / "src"


# --- corpus -------------------------------------------------------------------------------


def test_committed_corpus_is_what_the_generator_writes():
    committed = json.loads(corpus.CORPUS_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(corpus.generate()))


def test_corpus_holds_no_real_looking_data():
    records = compliance.load_corpus()
    assert len(records) == len(corpus.CATEGORIES) * corpus.RECORDS_PER_CATEGORY
    documentation_nets = [
        ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
    ]
    for record in records:
        for label in record["labels"]:
            if not label["sensitive"]:
                continue
            secret = label["secret"]
            if label["category"] == "email":
                assert secret.rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"}
            elif label["category"] == "card_number":
                assert corpus.luhn_valid(secret)
                assert secret.replace(" ", "").replace("-", "") in corpus.TEST_CARDS
            elif label["category"] == "ip_address":
                assert any(ipaddress.ip_address(secret) in net for net in documentation_nets)
            elif label["category"] == "national_id":
                assert secret.startswith(("666-", "QQ "))
            elif label["category"] == "url_credentials":
                assert ".example." in compliance.lookup(
                    {"message": record["message"], "data": record["data"]}, label["path"]
                )


def test_corpus_covers_every_shape_and_category():
    records = compliance.load_corpus()
    assert {r["shape"] for r in records} == set(corpus.SHAPES)
    for category in corpus.CATEGORIES:
        shapes = {r["shape"] for r in records if r["id"].startswith(category + "-")}
        assert shapes == set(corpus.SHAPES), category


# --- scoring ------------------------------------------------------------------------------


def _outputs(transform):
    return [{"id": r["id"], "event": transform(copy.deepcopy(r))} for r in compliance.load_corpus()]


def _envelope(record):
    return {"message": record["message"], "data": record["data"]}


def test_a_redactor_that_does_nothing_has_zero_recall_and_no_precision():
    card = compliance.score(_outputs(_envelope), compliance.load_corpus())
    assert card["overall"]["recall"] == 0.0
    assert card["overall"]["precision"] is None
    assert card["unrelated_fields_changed"] == 0


def test_an_oracle_scores_perfectly():
    corpus_records = {r["id"]: r for r in compliance.load_corpus()}

    def oracle(record):
        event = _envelope(record)
        for label in corpus_records[record["id"]]["labels"]:
            if label["sensitive"]:
                *parent, last = label["path"]
                node = compliance.lookup(event, parent)
                node[last] = node[last].replace(label["secret"], "***")
        return event

    card = compliance.score(_outputs(oracle), compliance.load_corpus())
    assert card["overall"]["recall"] == 1.0 and card["overall"]["precision"] == 1.0
    assert all(c["recall"] == 1.0 and c["precision"] == 1.0 for c in card["categories"].values())


def test_masking_everything_is_caught_as_over_redaction():
    def mask_all(value):
        if isinstance(value, dict):
            return {k: mask_all(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mask_all(v) for v in value]
        return "***"

    card = compliance.score(_outputs(lambda r: mask_all(_envelope(r))), compliance.load_corpus())
    assert card["overall"]["recall"] == 1.0
    assert card["overall"]["precision"] == 0.5  # one look-alike per sensitive value
    assert card["unrelated_fields_changed"] == len(compliance.load_corpus())


def test_raising_counts_as_leaking_and_dropping_as_losing():
    records = compliance.load_corpus()
    raising = compliance.score([{"id": r["id"], "error": "boom"} for r in records], records)
    assert raising["overall"]["recall"] == 0.0 and raising["records_raising"] == len(records)
    dropped = compliance.score([], records)
    assert dropped["overall"]["recall"] == 1.0 and dropped["overall"]["precision"] == 0.5


# --- tiers --------------------------------------------------------------------------------


BENCH = {  # the shape bench.summarize() writes
    "seconds_per_round": 0.3,
    "calls": 1000,
    "reference_calls": 1000,
    "warmup": 100,
    "rounds": 5,
    "throughput_ratio": 1.0,
    "p95_ratio": 1.0,
    "ops_per_second": 1000.0,
    "p95_ms": 1.0,
    "reference_ops_per_second": 1000.0,
    "reference_p95_ms": 1.0,
}


def _entry(**plugin):
    checks = [
        {"check": name, "outcome": "passed", "detail": "", "required": required}
        for name, (_, required, _) in conformance.CHECKS.items()
        if name.startswith(("protocol", "lifecycle", "stop_idempotent", "health_check", "redactor."))
    ]
    record = {
        "status": "passed",
        "failure": None,
        "failure_kind": None,
        "conformance": checks,
        "bench": BENCH,
        "source_file": "pkg/mod.py",
        "behaviour": {"findings": [], "counts": {"HIGH": 0, "MEDIUM": 0, "LOW": 0}},
    }
    record.update(plugin)
    return {
        "package": "pkg",
        "version": "1.0",
        "plugins": {"redactor/x": record},
        "security": {
            "bandit": {"status": "scanned", "findings": []},
            "pip_audit": {"status": "scanned", "audited": 3, "vulnerabilities": []},
            "licenses": {
                "status": "checked",
                "packages": [{"package": "pkg==1.0", "license": "MIT", "allowed": True}],
                "findings": [],
            },
        },
    }


GOOD_MATRIX = {"0.18.1": "passed", "0.17.0": "passed"}


def test_a_plugin_passing_everything_is_gold():
    assert tiers.tier(tiers.judge("redactor/x", _entry(), GOOD_MATRIX, {})) == "gold"


@pytest.mark.parametrize(("severity", "expected"), [("HIGH", None), ("MEDIUM", "silver"), ("LOW", "gold")])
def test_behaviour_seen_in_the_sandbox_counts_in_the_tier(severity, expected):
    finding = {"severity": severity, "kind": "secret_env_read", "detail": "read GITHUB_TOKEN (pkg/mod.py)"}
    entry = _entry(behaviour={"findings": [finding]})
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == expected


def test_a_result_without_behaviour_is_not_measured_not_passed():
    entry = _entry()
    del entry["plugins"]["redactor/x"]["behaviour"]
    rules = {r.rule.id: r for r in tiers.judge("redactor/x", entry, GOOD_MATRIX, {})}
    assert rules["no_high_behaviour"].status == tiers.NOT_MEASURED
    assert tiers.tier(list(rules.values())) is None


def test_a_not_measured_rule_holds_the_tier_back_like_a_failure():
    entry = _entry()
    entry["security"]["pip_audit"] = {"status": "not scanned", "reason": "service unreachable", "vulnerabilities": []}
    results = tiers.judge("redactor/x", entry, GOOD_MATRIX, {})
    assert {r.rule.id: r.status for r in results}["no_known_vulnerabilities"] == tiers.NOT_MEASURED
    assert tiers.tier(results) == "silver"


def test_an_exemption_needs_its_justification_and_is_shown():
    entry = _entry(bench={"not_benchmarked": "needs a cloud service"})
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == "bronze"
    results = tiers.judge("redactor/x", entry, GOOD_MATRIX, {"benchmarked": "Only runs against AWS."})
    assert tiers.tier(results) == "gold"
    assert [r.detail for r in results if r.rule.id == "benchmarked"] == ["Only runs against AWS."]


def test_high_findings_outside_the_plugins_module_do_not_count_against_it():
    entry = _entry()
    entry["security"]["bandit"]["findings"] = [{"severity": "HIGH", "test": "B324", "where": "pkg/other.py:3"}]
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == "gold"
    entry["security"]["bandit"]["findings"] = [{"severity": "HIGH", "test": "B324", "where": "pkg/mod.py:3"}]
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) == "bronze"


def test_a_crash_gives_no_tier():
    entry = _entry(status="failed", failure="crashed: killed by signal SIGSEGV", failure_kind="crashed", conformance=[])
    assert tiers.tier(tiers.judge("redactor/x", entry, GOOD_MATRIX, {})) is None


# --- security and compatibility -----------------------------------------------------------


def test_pip_audit_skipping_everything_is_not_a_pass():
    report = {
        "dependencies": [{"name": "a", "skip_reason": "Dependency not found on PyPI and could not be audited: a (1)"}]
        * 3
    }
    summary = security.summarize_audit(report, 3)
    assert summary["status"] == "not scanned" and summary["audited"] == 0
    assert "Dependency not found on PyPI and could not be audited" in summary["reason"]


def test_pip_audit_vulnerabilities_are_listed():
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "2.10", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2.10.1"]}]}
        ]
    }
    summary = security.summarize_audit(report, 1)
    assert summary["status"] == "scanned"
    assert summary["vulnerabilities"][0]["id"] == "PYSEC-1"


@pytest.mark.parametrize(
    ("expression", "allowed"),
    [
        ("MIT", True),
        ("MIT OR GPL-3.0-only", True),
        ("GPL-3.0-only", False),
        ("Apache-2.0 AND MIT", True),
        ("Apache-2.0 AND GPL-2.0", False),
    ],
)
def test_license_expressions(expression, allowed):
    assert security.expression_allowed(expression, {"MIT", "Apache-2.0"}) is allowed


def test_newest_minors_follow_the_declared_range():
    releases = ["0.15.0", "0.16.0", "0.17.0", "0.18.0", "0.18.1", "0.19.0rc1"]
    assert compatibility.newest_minors(releases) == ["0.18.1", "0.17.0", "0.16.0"]
    assert compatibility.newest_minors(releases, ">=0.18,<0.19") == ["0.18.1"]
    assert compatibility.newest_minors(releases, "<0.18") == ["0.17.0", "0.16.0", "0.15.0"]


# --- sandbox ------------------------------------------------------------------------------


def _run(code: str, tmp_path: Path, **limits) -> sandbox.Outcome:
    env = sandbox.minimal_env(home=tmp_path, path_dirs=[Path(sys.executable).parent])
    return sandbox.run_contained([sys.executable, "-c", code], cwd=tmp_path, env=env, limits=sandbox.Limits(**limits))


@linux_only
def test_sandbox_passes_only_the_minimal_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_TEST_SECRET", "s3cr3t-value")
    outcome = _run("import os, json; print(json.dumps(sorted(os.environ)))", tmp_path)
    assert outcome.failure is None
    assert "s3cr3t-value" not in outcome.output_tail and "HUB_TEST_SECRET" not in outcome.output_tail


@linux_only
def test_sandbox_kills_a_whole_process_tree_at_the_timeout(tmp_path):
    code = "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\ntime.sleep(60)"
    outcome = _run(code, tmp_path, timeout_seconds=1.5)
    assert outcome.timed_out and outcome.failure.startswith("timeout")
    assert outcome.duration_seconds < 10


@linux_only
def test_sandbox_tells_an_exit_status_from_a_signal(tmp_path):
    exited = _run("import os; os._exit(137)", tmp_path)
    killed = _run("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", tmp_path)
    assert (exited.returncode, exited.failure) == (137, "exited with status 137")
    assert (killed.returncode, killed.failure) == (-9, "crashed: killed by signal SIGKILL")


@linux_only
def test_sandbox_lets_it_write_only_its_working_folder(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    victim = tmp_path / "outside.txt"
    code = (
        "import sys\n"
        "open('mine.txt', 'w').write('ok')\n"
        f"for path in [{str(victim)!r}, {str(ROOT / 'planted.txt')!r}, {sys.prefix + '/planted.pth'!r}]:\n"
        "    try:\n"
        "        open(path, 'w').write('x'); print('WROTE', path)\n"
        "    except OSError as e:\n"
        "        print('DENIED', path, type(e).__name__)\n"
    )
    outcome = _run(code, work)
    assert outcome.failure is None, outcome.output_tail
    assert (work / "mine.txt").read_text() == "ok"
    assert outcome.output_tail.count("DENIED") == 3 and "WROTE" not in outcome.output_tail
    assert not victim.exists() and not (ROOT / "planted.txt").exists() and not Path(sys.prefix, "planted.pth").exists()


NON_ROOT_CHECK = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from hub.evaluation import sandbox
work, owned = Path(sys.argv[2]), Path(sys.argv[3])
code = (
    "import os\\n"
    "open('mine.txt', 'w').write(str(os.getuid()))\\n"
    "try:\\n"
    f"    open({str(owned / 'planted.pth')!r}, 'w')\\n"
    "    print('WROTE')\\n"
    "except OSError as e:\\n"
    "    print('DENIED', type(e).__name__)\\n"
)
env = sandbox.minimal_env(home=work, path_dirs=[])
outcome = sandbox.run_contained(["/usr/bin/python3", "-c", code], cwd=work, env=env)
print(sandbox.isolation_note())
print(outcome.failure, outcome.output_tail)
"""


@linux_only
@pytest.mark.skipif(
    not (hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/usr/bin/python3").exists()),
    reason="needs root (to become another user) and Debian's /usr/bin/python3 (readable by that user)",
)
def test_sandbox_contains_a_caller_that_is_not_root(tmp_path):
    # Run by an ordinary user (nobody here), the sandbox makes its own user namespace; a
    # folder that user owns outside the working folder is still read-only inside.
    import shutil
    import subprocess
    import uuid

    work = tmp_path / "work"
    work.mkdir()
    # Outside /tmp and /var/tmp (empty tmpfs inside the sandbox) wherever the clone lives, so
    # that the folder is visible inside and the write fails because the system is read-only.
    owned = Path("/var/cache") / f"hub-sandbox-owned-{uuid.uuid4().hex[:8]}"
    owned.mkdir(parents=True)
    try:
        for folder in (tmp_path, work, owned):
            os.chown(folder, 65534, 65534)
        # pytest makes its folders private to root (one level more under xdist: popen-gwN/).
        for folder in [tmp_path, *tmp_path.parents]:
            folder.chmod(0o755)
            if folder.name.startswith("pytest-of-"):  # /tmp/pytest-of-root: the last private one
                break
        script = tmp_path / "check.py"
        script.write_text(NON_ROOT_CHECK, encoding="utf-8")
        script.chmod(0o644)
        run = subprocess.run(
            ["runuser", "-u", "nobody", "--", "/usr/bin/python3", str(script), str(ROOT), str(work), str(owned)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
        )
        assert run.returncode == 0, run.stderr
        assert "as the invoking user, own user, mount" in run.stdout
        assert "None DENIED OSError" in run.stdout, run.stdout  # EROFS: read-only, though nobody owns it
        assert (work / "mine.txt").read_text() == "65534"
        assert list(owned.iterdir()) == []
    finally:
        shutil.rmtree(owned, ignore_errors=True)


def test_sandbox_refuses_to_run_where_it_cannot_contain(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    sandbox._probe_bwrap.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable, match="bubblewrap"):
            _run("print('never')", tmp_path)
    finally:
        monkeypatch.undo()
        sandbox._probe_bwrap.cache_clear()


@linux_only
def test_sandbox_caps_output(tmp_path):
    outcome = _run("import sys\nwhile True: sys.stdout.write('x' * 65536)", tmp_path, output_bytes=1024 * 1024)
    assert outcome.output_exceeded and outcome.failure.startswith("output limit")
    assert len(outcome.output_tail) <= 4096


# --- the suite's checks are the documented ones ------------------------------------------


def test_documented_checks_are_the_checks_the_suite_runs(monkeypatch):
    monkeypatch.syspath_prepend(str(SUITE_SRC))
    from fapilog import testing
    from fapilog.plugins.processors.zero_copy import ZeroCopyProcessor
    from fapilog_hub_conformance import run_suite

    factories = {
        "sink": testing.MockSink,
        "enricher": testing.MockEnricher,
        "redactor": testing.MockRedactor,
        "filter": testing.MockFilter,
        "processor": ZeroCopyProcessor,
    }
    seen = {}
    for kind, factory in factories.items():
        for result in asyncio.run(run_suite(kind, factory)):
            seen[result.check] = result.required
    assert seen == {name: required for name, (_, required, _) in conformance.CHECKS.items()}


# --- pages escape what they print ---------------------------------------------------------


def test_plugin_page_fragment_escapes_untrusted_text(tmp_path):
    store = Store(tmp_path / "e.json")
    entry = _entry(failure="<script>alert(1)</script>", failure_kind="conformance", status="failed")
    entry.update(
        fapilog_version="0.18.1",
        kind="full",
        runner_version="r",
        date="2026-01-01",
        environment={
            "python": "3.11",
            "cpu": "<b>cpu</b>",
            "cores": 2,
            "isolation": "x",
            "bandit": "1",
            "pip_audit": "1",
        },
    )
    store.put("k", entry)
    store.meta["runner_version"] = "r"
    view = views.plugin_view(views.Results(store), "pkg", "redactor/x", builtin=False, exemptions={})
    html = fragments.render("plugin", **view)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>cpu</b>" not in html


# --- the author-facing example and the registry's exemptions ------------------------------


def test_the_authors_example_passes_in_its_own_pytest_run(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(SUITE_SRC)}
    example = ROOT / "packages" / "fapilog-hub-conformance" / "examples" / "test_my_redactor.py"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(example)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


@pytest.mark.parametrize(
    ("exemptions", "message"),
    [
        ({"no_such_rule": "A long enough justification here."}, "unknown rule"),
        ({"benchmarked": "because"}, "written justification"),
    ],
)
def test_exemptions_need_a_known_rule_and_a_justification(exemptions, message):
    from hub.evaluation import plan

    with pytest.raises(ValueError, match=message):
        plan.check_exemptions(exemptions, "entry")


def test_every_catalog_plugin_has_a_target():
    from hub.evaluation import plan

    ids = [t.plugin_id for t in plan.catalog_targets("0.18.1")]
    assert len(ids) == len(set(ids)) == 31
    assert {"sink/sqlite", "redactor/pii_text", "sink/audit", "sink/sealed", "enricher/integrity"} <= set(ids)


# --- the results file: partial runs keep what they did not recompute ---------------------


def _stored(package: str, fapilog_version: str) -> dict:
    return {"package": package, "version": "1.0", "fapilog_version": fapilog_version, "plugins": {}}


@linux_only
def test_a_forced_partial_run_keeps_every_entry_it_did_not_recompute(tmp_path, monkeypatch):
    from hub.evaluation import plan, runner, venvs

    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "hub-partial"\nversion = "1.0"\ndependencies = ["fapilog>=0.18"]\n', encoding="utf-8"
    )
    target = plan.local_target(folder, type="sink", name="partial")
    store = Store(tmp_path / "evaluations.json")
    others = {
        "other==1.0|fapilog==0.18.1|runner==r": _stored("other", "0.18.1"),
        "hub-partial==1.0|fapilog==0.17.0|runner==r": _stored("hub-partial", "0.17.0"),  # another release
    }
    store.entries.update(copy.deepcopy(others))
    store.presets["fapilog==0.18.1|runner==r"] = {"scorecards": {"production": {}}}
    # The same package's entry, with the record of a plugin this run does not cover.
    key = f"hub-partial==1.0|fapilog==0.18.1|runner=={runner.runner_version()}"
    store.entries[key] = {**_stored("hub-partial", "0.18.1"), "plugins": {"sink/other": {"status": "passed"}}}
    store.save()

    # The install is what a forced run redoes; making it fail fast keeps this test about the store.
    def no_install(install, cache):
        raise venvs.VenvError("not installed in this test")

    monkeypatch.setattr(venvs, "ensure", no_install)
    the_plan = runner.Plan([target], "0.18.1", ["0.18.1"], {}, presets=False, compatibility=False)
    report = runner.evaluate(the_plan, store, cache=tmp_path / "cache", force=True, progress=lambda _: None)
    store.save()

    saved = json.loads(store.path.read_text(encoding="utf-8"))
    assert report.evaluated == [key]
    assert set(saved["entries"][key]["plugins"]) == {"sink/other", "sink/partial"}
    assert saved["entries"][key]["plugins"]["sink/partial"]["status"] == "failed"  # recomputed
    for other, entry in others.items():
        assert saved["entries"][other] == entry
    assert saved["presets"] == {"fapilog==0.18.1|runner==r": {"scorecards": {"production": {}}}}


def test_saving_is_atomic_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    store = Store(tmp_path / "evaluations.json")
    store.entries["a"] = _stored("a", "0.18.1")
    store.save()
    before = store.path.read_bytes()
    store.entries["b"] = _stored("b", "0.18.1")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr("hub.evaluation.results.os.replace", crash)
    with pytest.raises(OSError, match="disk full"):
        store.save()
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["evaluations.json"]  # no temporary file left behind


def test_only_accepts_plugin_ids_and_packages_and_names_the_choices():
    from hub.evaluation import __main__ as cli
    from hub.evaluation import plan

    targets = plan.catalog_targets("0.18.1")
    by_id = cli.select(targets, ["sink/stdout_json"])
    assert [t.plugin_id for t in by_id] == ["sink/stdout_json"]
    package = next(t.package for t in targets if not t.builtin)
    assert {t.package for t in cli.select(targets, [package])} == {package}
    with pytest.raises(cli.UnknownPlugin, match="fapilog-holdout-crash") as error:
        cli.select(targets, ["fapilog-holdout-crash"])
    assert "sink/stdout_json" in str(error.value) and package in str(error.value)


def test_behaviour_of_a_dependency_is_shown_but_not_counted():
    log = [
        {"kind": "credential_file", "path": ".aws/credentials", "by": "botocore/configloader.py"},
        {"kind": "secret_env_read", "name": "GITHUB_TOKEN", "by": "evil/__init__.py"},
        {"kind": "write_outside", "path": "/work/x.pth", "by": "helper_dep/io.py"},
    ]
    found = security.behaviour_findings(log, [], own={"evil"})
    assert [(f["severity"], f["kind"]) for f in found["findings"]] == [
        ("HIGH", "write_outside"),  # a dependency's write outside counts: a plugin can ship a hostile one
        ("MEDIUM", "secret_env_read"),
        ("LOW", "credential_file"),
    ]
    assert found["findings"][2]["detail"].startswith("its dependency botocore opened")


def test_what_a_plugin_leaves_in_its_folder_is_read_without_following_links(tmp_path):
    from hub.evaluation import decoys, runner

    planted = decoys.make()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(planted.markers[0])  # would be a hit if the link were followed
    work = tmp_path / "work"
    work.mkdir()
    (work / "root").symlink_to(outside)
    (work / "behaviour.log").symlink_to(outside / "secret.txt")
    os.mkfifo(work / "network.log")  # reading it would block forever
    (work / "events.jsonl").write_text(planted.markers[1])
    assert planted.found_in(work, skip=set()) == ["events.jsonl"]
    assert runner._log_lines(work / "behaviour.log") == [] and runner._log_lines(work / "network.log") == []
