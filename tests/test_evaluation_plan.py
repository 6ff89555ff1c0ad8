"""hub/evaluation/plan.py: the registry's exemptions and the catalog's evaluation targets."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)


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
