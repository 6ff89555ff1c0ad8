"""The adopters file: empty until someone publishes evidence; every entry must link it."""

from __future__ import annotations

import pytest

from hub.metrics import adopters


def test_the_committed_file_is_valid_and_lists_no_invented_adopters():
    assert adopters.load().adopters == []


def test_an_entry_with_evidence_loads(tmp_path):
    path = tmp_path / "adopters.yml"
    path.write_text(
        "as_of: 2026-11-26\nadopters:\n  - name: Example Corp\n    evidence: https://example.com/blog/fapilog\n"
        "    evidence_kind: blog-post\n    date_added: 2026-11-26\n"
    )
    [entry] = adopters.load(path).adopters
    assert (entry.name, entry.evidence) == ("Example Corp", "https://example.com/blog/fapilog")


@pytest.mark.parametrize(
    "entry",
    [
        "  - name: No Evidence Inc\n    evidence_kind: other\n    date_added: 2026-11-26\n",
        "  - name: Script Ltd\n    evidence: javascript:alert(1)\n"
        "    evidence_kind: other\n    date_added: 2026-11-26\n",
    ],
    ids=["no evidence", "evidence not http(s)"],
)
def test_an_entry_without_public_evidence_is_refused(tmp_path, entry):
    path = tmp_path / "adopters.yml"
    path.write_text("as_of: 2026-11-26\nadopters:\n" + entry)
    with pytest.raises(adopters.AdoptersInvalid, match="evidence"):
        adopters.load(path)
