"""The fapilog-hub command: arguments, and each command's flow from catalog to report.

Exit codes (the same for every command):

0  done; nothing wrong found
1  findings: ``check`` found an incompatible plugin (or what ``--fail-on`` names);
   ``doctor`` found a configured plugin fapilog would not load; ``install`` refused a
   plugin; ``search``/``info`` found no such plugin
2  usage error (unknown command or option)
3  no usable catalog: not reachable and not cached, or not a valid catalog
4  the environment: fapilog is not installed where a command needs it, the installer
   is missing, or the installer failed
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from typing import Any

from packaging.utils import canonicalize_name

from fapilog_hub_cli import __version__, catalog_source, compatibility, configuration, installed, installer, output
from fapilog_hub_cli.catalog_model import Catalog, CatalogInvalid, Plugin, normalize

OK, FINDINGS, USAGE, NO_CATALOG, ENVIRONMENT = 0, 1, 2, 3, 4
FAIL_ON = ("outdated", "delisted", "archived", "security")


def say(text: str) -> None:
    """A message for the person at the terminal (stderr), wrapped like the reports."""
    print(output.message(text), file=sys.stderr)


class Failure(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------- shared steps


def load_catalog(args: argparse.Namespace) -> catalog_source.Loaded:
    try:
        loaded = catalog_source.load(args.catalog, offline=args.offline)
    except (catalog_source.CatalogUnavailable, CatalogInvalid) as exc:
        raise Failure(f"no catalog: {exc}", NO_CATALOG) from exc
    for note in loaded.notes:
        say(f"warning: {note}")
    age = loaded.age()
    when = f", fetched {loaded.fetched:%Y-%m-%d %H:%M} UTC ({catalog_source.describe_age(age)})" if age else ""
    say(f"catalog: {loaded.source} [{loaded.how}{when}]")
    return loaded


def resolve(catalog: Catalog, text: str) -> list[Plugin]:
    """The plugins `text` names: an id (sink/x), a name or alias, or a package name."""
    wanted = normalize(text)
    by_id = [p for p in catalog.plugins if normalize(p.id) == wanted]
    if by_id:
        return by_id
    by_name = [p for p in catalog.plugins if wanted in {normalize(p.name), *map(normalize, p.aliases)}]
    if len(by_name) > 1:
        ids = ", ".join(p.id for p in by_name)
        raise Failure(f"{text!r} names several plugins ({ids}): give the one you mean as type/name", FINDINGS)
    if by_name:
        return by_name
    by_package = [p for p in catalog.plugins if canonicalize_name(p.package) == canonicalize_name(text)]
    if by_package and by_package[0].origin == "external":
        return by_package
    names = sorted({p.id for p in catalog.plugins} | {p.name for p in catalog.plugins})
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else " Try: fapilog-hub search WORD"
    raise Failure(f"no plugin {text!r} in the catalog.{hint}", FINDINGS)


def entry_json(p: Plugin, loaded: catalog_source.Loaded, fapilog: str | None) -> dict[str, Any]:
    judged = compatibility.judge(p, fapilog)
    security = compatibility.security(p)
    here = installed.distribution_version(p.package) if p.origin == "external" else None
    evaluation = p.evaluation or None
    return {
        "id": p.id,
        "type": p.type,
        "name": p.name,
        "summary": p.summary,
        "origin": p.origin,
        "package": p.package,
        "requirement": p.requirement,
        "extra": p.extra,
        "latest_version": p.latest_version,
        "release": p.release_status,
        "release_state": p.release_state,
        "release_state_reason": p.release_state_reason,
        "quality_tier": p.quality_tier,
        "support": p.support_tier,
        "tags": list(p.tags),
        "compatibility": judged.to_json(),
        "evaluation": {
            k: evaluation.get(k) for k in ("evaluated", "status", "failure", "checks_passed", "checks_total")
        }
        if evaluation
        else None,
        "security": security.to_json() if security else None,
        "problems": list(p.problems),
        "here": {"fapilog": fapilog, "installed": here},
        "page_url": (loaded.site_url + p.page) if loaded.site_url else None,
    }


# ---------------------------------------------------------------------- commands


def cmd_search(args: argparse.Namespace) -> int:
    loaded = load_catalog(args)
    words = [normalize(w) for w in args.text.split()]
    fapilog = installed.fapilog_version()
    results = []
    for p in loaded.catalog.plugins:
        if args.type and p.type != args.type:
            continue
        haystack = normalize(" ".join([p.id, p.package, p.summary, *p.aliases, *p.tags]))
        if all(w in haystack for w in words):
            results.append(entry_json(p, loaded, fapilog))
    print(output.dump_json(results) if args.json else output.search(results, args.text))
    return OK if results else FINDINGS


def cmd_info(args: argparse.Namespace) -> int:
    loaded = load_catalog(args)
    fapilog = installed.fapilog_version()
    found = [entry_json(p, loaded, fapilog) for p in resolve(loaded.catalog, args.plugin)]
    print(
        output.dump_json(found if len(found) > 1 else found[0]) if args.json else "\n\n".join(map(output.info, found))
    )
    return OK


def cmd_install(args: argparse.Namespace) -> int:
    loaded = load_catalog(args)
    fapilog = installed.fapilog_version()
    chosen: list[Plugin] = []
    for text in args.plugins:
        chosen += [p for p in resolve(loaded.catalog, text) if p not in chosen]
    requirements: list[str] = []
    refused = []
    for p in chosen:
        if p.origin == "builtin":
            if p.extra:
                pinned = f"fapilog[{p.extra}]" + (f"=={fapilog}" if fapilog else "")
                print(f"{p.id} is built into fapilog and needs the extra fapilog[{p.extra}]: adding {pinned}")
                requirements.append(pinned)
            else:
                print(f"{p.id} is built into fapilog: nothing to install")
            continue
        judged = compatibility.judge(p, fapilog)
        if judged.in_range is False:
            message = f"{p.id}: {judged.reasons[0]}"
            if args.force:
                say(f"warning: {message}; installing anyway (--force)")
            else:
                refused.append(message)
        elif judged.status == compatibility.INCOMPATIBLE:
            say(f"warning: {p.id}: {judged.reasons[-1]}")
        if fapilog is None:
            say(f"warning: fapilog is not installed here: {p.package}'s own requirements choose it")
        if p.requirement not in requirements:
            requirements.append(p.requirement)
    if refused:
        for message in refused:
            say(f"refused: {message}")
        say("nothing installed: move fapilog into the plugin's range, or pass --force to try anyway")
        say(f"(with --force, fapilog stays at {fapilog} and the installer may still refuse)")
        return FINDINGS
    if not requirements:
        return OK
    choice = installer.choose(args.installer)
    try:
        constraints = installer.constraints_file(catalog_source.cache_dir(), fapilog) if fapilog else None
    except OSError as exc:
        raise Failure(
            f"cannot write the constraints file that keeps fapilog {fapilog} ({exc}); "
            f"set {catalog_source.CACHE_ENV} to a writable folder",
            ENVIRONMENT,
        ) from exc
    try:
        argv = installer.command(choice, requirements, constraints, upgrade=args.upgrade)
    except installer.InstallerUnavailable as exc:
        raise Failure(str(exc), ENVIRONMENT) from exc
    print(f"installer: {choice.tool} ({choice.reason})")
    if constraints:
        print(f"keeping fapilog {fapilog}: {constraints} pins fapilog=={fapilog}")
    print(("would run: " if args.dry_run else "running: ") + output.command(argv))
    if args.dry_run:
        return OK
    sys.stdout.flush()
    result = subprocess.run(argv, check=False)
    if result.returncode != 0:
        raise Failure(f"the installer failed (exit {result.returncode}): its output above says why", ENVIRONMENT)
    return OK


def check_report(loaded: catalog_source.Loaded, fail_on: set[str]) -> dict[str, Any]:
    fapilog = installed.fapilog_version()
    index: dict[tuple[str, str], Plugin] = {}
    for p in loaded.catalog.plugins:
        for name in (p.name, *p.aliases):
            index.setdefault((p.type, normalize(name)), p)
    rows = []
    for found in installed.plugins():
        entry = index.get((found.type, normalize(found.name)))
        row: dict[str, Any] = {
            "id": found.id,
            "type": found.type,
            "name": found.name,
            "distribution": found.distribution,
            "installed_version": found.version,
            "entry_point": f"{found.group}: {found.name} = {found.target}",
        }
        if entry is not None and canonicalize_name(entry.package) != canonicalize_name(found.distribution):
            reason = f"the catalog's {entry.id} comes from another package ({entry.package}); this one is not listed"
            entry = None
        else:
            reason = "not in the catalog: delisted, or never listed"
        if entry is None:
            row.update(delisted=True, delisted_reason=reason, flags=["delisted"], compatibility=None, security=None)
            row.update(latest_version=None, outdated=False, archived=False, quality_tier=None, support=None)
            rows.append(row)
            continue
        judged = compatibility.judge(entry, fapilog)
        fresh = compatibility.freshness(found.version, entry)
        security = compatibility.security(entry)
        flags = []
        if judged.status == compatibility.INCOMPATIBLE:
            flags.append("incompatible")
        elif judged.status == compatibility.UNTESTED:
            flags.append("untested with this fapilog")
        if fresh.outdated:
            flags.append(f"outdated (latest {fresh.latest})")
        if entry.release_state == "archived":
            flags.append("archived")
        if security and security.serious:
            flags.append("security findings")
        row.update(
            delisted=False,
            delisted_reason=None,
            flags=flags,
            catalog_id=entry.id,
            latest_version=fresh.latest,
            outdated=fresh.outdated,
            version_note=fresh.note,
            archived=entry.release_state == "archived",
            release_state=entry.release_state,
            release_state_reason=entry.release_state_reason,
            quality_tier=entry.quality_tier,
            support=entry.support_tier,
            compatibility=judged.to_json(),
            security=security.to_json() if security else None,
        )
        rows.append(row)
    summary = {
        "plugins": len(rows),
        "incompatible": sum(1 for r in rows if r["compatibility"] and r["compatibility"]["status"] == "incompatible"),
        "outdated": sum(1 for r in rows if r["outdated"]),
        "delisted": sum(1 for r in rows if r["delisted"]),
        "archived": sum(1 for r in rows if r["archived"]),
        "security": sum(1 for r in rows if r["security"] and r["security"]["serious"]),
    }
    failed_on = [k for k in ("incompatible", *FAIL_ON) if (k == "incompatible" or k in fail_on) and summary[k]]
    code = FINDINGS if failed_on else OK
    if fapilog is None:
        failed_on, code = ["fapilog is not installed"], ENVIRONMENT
    return {
        "fapilog_hub_cli": __version__,
        "environment": {"fapilog": fapilog, "python": installed.python_description()},
        "catalog": {
            "source": loaded.source,
            "how": loaded.how,
            "fetched": loaded.fetched.isoformat() if loaded.fetched else None,
            "age_seconds": int(loaded.age().total_seconds()) if loaded.fetched else None,
            "fapilog_version": loaded.catalog.fapilog_version,
        },
        "plugins": rows,
        "summary": summary,
        "failed_on": failed_on,
        "exit_code": code,
    }


def cmd_check(args: argparse.Namespace) -> int:
    loaded = load_catalog(args)
    report = check_report(loaded, set(args.fail_on or []))
    print(output.dump_json(report) if args.json else output.check(report))
    return report["exit_code"]


def cmd_doctor(args: argparse.Namespace) -> int:
    try:
        settings, notes = configuration.load_settings()
    except configuration.SettingsUnreadable as exc:
        code = ENVIRONMENT if "cannot be imported" in str(exc) else FINDINGS
        raise Failure(str(exc), code) from exc
    catalog = None
    if not args.no_catalog:
        try:
            catalog = load_catalog(args).catalog
        except Failure as exc:
            # The diagnosis works without the catalog; it only adds install hints.
            say(f"warning: {exc} (continuing without install hints)")
    result = configuration.diagnose(settings, installed.plugins(), catalog, notes)
    report = {
        "fapilog": installed.fapilog_version(),
        "named": [{"path": n.path, "type": n.type, "name": n.name} for n in result.named],
        "findings": [f.to_json() for f in result.findings],
        "notes": result.notes,
    }
    print(output.dump_json(report) if args.json else output.doctor(report))
    return FINDINGS if result.findings else OK


# ---------------------------------------------------------------------- arguments


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog",
        metavar="PATH_OR_URL",
        help=f"catalog.json to read (default: {catalog_source.DEFAULT_URL}, cached)",
    )
    common.add_argument("--offline", action="store_true", help="use the cached catalog without checking for updates")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON for machines")

    top = argparse.ArgumentParser(
        prog="fapilog-hub",
        description="Find, install and check fapilog plugins with the fapilog hub catalog.",
        epilog="Exit codes: 0 ok, 1 findings (incompatible, refused, not found), 2 usage, "
        "3 no usable catalog, 4 environment (fapilog or the installer missing or failing).",
    )
    top.add_argument("--version", action="version", version=f"fapilog-hub {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    search = commands.add_parser("search", parents=[common, as_json], help="find plugins by word")
    search.add_argument("text", help="words to look for in ids, packages, summaries and tags")
    search.add_argument("--type", choices=installed.GROUPS.values(), help="only plugins of this type")
    search.set_defaults(run=cmd_search)

    info = commands.add_parser("info", parents=[common, as_json], help="one plugin's catalog entry")
    info.add_argument("plugin", help="a name (pii_text), an id (redactor/pii_text) or a package name")
    info.set_defaults(run=cmd_info)

    install = commands.add_parser("install", parents=[common], help="install plugins with pip or uv")
    install.add_argument("plugins", nargs="+", metavar="PLUGIN")
    install.add_argument("--dry-run", action="store_true", help="print the command without running it")
    install.add_argument("--installer", choices=(installer.PIP, installer.UV), help="override the detected installer")
    install.add_argument("--force", action="store_true", help="install even if the declared range excludes fapilog")
    install.add_argument("--upgrade", "-U", action="store_true", help="upgrade plugins that are already installed")
    install.set_defaults(run=cmd_install)

    for name, aliases in (("check", ["outdated"]),):
        check = commands.add_parser(
            name, aliases=aliases, parents=[common, as_json], help="report on the installed plugins (CI gate)"
        )
        check.add_argument(
            "--fail-on",
            type=lambda v: [x.strip() for x in v.split(",") if x.strip()],
            default=[],
            metavar=",".join(FAIL_ON),
            help="exit 1 for these too (always: incompatible)",
        )
        check.set_defaults(run=cmd_check)

    doctor = commands.add_parser(
        "doctor", parents=[common, as_json], help="find configured plugins fapilog cannot load"
    )
    doctor.add_argument("--no-catalog", action="store_true", help="do not read the catalog (no install hints)")
    doctor.set_defaults(run=cmd_doctor)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "fail_on", None):
        unknown = sorted(set(args.fail_on) - set(FAIL_ON))
        if unknown:
            known = ", ".join(FAIL_ON)
            say(f"fapilog-hub check: --fail-on: unknown {', '.join(unknown)} (choose from {known})")
            return USAGE
    try:
        return args.run(args)
    except Failure as exc:
        say(f"fapilog-hub {args.command}: {exc}")
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
