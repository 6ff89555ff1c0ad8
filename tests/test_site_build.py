"""The strict site build succeeds with zero warnings and contains every kind of page."""

from __future__ import annotations

import json

from hub.notebooks import find_notebooks
from support import ROOT, Build


def test_strict_build_succeeds_with_zero_warnings(built_site: Build):
    assert built_site.returncode == 0, built_site.log
    warnings = [line for line in built_site.log.splitlines() if line.startswith("WARNING")]
    assert warnings == [], "\n".join(warnings)


def test_every_notebook_is_rendered_with_its_download(built_site: Build):
    notebooks = find_notebooks()
    assert notebooks, "no notebooks found in tutorials/ or notebooks/"
    for path in notebooks:
        rel = path.relative_to(ROOT).with_suffix("")
        page = built_site.site_dir / rel / "index.html"
        assert page.is_file(), f"{path.name} was not rendered to {page}"
        copy = built_site.site_dir / rel / path.name
        assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(path.read_text(encoding="utf-8"))
        assert f'href="{path.name}" download' in page.read_text(encoding="utf-8")


def test_api_reference_renders_fapilog_objects(built_site: Build):
    html = (built_site.site_dir / "reference" / "entry-points" / "index.html").read_text(encoding="utf-8")
    for anchor in (
        "fapilog.get_logger",
        "fapilog.runtime_async",
        "fapilog.core.logger.SyncLoggerFacade.stop_and_drain",
    ):
        assert f'id="{anchor}"' in html, anchor


def test_pinned_version_is_printed_not_the_placeholder(built_site: Build):
    from hub.project import pinned_fapilog_version

    for page in built_site.site_dir.rglob("*.html"):
        assert "{{ fapilog_version }}" not in page.read_text(encoding="utf-8"), page
    home = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    assert f"fapilog <strong>{pinned_fapilog_version()}</strong>" in home
