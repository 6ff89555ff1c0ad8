"""The metrics collectors, run against response FIXTURES (tests/fixtures/metrics/, made-up
package, documented API formats) through an injected HTTP layer: no network here."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import pytest

from hub.metrics import collect as run
from hub.metrics import collectors as c
from hub.metrics import history as hist

FIXTURES = Path(__file__).parent / "fixtures" / "metrics"
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=7)
FIXTURE_FOR = {
    "fapilog_releases": "fixture-pypi-json.json",
    "pypi_downloads": "fixture-pypistats-recent.json",
    "github_stars": "fixture-github-repository.json",
    "dependents": "fixture-ecosystems-package.json",
}


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeHttp:
    """Answers each collector URL with its fixture (or fails), recording what was asked."""

    def __init__(self, answers: dict[str, object]):
        self.answers = answers
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url, headers):
        self.calls.append((url, dict(headers)))
        answer = self.answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer


def all_fixtures() -> FakeHttp:
    return FakeHttp({c.by_key(key).url: fixture(name) for key, name in FIXTURE_FOR.items()})


def test_every_collector_has_a_fixture_labelled_as_such():
    assert {col.key for col in c.COLLECTORS} == set(FIXTURE_FOR)
    for name in FIXTURE_FOR.values():
        assert name.startswith("fixture-") and fixture(name)["//"].startswith("FIXTURE")


@pytest.mark.parametrize(
    ("key", "value", "detail"),
    [
        # 1.0.1 is yanked and 2.0.0a1 has no files: neither counts. 1.0.0 is dated by its first upload.
        (
            "fapilog_releases",
            2,
            {
                "latest": "1.1.0",
                "releases": [{"version": "1.0.0", "date": "2026-01-04"}, {"version": "1.1.0", "date": "2026-03-01"}],
            },
        ),
        ("pypi_downloads", 345, {"last_week": 78, "last_day": 12}),
        ("github_stars", 42, {"repository": "example/example-package", "forks": 7}),
        ("dependents", 9, {"dependent_packages": 2}),
    ],
)
def test_collector_reads_its_documented_format(key, value, detail):
    history = hist.History()
    http = all_fixtures()
    outcomes = run.collect(history, http, NOW, env={}, collectors=[c.by_key(key)])
    assert outcomes[0].error is None
    snap = history.series[key].latest
    assert (snap.value, snap.source, snap.collected_at) == (value, c.by_key(key).url, NOW)
    assert detail.items() <= snap.detail.items()
    assert history.series[key].last_attempt.ok is True


def test_snapshots_are_appended_never_overwritten(tmp_path):
    path = tmp_path / "history.json"
    history = hist.History()
    run.collect(history, all_fixtures(), NOW, env={})
    hist.save(history, path)
    again = hist.load(path)
    run.collect(again, all_fixtures(), LATER, env={})
    hist.save(again, path)
    stored = hist.load(path)
    for key in FIXTURE_FOR:
        assert [s.collected_at for s in stored.series[key].snapshots] == [NOW, LATER]


def test_unreachable_source_says_so_and_keeps_the_previous_snapshot():
    history = hist.History()
    run.collect(history, all_fixtures(), NOW, env={})
    stars = c.by_key("github_stars")
    down = FakeHttp({stars.url: c.CollectionFailed("not reachable: Name or service not known")})
    [outcome] = run.collect(history, down, LATER, env={}, collectors=[stars])
    assert "NOT COLLECTED" in str(outcome) and "Name or service not known" in str(outcome)
    series = history.series["github_stars"]
    assert [s.value for s in series.snapshots] == [42]  # the earlier figure, untouched
    assert series.last_attempt.ok is False and series.last_attempt.at == LATER


def test_a_first_failed_collection_records_no_figure():
    history = hist.History()
    key = "pypi_downloads"
    http = FakeHttp({c.by_key(key).url: c.CollectionFailed("not reachable: HTTP 503 Service Unavailable")})
    run.collect(history, http, NOW, env={}, collectors=[c.by_key(key)])
    assert history.series[key].snapshots == []
    assert history.series[key].last_attempt.error == "not reachable: HTTP 503 Service Unavailable"


@pytest.mark.parametrize(
    ("key", "broken"),
    [
        ("pypi_downloads", {"data": {"last_day": 1, "last_week": 2}, "package": "x", "type": "recent_downloads"}),
        ("github_stars", {"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com/rest"}),
        ("dependents", {"dependent_repos_count": None, "dependent_packages_count": 0}),
        ("fapilog_releases", {"message": "Not Found"}),
    ],
    ids=["missing field", "error body", "null count", "no releases"],
)
def test_an_answer_in_another_shape_is_a_failure_not_a_number(key, broken):
    history = hist.History()
    [outcome] = run.collect(history, FakeHttp({c.by_key(key).url: broken}), NOW, env={}, collectors=[c.by_key(key)])
    assert outcome.snapshot is None and outcome.error
    assert history.series[key].snapshots == []


def test_github_token_is_sent_only_when_present():
    stars = c.by_key("github_stars")
    http = all_fixtures()
    run.collect(hist.History(), http, NOW, env={"GITHUB_TOKEN": "t0ken"}, collectors=[stars])
    run.collect(hist.History(), http, NOW, env={}, collectors=[stars])
    with_token, without = (headers for _, headers in http.calls)
    assert with_token["Authorization"] == "Bearer t0ken" and "Authorization" not in without
    assert with_token["X-GitHub-Api-Version"] == "2022-11-28"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        body = b'{"data": {"last_day": 1, "last_week": 2, "last_month": 3}}' if self.path == "/ok" else b"<html>"
        self.send_response(200 if self.path in ("/ok", "/html") else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_real_http_layer_decodes_json_and_turns_failures_into_collection_failed():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert c.fetch_json(f"{base}/ok", {})["data"]["last_month"] == 3
        with pytest.raises(c.CollectionFailed, match="HTTP 404"):
            c.fetch_json(f"{base}/missing", {})
        with pytest.raises(c.CollectionFailed, match="not JSON"):
            c.fetch_json(f"{base}/html", {})
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(c.CollectionFailed, match="not reachable"):
        c.fetch_json(base + "/ok", {})  # the server is gone: connection refused


def test_main_writes_the_history_and_prints_each_outcome(tmp_path, capsys):
    path = tmp_path / "history.json"
    assert run.main(["--history", str(path)], fetch=all_fixtures()) == 0
    out = capsys.readouterr().out
    assert "github_stars: 42 from https://api.github.com/repos/chris-haste/fapilog" in out
    assert json.loads(path.read_text())["series"]["dependents"]["snapshots"][0]["value"] == 9


def test_the_committed_history_holds_only_well_formed_sourced_snapshots():
    history = hist.load()
    assert history.note == hist.NOTE
    for key, series in history.series.items():
        assert key in FIXTURE_FOR
        for snap in series.snapshots:
            assert snap.source == c.by_key(key).url
            assert snap.collected_at.tzinfo is not None
