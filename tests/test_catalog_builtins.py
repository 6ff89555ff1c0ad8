"""registry/builtins.yml, the one file about fapilog's built-ins: what it holds, and every
kind of mistake refused with its file, field and fix (hub.catalog.builtins)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from hub.catalog import builtins
from hub.names import PLUGIN_TYPES
from support import ROOT

COMMITTED = yaml.safe_load(builtins.BUILTINS_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "builtins.yml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_for(tmp_path: Path, change) -> list[str]:
    data = copy.deepcopy(COMMITTED)
    change(data)
    found, problems = builtins.check(write(tmp_path, data), root=tmp_path)
    assert found is None
    return [str(p) for p in problems]


def test_the_committed_file_is_valid_and_lists_every_type():
    found, problems = builtins.check()
    assert problems == []
    assert len(found.plugins) == 26
    assert {plugin_id.split("/")[0] for plugin_id in found.plugins} == set(PLUGIN_TYPES)
    assert set(found.references) == set(PLUGIN_TYPES)
    assert not (ROOT / "registry" / "evaluation" / "builtins.yml").exists()  # one file, not two


def _set(*path, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value

    return change


def _drop(*path):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            _set("plugins", "sink/http", "tagz", value=["x"]),
            "builtins.yml: plugins.sink/http.tagz: is not a known field. Fix: did you mean 'tags'?",
            id="unknown-key",
        ),
        pytest.param(
            _set("plugins", "sink/http", "evaluation", "destinaton", value={"kind": "stdout"}),
            "plugins.sink/http.evaluation.destinaton: is not a known field. Fix: did you mean 'destination'?",
            id="unknown-evaluation-key",
        ),
        pytest.param(
            _set("plugins", "sinks/extra", value={}),
            "plugins: 'sinks/extra' is not a plugin id. Fix: fapilog's built-in plugins, keyed by '<type>/<name>': "
            "type is one of sink, enricher, redactor, processor, filter",
            id="unknown-type-in-id",
        ),
        pytest.param(
            _set("plugins", "sink/Extra", value={}), "plugins: 'sink/Extra' is not a plugin id", id="bad-name-in-id"
        ),
        pytest.param(
            _set("references", "sink", value="no_such_sink"),
            "references: names 'sink/no_such_sink', not listed under plugins. Fix: One reference plugin per type",
            id="reference-not-listed",
        ),
        pytest.param(
            _drop("references", "filter"),
            "references: has no reference for the filter plugins",
            id="type-without-reference",
        ),
        pytest.param(
            _set("plugins", "sink/cloudwatch", "evaluation", "exemptions", "benchmarkd", value="x" * 30),
            "plugins.sink/cloudwatch.evaluation.exemptions: exemption for an unknown tier rule 'benchmarkd' "
            "(did you mean benchmarked?)",
            id="exemption-unknown-rule",
        ),
        pytest.param(
            _set("plugins", "sink/cloudwatch", "evaluation", "exemptions", "benchmarked", value="because"),
            "plugins.sink/cloudwatch.evaluation.exemptions.benchmarked: is 7 characters long, fewer than 20",
            id="exemption-unjustified",
        ),
        pytest.param(
            _set("plugins", "sink/http", "env", "LOG_ENDPOINT", value="ftp"),
            "plugins.sink/http.env.LOG_ENDPOINT: 'ftp' is not allowed. Fix: use one of: http, loki, postgres",
            id="unknown-service",
        ),
        pytest.param(
            _set("plugins", "sink/http", "evaluation", "destination", "kind", value="s3"),
            "plugins.sink/http.evaluation.destination.kind: 's3' is not allowed",
            id="unknown-destination",
        ),
        pytest.param(
            _set("plugins", "sink/http", "tags", value=["http", "http"]),
            "plugins.sink/http.tags: lists an item twice. Fix: remove the duplicate",
            id="duplicate-tag",
        ),
        pytest.param(_set("extras", value=[]), "extras: has 0 items", id="no-extras"),
        pytest.param(
            _drop("references"), "references: missing (it is required). Fix: add references", id="no-references"
        ),
    ],
)
def test_a_malformed_file_is_refused_with_file_field_and_fix(tmp_path, change, expected):
    problems = problems_for(tmp_path, change)
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_at_once(tmp_path):
    def three_mistakes(data):
        data["plugins"]["sink/http"]["tagz"] = ["x"]
        data["plugins"]["sink/webhook"]["env"] = {"WEBHOOK_URL": "ftp"}
        data["extras"] = []

    problems = problems_for(tmp_path, three_mistakes)
    assert [p.split(":")[1].strip() for p in problems] == [
        "extras",
        "plugins.sink/http.tagz",
        "plugins.sink/webhook.env.WEBHOOK_URL",
    ]


def test_broken_yaml_and_duplicate_keys_name_the_place(tmp_path):
    text = builtins.BUILTINS_FILE.read_text(encoding="utf-8")
    _, broken = builtins.check(write(tmp_path, text.replace("plugins:\n", "plugins: [\n", 1)), root=tmp_path)
    assert [p.file for p in broken] == ["builtins.yml"] and "not valid YAML" in broken[0].message
    _, twice = builtins.check(write(tmp_path, text + "extras: [aws]\n"), root=tmp_path)
    assert "the key 'extras' appears twice" in str(twice[0])


def test_the_readers_refuse_a_malformed_file(tmp_path):
    from hub.evaluation import plan

    data = copy.deepcopy(COMMITTED)
    data["references"]["sink"] = "no_such_sink"
    path = write(tmp_path, data)
    with pytest.raises(builtins.BuiltinsInvalid, match=r"references: names 'sink/no_such_sink'"):
        plan.builtin_targets("0.18.1", path)
    with pytest.raises(builtins.BuiltinsInvalid):
        builtins.load(path)


def test_a_changed_file_is_read_again(tmp_path):
    data = copy.deepcopy(COMMITTED)
    path = write(tmp_path, data)
    assert builtins.load(path).plugins["sink/http"].tags == ["http", "network", "batching"]
    data["plugins"]["sink/http"]["tags"] = ["http", "network", "batching", "longer"]
    write(tmp_path, data)
    assert builtins.load(path).plugins["sink/http"].tags[-1] == "longer"


def test_targets_and_notes_come_from_the_same_entry():
    from hub.catalog import usage
    from hub.evaluation import plan

    targets = {t.plugin_id: t for t in plan.builtin_targets("0.18.1")}
    assert list(targets) == list(usage.builtin_notes()) == list(builtins.load().plugins)
    cloudwatch = targets["sink/cloudwatch"]
    assert cloudwatch.requirement == "fapilog[aws,postgres,fastapi]==0.18.1"
    assert set(cloudwatch.exemptions) == {"drain_verified", "benchmarked"}
    assert usage.builtin_notes()["sink/cloudwatch"].not_executed
    assert targets["sink/postgres"].destination == {"kind": "postgres", "table": "public.logs_{job_id}"}
    assert targets["sink/stdout_json"].destination == {"kind": "stdout"}  # no None keys
    assert targets["sink/mmap_persistence"].entry == "fapilog.plugins.sinks.mmap_persistence:MemoryMappedPersistence"
    assert targets["enricher/runtime_info"].config == {} and targets["enricher/runtime_info"].bench is True
    # A target's configuration is its own: changing it does not change the loaded file.
    targets["sink/http"].config["config"]["endpoint"] = "changed"
    assert plan.builtin_targets("0.18.1")[3].config == {"config": {"endpoint": "{receiver}/logs"}}
