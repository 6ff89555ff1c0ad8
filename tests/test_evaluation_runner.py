"""hub/evaluation/runner.py: a partial run keeps what it did not recompute; what a plugin
leaves is read without following links."""

from __future__ import annotations

import copy
import json
import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)

from evaluation_support import linux_only
from evaluation_support import stored as _stored
from hub.evaluation.results import Store


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
