"""A command-line tool: structured logs for the operator, a plain result for the user.

    python cli_tool.py [-v] [--log-format auto|json|pretty] [CSV ...]

It totals the orders in CSV files by status (default: data/orders.csv beside it).
`-v` turns on DEBUG events. With `--log-format auto` the logs are pretty in a
terminal and JSON lines when stdout is piped or collected (as in CI and in these tests).

Two habits make fapilog fit a CLI: drain the logger before the process exits (a short
program otherwise loses its last events), and print the result after draining, so the
result does not interleave with log lines written by fapilog's background thread. The
exit status says whether the run succeeded.
"""

import argparse
import asyncio
import csv
import sys
from collections import Counter
from pathlib import Path

from fapilog import LoggerBuilder

DEFAULT_INPUT = Path(__file__).with_name("data") / "orders.csv"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Total orders by status.")
    parser.add_argument("csv", nargs="*", type=Path, default=[DEFAULT_INPUT])
    parser.add_argument("-v", "--verbose", action="store_true", help="log DEBUG events")
    parser.add_argument(
        "--log-format", choices=["auto", "json", "pretty"], default="auto"
    )
    return parser.parse_args(argv)


def build_logger(args: argparse.Namespace):
    fmt = args.log_format
    if fmt == "auto":
        fmt = "pretty" if sys.stdout.isatty() else "json"
    return (
        LoggerBuilder()
        .with_name("orders-cli")
        .with_level("DEBUG" if args.verbose else "INFO")
        .add_stdout(format=fmt)
        .build()
    )


def total_by_status(paths: list[Path], log) -> tuple[Counter, bool]:
    totals: Counter = Counter()
    ok = True
    for path in paths:
        if not path.is_file():
            log.error("input missing", path=str(path))
            ok = False
            continue
        log.info("reading input", path=path.name)
        with path.open(newline="") as f:
            for line_no, row in enumerate(csv.DictReader(f), start=2):
                try:
                    totals[row["status"]] += int(row["amount_cents"])
                except ValueError:
                    log.warning(
                        "row skipped",
                        path=path.name,
                        line=line_no,
                        reason="amount is not a number",
                    )
                    continue
                log.debug("row counted", order_id=row["order_id"], status=row["status"])
    return totals, ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log = build_logger(args)
    try:
        totals, ok = total_by_status(args.csv, log)
        log.info("totals computed", statuses=len(totals), ok=ok)
    finally:
        asyncio.run(log.stop_and_drain())

    for status, cents in sorted(totals.items()):
        print(f"{status:<10} {cents / 100:>9.2f}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
