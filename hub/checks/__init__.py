"""Checks of what a reader copies or acts on, beyond Python blocks running.

Each module has one job and reads the site through hub.checks.sources (pages, notebook
cells with their nbval numbers, example programs); each problem names file and line, and
for a notebook the cell and its first line. hub.docs_lint runs them all (so `nox -s
docs-lint` and tests/test_hub_docs_lint.py do):

| module | rule | checks |
|---|---|---|
| commands | `command` | pip/uv installs (package, extras, fapilog pin), `nox -s`, `python -m`, `python FILE` |
| env_vars | `fapilog-env` | every `FAPILOG_*` name is one fapilog reads |
| settings_paths | `fapilog-setting` | settings paths and plugin configuration keys in prose, Python and data blocks |
| plugin_names | `fapilog-plugin` | plugins named in `core.sinks`, `core.redactors`, ... exist |
| data_blocks | `data-block`, `entry-point-group` | TOML/YAML/JSON parse, pyproject fragments, entry-point groups |
| fences | `fence` | a fence is closed by the same fence, as superfences needs |
| python_blocks | `python-block` | Python blocks are included from tested files or prove their point |
| notebook_links | `notebook-link` | links in notebook Markdown cells resolve on the site |
| docstrings | `docstring-example` | `>>>` examples of fapilog docstrings the API reference publishes |

hub.checks.fapilog_model is what they know about fapilog, read from the installed package.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from hub.checks.markdown import Problem


def run(root: Path, only: Collection[str] | None = None) -> list[Problem]:
    """Every problem on the site under root, or in the files `only` names (relative paths)."""
    from hub.checks import (
        commands,
        data_blocks,
        docstrings,
        env_vars,
        fences,
        notebook_links,
        plugin_names,
        python_blocks,
        settings_paths,
        sources,
    )

    site = sources.read_site(root, only)
    problems: list[Problem] = []
    checks = (
        commands,
        env_vars,
        settings_paths,
        plugin_names,
        data_blocks,
        fences,
        python_blocks,
        notebook_links,
        docstrings,
    )
    for check in checks:
        problems += check.check(site)
    return problems
