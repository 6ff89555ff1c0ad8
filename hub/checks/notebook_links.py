"""Links in notebooks' Markdown cells lead somewhere, on the site and wherever the notebook opens.

One job. The strict build checks the links of Markdown pages; it cannot check a
notebook's: mkdocs-jupyter renders Markdown cells through nbconvert, which neither
validates nor rewrites links, so a relative `../guides/x.md` is published as written and
breaks on the site (and in Colab and Binder, where the notebook opens on its own).
So a link in a notebook is one of:

- an address on the site, in full (`https://fapilog.github.io/fapilog-hub/guides/x/#anchor`,
  site_url from mkdocs.yml): the page must exist (a page of docs/, a notebook, or a
  catalog page the build generates) and so must the anchor;
- `#anchor` within the notebook: a heading of the notebook must have that id;
- any other http(s) address (outside the site; not fetched here).

A relative link is reported with the full address to write instead. Anchors are the ids
the build gives headings: Python-Markdown's toc slugify for pages (or an explicit
`{#id}`; included files and hub blocks' templates counted), mkdocs-jupyter's for
notebooks, and mkdocstrings' object ids (`fapilog.core.settings.Settings.core`) under a
`::: identifier`. (Compared with a strict build on 2026-12-01: every id computed here
was on its built page.)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from hub.checks.markdown import Problem, front_matter_span, mkdocs_view
from hub.checks.sources import MarkdownDoc, Site, cell_source, notebook_paths, parser, read_cells

RULE = "notebook-link"
SITE_URL = re.compile(r'^site_url:\s*(?:!ENV\s*\[\s*\w+\s*,\s*)?"?(?P<url>[^"\]\s]+)"?', re.MULTILINE)
EXPLICIT_ID = re.compile(r"\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
GENERATED = {"catalog/", "catalog/metrics/"}  # made by hub.catalog and hub.metrics


def site_url(root: Path) -> str:
    match = (
        SITE_URL.search((root / "mkdocs.yml").read_text(encoding="utf-8")) if (root / "mkdocs.yml").is_file() else None
    )
    url = match["url"] if match else "https://fapilog.github.io/fapilog-hub/"
    return url if url.endswith("/") else url + "/"


def heading_texts(text: str) -> Iterator[str]:
    span = front_matter_span(text)  # YAML, not Markdown: its closing `---` is no heading rule
    tokens = parser().parse(mkdocs_view("\n" * span + "\n".join(text.splitlines()[span:])))
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            yield "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


HUB_MARKER = re.compile(r"^<!-- hub:(?P<name>[a-z-]+) -->$", re.MULTILINE)
TEMPLATE_ID = re.compile(r'<h[1-6][^>]*\bid="(?P<id>[\w-]+)"')
AUTODOC = re.compile(r"^\s*:::\s+(?P<id>[\w.]+)", re.MULTILINE)


def page_anchors(text: str, root: Path) -> tuple[set[str], tuple[str, ...]]:
    """The heading ids of a page, and the prefixes of ids mkdocstrings generates.

    Included Markdown files (`--8<--`) are read as part of the page, and a
    `<!-- hub:NAME -->` block adds the ids its template (hub/templates/NAME.html.j2) gives.
    """
    from markdown.extensions.toc import slugify

    from hub.checks.markdown import expand_snippets

    expanded, _ = expand_snippets(text, root)
    anchors = set()
    for heading in heading_texts(expanded):
        explicit = EXPLICIT_ID.search(heading)
        anchors.add(explicit["id"] if explicit else slugify(heading, "-"))
    for marker in HUB_MARKER.finditer(text):
        template = root / "hub" / "templates" / f"{marker['name']}.html.j2"
        if template.is_file():
            anchors |= set(TEMPLATE_ID.findall(template.read_text(encoding="utf-8")))
    return anchors, tuple(AUTODOC.findall(text))


def notebook_anchors(path: Path) -> set[str]:
    from mkdocs_jupyter.utils import slugify
    from nbconvert.filters.strings import _convert_header_id

    anchors = set()
    for cell in read_cells(path):
        if cell.get("cell_type") == "markdown":
            anchors |= {_convert_header_id(slugify(h)) for h in heading_texts(cell_source(cell))}
    return anchors


@lru_cache(maxsize=4)
def site_pages(root: Path) -> dict[str, Path | None]:
    """Site path ("guides/x/") -> the source file (None for a generated page)."""
    pages: dict[str, Path | None] = {}
    docs = root / "docs"
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        url = rel[: -len("index.md")] if rel.endswith("index.md") else rel[: -len(".md")] + "/"
        pages[url] = path
    for path in notebook_paths(root):
        pages[path.relative_to(root).as_posix()[: -len(".ipynb")] + "/"] = path
    for url in GENERATED:
        pages[url] = None
    for entry in sorted((root / "registry" / "plugins").glob("*.yml")):
        for plugin in (yaml.safe_load(entry.read_text(encoding="utf-8")) or {}).get("plugins", []):
            pages[f"catalog/{plugin.get('type')}/{plugin.get('name')}/"] = None
    for kind, name in builtin_metadata():
        pages[f"catalog/{kind}/{name}/"] = None
    return pages


METADATA = re.compile(r"PLUGIN_METADATA\s*=\s*\{(?P<body>.*?)\n\}", re.DOTALL)
FIELD = r'"{}"\s*:\s*"(?P<value>[^"]+)"'


@lru_cache(maxsize=1)
def builtin_metadata() -> frozenset[tuple[str, str]]:
    """(type, name) of each built-in plugin page: fapilog modules with PLUGIN_METADATA, as
    the catalog finds them (hub/catalog/probe.py), read here without importing them."""
    import fapilog

    found = set()
    package = Path(fapilog.__file__).parent
    for path in package.rglob("*.py"):
        if "tests" in path.relative_to(package).parts:
            continue
        for block in METADATA.finditer(path.read_text(encoding="utf-8")):
            name = re.search(FIELD.format("name"), block["body"])
            kind = re.search(FIELD.format("plugin_type"), block["body"])
            if name and kind:
                found.add((kind["value"], name["value"]))
    return frozenset(found)


def has_anchor(path: Path, anchor: str, root: Path) -> bool:
    if path.suffix == ".ipynb":
        return anchor in notebook_anchors(path)
    anchors, autodoc = page_anchors(path.read_text(encoding="utf-8"), root)
    return anchor in anchors or any(anchor == p or anchor.startswith((p + ".", p + "--")) for p in autodoc)


def links(doc: MarkdownDoc) -> Iterator[tuple[int, str]]:
    """(line within the cell, href) for each link and image of a Markdown cell."""
    tokens = parser().parse(mkdocs_view(doc.text))
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        offset = token.map[0]
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type in ("link_open", "image"):
                href = child.attrGet("href") or child.attrGet("src")
                if href:
                    yield offset, str(href)


def check_link(href: str, notebook: Path, root: Path, base: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        if not href.startswith(base):
            return None
        path = parts.path[len(urlsplit(base).path) :]
        path = path if path.endswith("/") or not path else path + "/"
        pages = site_pages(root)
        if path not in pages:
            return f"{href}: the site has no page {path or '(home)'}"
        source = pages[path]
        if parts.fragment and source is not None and not has_anchor(source, parts.fragment, root):
            return f"{href}: {source.relative_to(root).as_posix()} has no heading with id #{parts.fragment}"
        return None
    if parts.scheme or href.startswith("mailto:"):
        return None
    if not parts.path:  # "#anchor" within this notebook
        if parts.fragment not in notebook_anchors(notebook):
            return f"#{parts.fragment}: this notebook has no heading with id #{parts.fragment}"
        return None
    return f"{href}: a relative link {relative_fix(href, notebook, root, base)}"


def relative_fix(href: str, notebook: Path, root: Path, base: str) -> str:
    """Why a relative link fails, with the full address to write when there is one."""
    parts = urlsplit(href)
    here = notebook.relative_to(root).parent.as_posix()
    target = posixpath.normpath(posixpath.join(here, parts.path))  # as a repository path
    candidates = [target.removeprefix("docs/"), posixpath.normpath(posixpath.join(here, "..", parts.path))]
    for candidate in candidates:
        for suffix in (".md", ".ipynb"):
            if candidate.endswith(suffix):
                candidate = candidate[: -len(suffix)]
        url = candidate.removesuffix("/index").removesuffix("index") + "/" if candidate not in ("index", ".") else ""
        if url in site_pages(root):
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            return f"is published as written and breaks on the site, in Colab and Binder; write {base}{url}{fragment}"
    return "is published as written and breaks on the site; link to a page by its full address on the site"


def check(site: Site) -> list[Problem]:
    base = site_url(site.root)
    problems = []
    for doc in site.markdown:
        if not doc.start.cell:
            continue  # Markdown pages: the strict build checks their links
        notebook = site.root / doc.path
        for line, href in links(doc):
            message = check_link(href, notebook, site.root, base)
            if message:
                problems.append(doc.start.at(line).problem(RULE, message))
    return problems
