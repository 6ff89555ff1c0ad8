"""Tests mirror the code: a reader finds the test of a module from the module's path.

The rule (docs/about/architecture.md, "Checks"): the unit tests of hub/X.py are in
tests/test_hub_X.py, of hub/P/X.py in tests/test_P_X.py, of a package as a whole
(hub/P/__init__.py and hub/P/__main__.py) in tests/test_P.py, with no aspect; a file may
add an aspect after a module (tests/test_catalog_registry_hostile.py still belongs to
hub/catalog/registry.py). Every other tests/test_*.py checks the site as a whole and has a
row in the architecture page's table of checks, as has every browser test in tests/e2e/.
No sub-packages of tests: a tests/hub/ package would shadow the real hub on sys.path.
"""

from __future__ import annotations

import re
from pathlib import Path

from support import ROOT

PAGE = ROOT / "docs" / "about" / "architecture.md"
SECTION = "## Checks"
CODE = re.compile(r"`([^`]+)`")


def module_names(hub: Path) -> dict[str, tuple[str, bool]]:
    """The name each hub module gives its test file (after `test_`), mapped to the module's
    path and whether it is a package as a whole."""
    names = {}
    for path in sorted(hub.rglob("*.py")):
        parts = list(path.relative_to(hub).with_suffix("").parts)
        package = parts[-1] in ("__init__", "__main__")  # the package as a whole, and its command
        if package:
            parts = parts[:-1]
        elif len(parts) == 1:  # hub/X.py
            parts = ["hub", *parts]
        names.setdefault("_".join(parts) or "hub", (path.relative_to(hub.parent).as_posix(), package))
    return names


def module_of(test_file: Path, names: dict[str, tuple[str, bool]]) -> str | None:
    """The module a test file is named after: the longest name that is its whole stem or, for a
    module that is not a package, is followed by `_aspect`; None if it names none."""
    stem = test_file.stem.removeprefix("test_")
    matches = [n for n, (_, package) in names.items() if stem == n or (not package and stem.startswith(n + "_"))]
    return names[max(matches, key=len)][0] if matches else None


def listed(page: Path) -> list[str]:
    """The paths in the first column of the table of checks (the section SECTION of page)."""
    text = page.read_text(encoding="utf-8")
    if SECTION not in text:
        raise AssertionError(f"{page}: no section {SECTION!r}, where the table of checks belongs")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    paths = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith(("|---", "| ---", "| file ")):
            paths.extend(CODE.findall(line.split("|")[1]))
    return paths


def problems(root: Path, page: Path) -> list[str]:
    """Every test file that breaks the rule, and every row of the table that names nothing, with the fix."""
    tests = root / "tests"
    rel_page = page.relative_to(root).as_posix() if page.is_relative_to(root) else str(page)
    names = module_names(root / "hub")
    rows = listed(page)
    found = []
    for test_file in sorted(tests.glob("test_*.py")):
        rel = test_file.relative_to(root).as_posix()
        if module_of(test_file, names) is None and rel not in rows:
            found.append(
                f"{rel}: names no module of hub/ and is not listed in {rel_page}. Fix: if it tests a "
                "module, rename it after the module (git mv): tests/test_hub_X.py for hub/X.py, "
                "tests/test_P_X.py for hub/P/X.py, tests/test_P.py for the package hub/P/ (no aspect), "
                "an aspect may follow a module (tests/test_P_X_aspect.py); if it checks the site as a "
                f"whole, add a row | `{rel}` | what it checks | where it runs | to the table under "
                f"{SECTION!r} in {rel_page}."
            )
    for test_file in sorted((tests / "e2e").glob("test_*.py")):
        rel = test_file.relative_to(root).as_posix()
        if rel not in rows:
            found.append(
                f"{rel}: a browser test not listed in {rel_page}. Fix: add a row "
                f"| `{rel}` | what it checks | where it runs | to the table under {SECTION!r}."
            )
    for path in rows:
        if not (root / path).exists():
            found.append(
                f"{rel_page}: the table under {SECTION!r} lists {path}, which does not exist. Fix: "
                "write the row for the file's new name (renamed?) or remove the row (deleted?)."
            )
    return found


def test_every_test_file_is_named_after_its_module_or_listed_as_a_site_check():
    assert problems(ROOT, PAGE) == []


def test_tests_have_no_sub_packages_that_would_shadow_hub():
    assert not (ROOT / "tests" / "hub").exists(), "tests/hub/ would shadow hub: name the files tests/test_P_X.py"
    packages = [p for p in (ROOT / "tests" / "__init__.py", ROOT / "tests" / "e2e" / "__init__.py") if p.exists()]
    assert packages == [], "tests/ and tests/e2e/ are folders of modules (rootdir-relative imports), not packages"


def test_the_table_lists_the_site_checks_and_the_browser_tests():
    rows = listed(PAGE)
    assert "tests/test_layout.py" in rows and "tests/test_site_build.py" in rows
    assert "tests/e2e/test_site.py" in rows


def test_a_misnamed_file_an_unlisted_browser_test_and_a_stale_row_are_each_named_with_the_fix(tmp_path):
    (tmp_path / "hub" / "catalog").mkdir(parents=True)
    for module in ("__init__.py", "names.py", "catalog/__init__.py", "catalog/registry.py"):
        (tmp_path / "hub" / module).write_text("", encoding="utf-8")
    (tmp_path / "tests" / "e2e").mkdir(parents=True)
    for name in (
        "test_hub_names.py",  # hub/names.py
        "test_catalog_registry_hostile.py",  # hub/catalog/registry.py, an aspect
        "test_catalog.py",  # the package hub/catalog/
        "test_catalog_units.py",  # planted: an aspect after a package names no module
        "test_examples.py",  # a site check, listed
        "test_registry.py",  # planted: hub/registry.py does not exist
        "e2e/test_site.py",  # planted: not listed
    ):
        (tmp_path / "tests" / name).write_text("", encoding="utf-8")
    page = tmp_path / "architecture.md"
    page.write_text(
        "# Architecture\n\n## Checks\n\n| file | checks | runs in |\n|---|---|---|\n"
        "| `tests/test_examples.py` | examples run | `nox -s test` |\n"
        "| `tests/test_gone.py` | renamed since | `nox -s test` |\n\n## Community\n",
        encoding="utf-8",
    )
    found = problems(tmp_path, page)
    assert len(found) == 4, found
    misnamed_package, misnamed, browser, stale = found
    assert misnamed_package.startswith("tests/test_catalog_units.py: names no module of hub/")
    assert misnamed.startswith("tests/test_registry.py: names no module of hub/")
    assert "tests/test_P_X.py for hub/P/X.py" in misnamed and "| `tests/test_registry.py` |" in misnamed
    assert browser.startswith("tests/e2e/test_site.py: a browser test not listed")
    assert "lists tests/test_gone.py, which does not exist" in stale
