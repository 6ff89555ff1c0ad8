"""The community pages in the built site: included files, real contributors, real CI gates, working links."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest
import yaml

from support import ROOT, Build

SITE_URL = "https://fapilog.github.io/fapilog-hub/"
INCLUDED = {
    "community/contributing": "CONTRIBUTING.md",
    "community/governance": "GOVERNANCE.md",
    "community/code-of-conduct": "CODE_OF_CONDUCT.md",
    "community/security": "SECURITY.md",
}
# Files read on GitHub as well as on the site: they link to site pages by full address.
LINKING_FILES = [*INCLUDED.values(), "README.md", "templates/plugin/project/README.md.jinja"]


def page_text(build: Build, path: str) -> str:
    html = (build.site_dir / path / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", article)))


@pytest.mark.parametrize(("page", "source"), INCLUDED.items())
def test_root_community_files_are_rendered_on_the_site(built_site: Build, page: str, source: str):
    title = (ROOT / source).read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    text = page_text(built_site, page)
    assert text.lstrip().startswith(title), text[:200]
    last_heading = re.findall(r"^## (.+)$", (ROOT / source).read_text(encoding="utf-8"), re.M)[-1]
    assert last_heading in text, f"{source} was not included whole"


@pytest.mark.parametrize("source", LINKING_FILES)
def test_full_site_links_in_repository_files_point_at_built_pages(built_site: Build, source: str):
    text = (ROOT / source).read_text(encoding="utf-8")
    links = set(re.findall(re.escape(SITE_URL) + r"([\w./-]*)(?:#([\w-]+))?", text))
    for path, anchor in links:
        page = built_site.site_dir / path / "index.html" if not path.endswith(".html") else built_site.site_dir / path
        assert page.is_file(), f"{source} links to {SITE_URL}{path}, which the site does not have"
        if anchor:
            assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), f"{source}: no #{anchor} on {path}"


def test_contributors_page_lists_every_person_in_the_git_history(built_site: Build):
    log = subprocess.run(["git", "log", "--format=%aN"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    authors = {name for name in log.splitlines() if name and not name.endswith("[bot]")}
    assert authors, "no git history: the page would have nothing to prove"
    text = page_text(built_site, "community/contributors")
    for name in authors:
        assert name in text, f"{name} is in the git history but not on the contributors page"
    commits = len(log.splitlines())
    assert f"in {commits} commit" in text


def test_quality_gates_page_lists_every_ci_job(built_site: Build):
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]
    text = page_text(built_site, "community/quality-gates")
    for job in jobs:
        assert f"{job} :" in text or f"{job}:" in text, f"CI job {job} is missing from the quality gates page"


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml while ignoring its MkDocs-specific tags (!ENV, !!python/name)."""


ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_support_page_shows_the_chat_link_from_mkdocs_yml(built_site: Build):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)  # noqa: S506
    chat = config["extra"]["community"]["chat"]["url"]
    html = (built_site.site_dir / "community" / "support" / "index.html").read_text(encoding="utf-8")
    assert f'href="{chat}"' in html


def test_demo_kit_notebooks_are_linked_from_the_events_page(built_site: Build):
    html = (built_site.site_dir / "community" / "events" / "index.html").read_text(encoding="utf-8")
    for name in ("lightning-demo", "workshop"):
        assert f'href="../../notebooks/{name}/"' in html
        assert (built_site.site_dir / "notebooks" / name / "index.html").is_file()
