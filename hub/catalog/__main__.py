"""Catalog chores outside the site build.

python -m hub.catalog check [DIR] validate every registry file (builtins.yml too) and review; print every problem (CI)
python -m hub.catalog refresh    read the latest releases from PyPI into registry/releases.json
python -m hub.catalog schema     rewrite registry/schema/*.schema.json from the models
"""

from __future__ import annotations

import sys
from pathlib import Path

from hub.catalog import builtins, published, registry, releases


def check(directory: str | None = None) -> int:
    """Every problem of every registry file and every review file, in one run."""
    # The reviews are checked here too (this command is the contributors' one check), against
    # the plugin ids of the valid entries and of fapilog's built-ins.
    from hub.reviews import publish as reviews_publish
    from hub.reviews import store as reviews_store

    found = registry.load(Path(directory) if directory else None)
    listed, builtin_problems = builtins.check()  # registry/builtins.yml: the built-ins' ids come from it
    known = set(listed.plugins if listed else ()) | {
        f"{p.type}/{p.name}" for e in found.entries.values() for p in e.plugins
    }
    reviews = reviews_store.load(reviews_publish.reviews_dir(), known_plugins=known)
    problems = [*builtin_problems, *found.problems, *reviews.problems]
    for problem in problems:
        print(problem)
    count = len(found.entries)
    if problems:
        print(
            f"{len(builtin_problems) + len(found.problems)} problem(s) in the registry, "
            f"{len(reviews.problems)} in the review files",
            file=sys.stderr,
        )
        return 1
    print(f"registry OK: {count} entr{'y' if count == 1 else 'ies'}, {len(reviews.files)} review file(s)")
    return 0


def refresh() -> int:
    names = ["fapilog", *(entry.package for entry in registry.load_valid().values())]
    data = releases.refresh(names)
    for name, record in sorted(data.packages.items()):
        print(
            f"{name}: {record.status} {record.version or ''} {record.date or ''} (recorded {record.recorded})".replace(
                "  ", " "
            )
        )
    return 0


def schema() -> int:
    """The published schemas, each generated from its model (the tests fail when one drifts)."""
    from hub.reviews import store as reviews_store

    for write, path in (
        (published.write_catalog_schema, published.CATALOG_SCHEMA_FILE),
        (registry.write_schema, registry.SCHEMA_FILE),
        (reviews_store.write_schema, reviews_store.SCHEMA_FILE),
    ):
        write(path)
        print(f"wrote {path.relative_to(published.ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    commands = {"check": check, "refresh": refresh, "schema": schema}
    if not argv or argv[0] not in commands or (len(argv) > 1 and argv[0] != "check") or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
