"""Every `FAPILOG_*` environment variable written anywhere on the site is one fapilog reads.

One job. Pages, notebook cells (Markdown and code) and example programs are searched as
text, so a variable in prose, a table, a shell block or a Python string is checked alike.
A name followed by `*`, `<` or `{` (`FAPILOG_HTTP__*`, `FAPILOG_SINK_CONFIG__<SINK>__<KEY>`)
names a family and only has to lead to one. What fapilog reads: hub.checks.fapilog_model.
"""

from __future__ import annotations

import re

from hub.checks import fapilog_model
from hub.checks.markdown import Problem
from hub.checks.sources import Site

RULE = "fapilog-env"
NAME = re.compile(r"(?<![A-Za-z0-9_])FAPILOG_[A-Z0-9_]*(?P<family>[*<{])?")
# Variables that the hub's own fapilog-hub command reads (packages/fapilog-hub-cli), not
# fapilog; its tests check that the command still reads each of them.
OTHER_READERS = {"FAPILOG_HUB_CACHE": "fapilog-hub (packages/fapilog-hub-cli)"}


def check(site: Site) -> list[Problem]:
    problems = []
    for where, line in site.texts:
        for match in NAME.finditer(line):
            name = match.group(0).rstrip("*<{")
            if name in OTHER_READERS:
                continue
            family = bool(match["family"]) or name == "FAPILOG_"
            for message in fapilog_model.check_env_var(name, prefix_only=family):
                problems.append(where.problem(RULE, message))
    return problems
