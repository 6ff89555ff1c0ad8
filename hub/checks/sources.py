"""What the artefact checks read: every place on the site a reader can copy from.

One job: find the fenced blocks, inline code spans and prose lines of Markdown pages and
notebook Markdown cells, the code cells of notebooks and the example programs, each with
where it is (`Where`: file, line, and for a notebook the cell as nbval numbers it plus the
cell's first line). The checks in this package only look at what this module hands them.

Markdown is parsed by markdown-it-py (CommonMark), on the page as MkDocs reads it
(`hub.checks.markdown.mkdocs_view`: admonition, tab and details bodies dedented, line numbers
kept). A fence opens as in pymdownx.superfences: three or more backticks or tildes. One
difference: CommonMark also closes a fence with a longer one, superfences only with the
same fence; hub.checks.fences reports such a fence. Tables are parsed too, so a setting
written in a table cell is read like one in a paragraph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from hub.checks.markdown import ROOT_PAGES, Problem, front_matter_span, mkdocs_view
from hub.notebooks import first_line

NOTEBOOK_DIRS = ("tutorials", "notebooks")
# Markdown read by people who copy from it: site pages, the root community files, and
# the READMEs of the project's plugin packages and companion packages.
MARKDOWN_GLOBS = ("docs/**/*.md", "examples/**/*.md", "packages/*/README.md")
PYTHON_GLOBS = ("examples/**/*.py", "packages/*/examples/**/*.py")
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".nox", "site"}
PYTHON_LANGS = {"python", "py", "python3"}
SHELL_LANGS = {"bash", "sh", "shell", "console", "zsh", "shell-session"}


@dataclass(frozen=True)
class Where:
    """A line of a file, or a line of a notebook cell."""

    path: str  # relative to the repository root, posix
    line: int  # 1-based: in the file, or in the cell's source for a notebook
    cell: str = ""  # e.g. 'Cell 3 ("await log.info(...)")' for a notebook

    def problem(self, rule: str, message: str) -> Problem:
        return Problem(self.path, self.line, rule, message, self.cell)

    def at(self, offset: int) -> Where:
        """The line `offset` lines further down in the same file or cell."""
        return Where(self.path, self.line + offset, self.cell)


@dataclass(frozen=True)
class Fence:
    where: Where  # the opening fence line
    lang: str  # lower-case first word of the info string, braces and dots removed
    info: str
    markup: str  # the fence characters, e.g. "```" or "~~~~"
    body: str
    closing: str = ""  # the closing line as written ("" when the page ends first)

    @property
    def body_where(self) -> Where:
        return self.where.at(1)  # the first line of the body


@dataclass(frozen=True)
class Inline:
    where: Where
    code: str


@dataclass(frozen=True)
class Prose:
    where: Where
    text: str


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown page, or one Markdown cell of a notebook."""

    path: str
    text: str
    start: Where  # where the text's first line is
    fences: tuple[Fence, ...]
    inline: tuple[Inline, ...]
    prose: tuple[Prose, ...]  # every line outside fences (inline code included)


@dataclass(frozen=True)
class PythonSource:
    """Python a reader runs: an example program, a notebook code cell or a Markdown block."""

    start: Where  # where the source's first line is
    source: str
    notebook: bool = False  # top-level await and IPython magics allowed


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def fence_lang(info: str) -> str:
    word = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    return word.strip("{}").lstrip(".").lower()


def parse_markdown(path: str, text: str, start: Where | None = None) -> MarkdownDoc:
    start = start or Where(path, 1)
    # Front matter is YAML, not Markdown: blanked (lines kept) so `---` is no heading rule.
    span = front_matter_span(text)
    lines = text.splitlines()
    view = mkdocs_view("\n".join([""] * span + lines[span:])).splitlines()
    tokens = parser().parse("\n".join(view) + "\n")
    fences: list[Fence] = []
    inline: list[Inline] = []
    fenced_lines: set[int] = set()
    for token in tokens:
        if token.type == "fence" and token.map:
            first, end = token.map
            fenced_lines.update(range(first, end))
            last = view[end - 1].strip() if end - 1 > first and end - 1 < len(view) else ""
            closing = last if last.startswith(token.markup[0] * 3) else ""
            fences.append(
                Fence(start.at(first), fence_lang(token.info), token.info, token.markup, token.content, closing)
            )
        elif token.type == "code_block" and token.map:
            fenced_lines.update(range(*token.map))
        elif token.type == "inline" and token.map:
            offset = token.map[0]
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type == "code_inline":
                    inline.append(Inline(start.at(offset), child.content))
                elif child.type in ("text", "html_inline"):
                    offset += child.content.count("\n")
    prose = tuple(
        Prose(start.at(n), line) for n, line in enumerate(text.splitlines()) if n not in fenced_lines and line.strip()
    )
    return MarkdownDoc(path, text, start, tuple(fences), tuple(inline), prose)


# ---------------------------------------------------------------- notebooks


def cell_labels(cells: list[dict]) -> list[str]:
    """How each cell is named in messages: code cells as nbval names them ("Cell N",
    counting code cells only, from 0), Markdown cells by the code cell they follow.
    Each label carries the cell's first line, so it can be found in Jupyter.
    """
    labels = []
    code = 0
    run = 0  # Markdown cells since the last code cell
    for cell in cells:
        source = cell_source(cell)
        shown = f' ("{first_line(source)}")' if source.strip() else ""
        if cell.get("cell_type") == "code":
            labels.append(f"Cell {code}{shown}")
            code += 1
            run = 0
        else:
            run += 1
            nth = "" if run == 1 else f"{ordinal(run)} "
            anchor = f"after Cell {code - 1}" if code else "before Cell 0"
            labels.append(f"{nth}Markdown cell {anchor}{shown}")
    return labels


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_cells(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError):
        return []  # hub.docs_lint's notebook-title check reports an unreadable notebook


# ---------------------------------------------------------------- the repository


def relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def skipped(path: Path) -> bool:
    return bool(SKIP_PARTS & set(path.parts))


def markdown_paths(root: Path) -> list[Path]:
    found = [root / name for name in ROOT_PAGES if (root / name).is_file()]
    for pattern in MARKDOWN_GLOBS:
        found += [p for p in sorted(root.glob(pattern)) if p.is_file() and not skipped(p.relative_to(root))]
    return list(dict.fromkeys(found))


def notebook_paths(root: Path) -> list[Path]:
    found = []
    for folder in NOTEBOOK_DIRS:
        found += [p for p in sorted((root / folder).rglob("*.ipynb")) if not skipped(p.relative_to(root))]
    return found


def python_paths(root: Path) -> list[Path]:
    found = []
    for pattern in PYTHON_GLOBS:
        found += [p for p in sorted(root.glob(pattern)) if p.is_file() and not skipped(p.relative_to(root))]
    return found


@dataclass
class Site:
    """Everything the checks read, parsed once."""

    root: Path
    markdown: list[MarkdownDoc]  # pages and notebook Markdown cells
    python: list[PythonSource]  # example programs and notebook code cells (not Markdown blocks)
    texts: list[tuple[Where, str]]  # every line of every file above, for name searches
    only: frozenset[str] | None = None  # the files checked, when not all (read_site's `only`)

    def checks(self, rel: str) -> bool:
        """Whether the file at rel (relative to root) is one this run checks."""
        return self.only is None or rel in self.only


def notebook_docs(root: Path, path: Path) -> Iterator[MarkdownDoc | PythonSource]:
    rel = relative(path, root)
    cells = read_cells(path)
    for cell, label in zip(cells, cell_labels(cells), strict=True):
        source = cell_source(cell)
        where = Where(rel, 1, label)
        if cell.get("cell_type") == "markdown":
            yield parse_markdown(rel, source, where)
        elif cell.get("cell_type") == "code":
            yield PythonSource(where, source, notebook=True)


def read_site(root: Path, only: Collection[str] | None = None) -> Site:
    """Every source under root, or only the files named in `only` (paths relative to root).

    What the checks resolve names against (the registry, pyproject.toml, the pages a link
    points to) is read from root either way; `only` narrows what is checked, not what is
    known, so a check of one file reports what a check of the whole site reports for it.
    """
    only = None if only is None else frozenset(only)
    wanted = (lambda rel: True) if only is None else only.__contains__
    markdown: list[MarkdownDoc] = []
    python: list[PythonSource] = []
    texts: list[tuple[Where, str]] = []
    for path in markdown_paths(root):
        rel = relative(path, root)
        if wanted(rel):
            markdown.append(parse_markdown(rel, path.read_text(encoding="utf-8")))
    for path in notebook_paths(root):
        if wanted(relative(path, root)):
            for doc in notebook_docs(root, path):
                (markdown if isinstance(doc, MarkdownDoc) else python).append(doc)
    for path in python_paths(root):
        rel = relative(path, root)
        if wanted(rel):
            python.append(PythonSource(Where(rel, 1), path.read_text(encoding="utf-8")))
    for doc in markdown:
        texts += [(doc.start.at(n), line) for n, line in enumerate(doc.text.splitlines())]
    for source in python:
        texts += [(source.start.at(n), line) for n, line in enumerate(source.source.splitlines())]
    return Site(root, markdown, python, texts, only)


def python_blocks(doc: MarkdownDoc) -> list[Fence]:
    return [fence for fence in doc.fences if fence.lang in PYTHON_LANGS]


INCLUDE = re.compile(r'^\s*-{2}8<-{2}\s+"(?P<path>[^"]+)"\s*$')


def included_files(body: str) -> list[str] | None:
    """The files a block includes with `--8<-- "path"`, or None if it holds its own text."""
    lines = [line for line in body.splitlines() if line.strip()]
    matches = [INCLUDE.match(line) for line in lines]
    if lines and all(matches):
        return [m["path"] for m in matches if m]
    return None


def all_python(site: Site) -> Iterator[PythonSource]:
    """Example programs, notebook code cells and the Python blocks of Markdown pages and cells."""
    yield from site.python
    for doc in site.markdown:
        for fence in python_blocks(doc):
            if included_files(fence.body) is None:
                yield PythonSource(fence.body_where, fence.body, notebook=bool(fence.where.cell))


MAGIC = re.compile(r"^(\s*)[!%]")


def parse_python(source: PythonSource):
    """The source's AST (IPython magics blanked, top-level await allowed), or None."""
    import ast

    text = source.source
    if source.notebook:
        text = "\n".join("" if MAGIC.match(line) else line for line in text.splitlines())
    try:
        return compile(text, source.start.path, "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError:
        return None  # running the code reports it
