"""Generated page blocks: data files validate, everything is escaped, empty states say so.

Each test writes the data files it needs into a temporary repository root and renders
the block the way the build does (hub.blocks.fill on a page's Markdown).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from hub import blocks

TODAY = date(2026, 6, 1)


def root_with(tmp_path: Path, **files: object) -> Path:
    (tmp_path / "data").mkdir(parents=True)
    defaults = {
        "contributors.yml": {"contributions": []},
        "events.yml": {"events": []},
        "support.yml": {"office_hours": [], "mentors": []},
    }
    for name, content in {**defaults, **{k.replace("_", "-") + ".yml": v for k, v in files.items()}}.items():
        (tmp_path / "data" / name).write_text(yaml.safe_dump(content), encoding="utf-8")
    return tmp_path


def fill(root: Path, name: str, page_url: str = "community/page/", extra: dict | None = None) -> str:
    where = blocks.Where(page_url=page_url, extra=extra or {}, root=root, today=TODAY)
    return blocks.fill(f"before\n\n<!-- hub:{name} -->\n\nafter\n", where)


EVENT = {
    "title": "Async logging",
    "kind": "talk",
    "date": "2026-07-01",
    "place": "online",
    "link": "https://example.org/talk",
    "speakers": ["Ada"],
    "demo": "notebooks/lightning-demo.ipynb",
}


def test_events_split_into_upcoming_and_past_with_a_relative_demo_link(tmp_path):
    past = {**EVENT, "title": "Earlier meetup", "kind": "meetup", "date": "2026-01-15", "demo": None}
    html = fill(root_with(tmp_path, events={"events": [past, EVENT]}), "events")
    upcoming_part, past_part = html.split('id="past"')
    assert "Async logging" in upcoming_part and "Earlier meetup" in past_part
    assert 'href="../../notebooks/lightning-demo/"' in html  # from community/page/ to the notebook's page
    assert html.startswith("before\n\n<div") and html.endswith("</div>\n\nafter\n")
    assert "\n\n" not in html.split("before\n\n", 1)[1].rsplit("\n\nafter", 1)[0], (
        "a blank line would end the HTML block"
    )


def test_empty_event_list_says_so_and_how_to_add_one(tmp_path):
    html = fill(root_with(tmp_path), "events")
    assert "No upcoming events are listed" in html and "data/events.yml" in html
    assert "No past events are recorded yet" in html


def test_event_text_is_escaped(tmp_path):
    evil = {**EVENT, "title": "<script>alert(1)</script>", "place": "A & B"}
    html = fill(root_with(tmp_path, events={"events": [evil]}), "events")
    assert "<script>" not in html and "&lt;script&gt;" in html and "A &amp; B" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"link": "javascript:alert(1)"}, "link"),
        ({"kind": "party"}, "kind"),
        ({"demo": "../secrets.ipynb"}, "demo"),
        ({"date": "someday"}, "date"),
        ({"title": "two\nlines"}, "title"),
        ({"extra_field": 1}, "extra_field"),
    ],
)
def test_invalid_event_stops_the_build_naming_the_file(tmp_path, change, message):
    root = root_with(tmp_path, events={"events": [{**EVENT, **change}]})
    with pytest.raises(blocks.BlockError, match=rf"events\.yml(.|\n)*{message}"):
        fill(root, "events")


def test_contributions_beyond_commits_render_escaped_with_their_link(tmp_path, monkeypatch):
    entry = {
        "name": "Bob <b>",
        "kind": "review",
        "what": "Reviewed fapilog-sqlite",
        "link": "https://example.org/r/1",
        "date": "2026-05-05",
        "github": "bob",
    }
    root = root_with(tmp_path, contributors={"contributions": [entry]})
    html = fill(root, "contributors")
    assert (
        "Bob &lt;b&gt;" in html and 'href="https://example.org/r/1"' in html and 'href="https://github.com/bob"' in html
    )
    # tmp_path is no git repository: the page explains instead of showing an empty table
    assert "could not read" in html


def test_no_contributions_beyond_commits_says_so(tmp_path):
    assert "No contributions outside the repository are recorded yet" in fill(root_with(tmp_path), "contributors")


def test_office_hours_that_ended_are_hidden_and_empty_states_are_honest(tmp_path):
    ended = {
        "title": "Spring office hours",
        "hosts": ["Ada"],
        "schedule": "Tuesdays 16:00 UTC",
        "link": "https://example.org/oh",
        "until": "2026-05-01",
    }
    html = fill(root_with(tmp_path, support={"office_hours": [ended], "mentors": []}), "support")
    assert "Spring office hours" not in html
    assert "No office hours are scheduled" in html and "No one is signed up as a mentor yet" in html
    running = {**ended, "title": "Summer office hours", "until": "2026-09-01"}
    html = fill(root_with(tmp_path / "again", support={"office_hours": [running], "mentors": []}), "support")
    assert "Summer office hours" in html and "Tuesdays 16:00 UTC" in html


def test_chat_link_comes_from_mkdocs_extra_and_must_be_http(tmp_path):
    root = root_with(tmp_path)
    chat = {"community": {"chat": {"name": "Room", "url": "https://chat.example.org/room", "note": "say hi"}}}
    assert 'href="https://chat.example.org/room"' in fill(root, "chat", extra=chat)
    assert "no chat room yet" in fill(root, "chat", extra={})
    with pytest.raises(blocks.BlockError, match="http"):
        fill(root, "chat", extra={"community": {"chat": {"name": "x", "url": "javascript:alert(1)"}}})


def test_quality_gates_come_from_the_workflow_and_the_required_list(tmp_path):
    root = root_with(tmp_path, required_checks={"workflow": "ci.yml", "required": ["tests"]})
    workflow = {
        "name": "CI",
        "on": "push",
        "jobs": {
            "tests": {
                "name": "Tests on ${{ matrix.os }}",
                "runs-on": "${{ matrix.os }}",
                "strategy": {"matrix": {"os": ["ubuntu-latest", "windows-latest"]}},
                "steps": [{"run": "nox -s test"}],
            },
            "extra": {"runs-on": "ubuntu-latest", "steps": [{"run": "nox -s docs-lint\nnox -s lint"}]},
        },
    }
    (root / "ci.yml").write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    html = fill(root, "quality-gates")
    tests_row, extra_row = html.split("<tbody>")[1].split("<code>extra</code>")
    assert "Tests on &lt;os&gt;" in tests_row and "<td>required</td>" in tests_row and "2 runners" in tests_row
    assert "<td>advisory</td>" in extra_row and "nox -s docs-lint" in extra_row and "nox -s lint" in extra_row

    policy = {"workflow": "ci.yml", "required": ["tests", "no-such-job"]}
    (root / "data" / "required-checks.yml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    with pytest.raises(blocks.BlockError, match="no-such-job"):
        fill(root, "quality-gates")


def test_an_unknown_block_name_stops_the_build(tmp_path):
    with pytest.raises(blocks.BlockError, match="no block named 'nope'"):
        fill(root_with(tmp_path), "nope")
