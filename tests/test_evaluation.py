"""python -m hub.evaluation (hub/evaluation/__main__.py): --only accepts plugin ids and
packages, and names the choices."""

from __future__ import annotations

import os

import pytest

# The evaluation sandbox kills process groups and sets resource limits: POSIX only (the
# runner refuses Windows with a message; docs/catalog/quality.md says so).
if os.name == "nt":
    pytest.skip("the evaluation runner needs POSIX (Linux or macOS)", allow_module_level=True)


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
