"""Fences close the way the site's Markdown reads them.

One job. pymdownx.superfences closes a fence only with the same fence (three backticks
with three backticks, four tildes with four tildes); CommonMark, GitHub and the other
checks' parser also close it with a longer one. A block closed by a longer fence is code
on GitHub and plain paragraph text on the site (tried with pymdown-extensions 13.1:
"```python / x=1 / ````" renders as `<p>```python x=1 ````</p>`), so it is reported.
"""

from __future__ import annotations

from hub.checks.markdown import Problem
from hub.checks.sources import Site

RULE = "fence"


def check(site: Site) -> list[Problem]:
    problems = []
    for doc in site.markdown:
        for fence in doc.fences:
            if fence.closing and fence.closing != fence.markup:
                problems.append(
                    fence.where.problem(
                        RULE,
                        f"opened with {fence.markup} but closed with {fence.closing}: superfences closes a fence "
                        "only with the same fence, so the site shows this block as paragraph text, not code",
                    )
                )
    return problems
