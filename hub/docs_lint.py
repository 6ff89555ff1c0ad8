"""The docs linter: what a machine can check about a page, each failure as `file:line: rule message`.

These checks, run over every page and community file, and the artefact checks of
hub.checks (commands, `FAPILOG_*` variables, settings paths and plugin configuration
keys, TOML/YAML/JSON blocks and entry-point groups, Python blocks that prove nothing,
links in notebooks), which also read notebooks and example programs:

- front matter: every page in docs/ starts with YAML front matter holding a non-empty
  `title` and `description` (the page title and the search/social description);
  every notebook opens with a level-1 heading (its page title);
- Markdown lint: pymarkdownlnt with `.pymarkdown.yml` (fenced code needs a language,
  headings go one level at a time, no bare URLs, and the usual CommonMark hygiene);
- spelling: codespell with `.codespellrc`.

pymarkdownlnt reads CommonMark. Pages may include Markdown files (pymdownx.snippets), and
they use Python-Markdown extensions whose
bodies are *indented* (admonitions, collapsible blocks, content tabs, mkdocstrings
options), which CommonMark would read as indented code: the linter would then miss a
fence without a language inside a tab. So the linter reads a *view* of each page, with
Markdown includes expanded and those bodies dedented as MkDocs reads them, and reports
each problem at its line in the page.

Run: `python -m hub.docs_lint` (what `nox -s docs-lint` and tests/test_hub_docs_lint.py run).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from hub import checks
from hub.checks.markdown import (
    FRONT_MATTER,
    ROOT_PAGES,
    Problem,
    expand_snippets,
    front_matter_span,
    mkdocs_view,
)
from hub.project import ROOT

PYMARKDOWN_CONFIG = ".pymarkdown.yml"
CODESPELL_CONFIG = ".codespellrc"
# Community files at the root are rendered on GitHub and included into site pages.
# Text that is prose for readers but not a site page: spelling only.
SPELLING_ONLY = ("tutorials", "notebooks", "templates", ".github", "data")
SPELLING_SUFFIXES = {".md", ".ipynb", ".yml", ".yaml", ".jinja", ".txt", ".py", ".toml"}


# ---------------------------------------------------------------- front matter

REQUIRED_META = ("title", "description")


def check_front_matter(rel: str, text: str) -> list[Problem]:
    match = FRONT_MATTER.match(text)
    if not match:
        return [Problem(rel, 1, "front-matter", "page has no YAML front matter (--- title: ... description: ... ---)")]
    try:
        meta = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
        return [Problem(rel, line, "front-matter", f"front matter is not valid YAML: {exc}")]
    if not isinstance(meta, dict):
        return [Problem(rel, 2, "front-matter", "front matter must be a mapping of keys to values")]
    lines = match["yaml"].splitlines()
    problems = []
    for key in REQUIRED_META:
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            where = next((n for n, line in enumerate(lines, start=2) if line.startswith(f"{key}:")), 1)
            problems.append(Problem(rel, where, "front-matter", f"front matter needs a non-empty '{key}'"))
    return problems


def check_notebook_title(rel: str, text: str) -> list[Problem]:
    try:
        cells = json.loads(text)["cells"]
    except (ValueError, KeyError):
        return [Problem(rel, 1, "notebook-title", "not a readable notebook")]
    first = cells[0] if cells else {}
    source = "".join(first.get("source", [])).lstrip()
    if first.get("cell_type") != "markdown" or not source.startswith("# "):
        return [
            Problem(
                rel,
                1,
                "notebook-title",
                "the first cell must be Markdown opening with a level-1 heading (the page title)",
            )
        ]
    return []


# ---------------------------------------------------------------- Markdown lint


def check_markdown(rel: str, text: str, config: Path, root: Path) -> list[Problem]:
    from pymarkdown.api import PyMarkdownApi  # imported here: a second or so to load its plugins

    skip_until = front_matter_span(text)
    expanded, origin = expand_snippets(text, root)
    result = PyMarkdownApi().configuration_file_path(str(config)).scan_string(mkdocs_view(expanded))
    problems = []
    for failure in result.scan_failures:
        line = origin[failure.line_number - 1] if failure.line_number <= len(origin) else len(origin)
        if line is None:
            continue  # inside an included file: reported when that file is linted
        # Line length is for prose; front matter is YAML metadata (check_front_matter's job).
        if failure.rule_id == "MD013" and line <= skip_until:
            continue
        extra = f" [{failure.extra_error_information}]" if failure.extra_error_information else ""
        problems.append(Problem(rel, line, failure.rule_id, f"{failure.rule_description}{extra}"))
    return problems


# ---------------------------------------------------------------- spelling

CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+)$")


def check_spelling(paths: list[Path], root: Path, config: Path) -> list[Problem]:
    if not paths:
        return []
    result = subprocess.run(
        [sys.executable, "-m", "codespell_lib", "--config", str(config), *(str(p) for p in paths)],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    problems = []
    for line in result.stdout.splitlines():
        match = CODESPELL_LINE.match(line.strip())
        if match:
            problems.append(
                Problem(relative(Path(match["path"]), root), int(match["line"]), "spelling", match["message"])
            )
    if result.returncode not in (0, 65) or (result.returncode == 65 and not problems):
        # 65 means "misspellings found"; anything else is codespell itself failing.
        problems.append(
            Problem(str(config.name), 1, "spelling", f"codespell failed ({result.returncode}): {result.stderr.strip()}")
        )
    return problems


# ---------------------------------------------------------------- the run


def relative(path: Path, root: Path) -> str:
    path = path if path.is_absolute() else root / path
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def site_pages(root: Path) -> list[Path]:
    return sorted((root / "docs").rglob("*.md"))


def root_pages(root: Path) -> list[Path]:
    return [root / name for name in ROOT_PAGES if (root / name).is_file()]


def spelling_files(root: Path) -> list[Path]:
    found = []
    for folder in SPELLING_ONLY:
        for path in sorted((root / folder).rglob("*")):
            text_file = path.is_file() and (path.suffix in SPELLING_SUFFIXES or path.name.endswith(".jinja"))
            if text_file and ".ipynb_checkpoints" not in path.parts:
                found.append(path)
    return found


def lint(root: Path = ROOT) -> list[Problem]:
    """Every problem in the repository at root, sorted by file and line."""
    markdown_config = root / PYMARKDOWN_CONFIG
    problems: list[Problem] = []
    for path in site_pages(root):
        rel = relative(path, root)
        text = path.read_text(encoding="utf-8")
        problems += check_front_matter(rel, text)
        problems += check_markdown(rel, text, markdown_config, root)
    for path in root_pages(root):
        problems += check_markdown(relative(path, root), path.read_text(encoding="utf-8"), markdown_config, root)
    for folder in ("tutorials", "notebooks"):
        for path in sorted((root / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts:
                problems += check_notebook_title(relative(path, root), path.read_text(encoding="utf-8"))
    spelled: Iterable[Path] = [*site_pages(root), *root_pages(root), *spelling_files(root)]
    problems += check_spelling(list(spelled), root, root / CODESPELL_CONFIG)

    problems += checks.run(root)
    return sorted(set(problems))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else ROOT
    problems = lint(root)
    for problem in problems:
        print(problem)
    print(f"docs-lint: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
