"""How the checks read a page as MkDocs does, and the problem every check reports.

Shared by the docs linter (hub/docs_lint.py) and the artefact checks of this package:
its front matter, its Markdown includes expanded, and a view in which indented bodies
(admonitions, tabs, mkdocstrings options) read as MkDocs reads them, line for line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Pages at the repository root that the site includes (the community section's snippets).
ROOT_PAGES = ("README.md", "CONTRIBUTING.md", "GOVERNANCE.md", "CODE_OF_CONDUCT.md", "SECURITY.md")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str
    cell: str = ""  # in a notebook: the cell as nbval numbers it, with its first line

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}: {self.cell}, line {self.line}: {self.rule} {self.message}"
        return f"{self.path}:{self.line}: {self.rule} {self.message}"


FRONT_MATTER = re.compile(r"\A---\r?\n(?P<yaml>.*?)\r?\n---\r?\n", re.DOTALL)


def front_matter_span(text: str) -> int:
    """Number of lines the front matter block occupies (0 when there is none)."""
    match = FRONT_MATTER.match(text)
    return match.group(0).count("\n") if match else 0


# Python-Markdown block openers whose body is indented by four spaces.
INDENTED_BODY = re.compile(r"^(?P<indent> *)(?:!!!|\?\?\?\+?|===\+?)\s+\S")
# mkdocstrings `::: identifier` with an indented YAML `options:` block below it.
AUTODOC = re.compile(r"^(?P<indent> *):::\s+\S")


def mkdocs_view(text: str) -> str:
    """The page as CommonMark would need to see it to read it like MkDocs, line for line.

    Admonition, details and tab bodies are dedented; mkdocstrings option blocks join the
    paragraph of their `:::` line. Line numbers are kept, so a failure found in the view
    points at the right line of the page.
    """
    lines = text.splitlines()
    changed = True
    while changed:  # nested blocks: each pass unwraps one level
        changed = False
        index = 0
        while index < len(lines):
            opener = INDENTED_BODY.match(lines[index]) or AUTODOC.match(lines[index])
            if not opener:
                index += 1
                continue
            indent = len(opener["indent"])
            autodoc = opener.re is AUTODOC
            # The opener stays as paragraph text; mark it so the next pass skips it.
            lines[index] = " " * indent + "\u2060" + lines[index].lstrip(" ")
            changed = True
            body = index + 1
            while body < len(lines) and (
                not lines[body].strip() or len(lines[body]) - len(lines[body].lstrip(" ")) >= indent + 4
            ):
                body += 1
            while body > index + 1 and not lines[body - 1].strip():
                body -= 1  # trailing blank lines belong to what follows
            for n in range(index + 1, body):
                # mkdocstrings options become lines of the opener's paragraph; other bodies
                # are dedented into the Markdown they are.
                lines[n] = (
                    lines[n].strip() if autodoc else lines[n][4:] if lines[n].startswith(" " * (indent + 4)) else ""
                )
            index = body
    return "\n".join(lines) + "\n"


# A page that includes a Markdown file (pymdownx.snippets), as the community pages include
# CONTRIBUTING.md and its siblings: the include line stands alone outside code.
MARKDOWN_SNIPPET = re.compile(r'^-{2}8<-{2}\s+"(?P<path>[^"]+\.md)"\s*$')


def expand_snippets(text: str, root: Path) -> tuple[str, list[int | None]]:
    """The page with Markdown includes expanded, and for each line its line in the page.

    Included lines map to None: the included file is linted on its own, so only problems
    that belong to the page itself (its front matter, its own lines, its structure around
    the include) are reported here.
    """
    lines: list[str] = []
    origin: list[int | None] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKDOWN_SNIPPET.match(line)
        included = root / match["path"] if match else None
        if included is not None and included.is_file():
            body = included.read_text(encoding="utf-8").splitlines()
            lines += body
            origin += [None] * len(body)
        else:
            lines.append(line)
            origin.append(number)
    return "\n".join(lines) + "\n", origin
