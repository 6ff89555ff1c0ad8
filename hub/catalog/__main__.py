"""Catalog chores outside the site build.

python -m hub.catalog check [DIR] validate every registry file; print every problem (CI)
python -m hub.catalog refresh    read the latest releases from PyPI into registry/releases.json
python -m hub.catalog schema     rewrite registry/schema/catalog.schema.json from the model
"""

from __future__ import annotations

import sys
from pathlib import Path

from hub.catalog import registry, releases, site


def check(directory: str | None = None) -> int:
    found = registry.load(Path(directory) if directory else None)
    for problem in found.problems:
        print(problem)
    count = len(found.entries)
    if found.problems:
        print(f"{len(found.problems)} problem(s) in the registry", file=sys.stderr)
        return 1
    print(f"registry OK: {count} entr{'y' if count == 1 else 'ies'}")
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
    site.write_catalog_schema()
    print(f"wrote {site.CATALOG_SCHEMA_FILE.relative_to(site.ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    commands = {"check": check, "refresh": refresh, "schema": schema}
    if not argv or argv[0] not in commands or (len(argv) > 1 and argv[0] != "check") or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
