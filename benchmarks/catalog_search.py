"""How the catalog page holds up with a large ecosystem: 1,000 synthetic registry entries.

Run with ``nox -s bench`` (or ``python benchmarks/catalog_search.py``). It writes a
synthetic registry to a temporary folder (never to registry/, never published), builds
the whole site from it with the strict build, then measures in Chromium:

- page weight: the catalog page's HTML (bytes and gzip), and everything the browser
  fetched to show it;
- time per keystroke in the catalog's search box, two ways: until the catalog's input
  handler has filtered the cards (script only), and until the next frame is painted
  (the handler plus style, layout and paint; this includes waiting for the frame, up
  to one refresh interval).

Figures are printed and written to benchmarks/results/catalog-search.json with the
machine they were measured on. They are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The same strict build, static server and Debian Chromium as the browser tests.
sys.path.insert(0, str(ROOT / "tests"))
from support import CHROMIUM, CHROMIUM_ARGS, Build, build_site, free_port, serve  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "catalog-search.json"
TYPES = ["sink", "enricher", "redactor", "processor", "filter"]
WORDS = [
    "fast",
    "async",
    "batching",
    "retry",
    "buffered",
    "structured",
    "json",
    "compact",
    "gzip",
    "encrypted",
    "signed",
    "tenant",
    "audit",
    "trace",
    "span",
    "metric",
    "kafka",
    "redis",
    "s3",
    "gcs",
    "azure",
    "datadog",
    "splunk",
    "elastic",
    "opensearch",
    "loki",
    "sentry",
    "slack",
    "teams",
    "pagerduty",
    "syslog",
    "journald",
    "pii",
    "gdpr",
    "hipaa",
    "secrets",
    "tokens",
    "emails",
    "cards",
    "headers",
    "cookies",
    "sampling",
    "dedupe",
    "throttle",
    "priority",
    "routing",
]
TAGS = sorted(set(WORDS[:40]))
QUERY = "kafka retry"
SETTLE_MS = 5000


def synthetic_entry(n: int, rng: random.Random) -> dict:
    kind = rng.choice(TYPES)
    words = rng.sample(WORDS, 12)
    description = f"A {kind} that " + " ".join(words)
    tier = rng.choices(["community", "verified", "commercial"], weights=[80, 15, 5])[0]
    support = {"tier": tier}
    if tier == "commercial":
        support |= {
            "vendor": f"Vendor {n}",
            "contact": f"support@vendor{n}.example",
            "sla_url": f"https://vendor{n}.example/sla",
        }
    return {
        "package": f"fapilog-synthetic-{n:04d}",
        "description": description[:160],
        "plugins": [{"type": kind, "name": f"synthetic_{n:04d}"}],
        "repository": f"https://github.com/synthetic-{n % 97}/fapilog-synthetic-{n:04d}",
        "documentation": f"https://synthetic-{n % 97}.example/docs/{n}",
        "maintainers": [{"name": f"Maintainer {n % 211}", "github": f"maint{n % 211}"}],
        "license": rng.choice(["MIT", "Apache-2.0", "BSD-3-Clause", "MPL-2.0"]),
        "tags": rng.sample(TAGS, rng.randint(1, 5)),
        "date_added": (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1050))).isoformat(),
        "support": support,
        "pricing": "paid" if tier == "commercial" else rng.choice(["free", "free", "freemium"]),
        "funding": [f"https://github.com/sponsors/maint{n % 211}"] if rng.random() < 0.3 else [],
        "compatibility": {"fapilog": rng.choice([">=0.18,<0.19", ">=0.17,<0.18", ">=0.15"])},
    }


def write_registry(folder: Path, count: int) -> None:
    rng = random.Random(20261126)
    for path in (ROOT / "registry" / "plugins").glob("*.yml"):
        shutil.copy(path, folder)  # the installed plugins stay registered
    for n in range(count):
        data = synthetic_entry(n, rng)
        (folder / f"{data['package']}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def build(registry: Path, site_dir: Path) -> tuple[Build, float]:
    """The strict site build with the catalog read from registry; and how long it took."""
    started = time.perf_counter()
    built = build_site(
        site_dir,
        site_url=f"http://127.0.0.1:{free_port()}/",
        extra_env={"HUB_CATALOG_REGISTRY": str(registry)},
        timeout=3600,
    )
    if built.returncode != 0:
        raise SystemExit(f"the site did not build:\n{built.log}")
    return built, time.perf_counter() - started


# Timestamps around each keystroke: keydown (capture, before anything else), the end of
# the input event's dispatch (this listener on document runs after the catalog's own
# listener on the form), and the first task after the next animation frame, i.e. after
# the browser has painted the result.
INSTRUMENT_JS = """
() => {
  document.addEventListener('keydown', () => { window.__hubKeydown = performance.now(); }, true);
  document.addEventListener('input', () => { window.__hubFiltered = performance.now(); });
}
"""
MEASURE_JS = """
() => new Promise(resolve => {
  requestAnimationFrame(() => setTimeout(() => resolve([
    window.__hubFiltered - window.__hubKeydown,
    performance.now() - window.__hubKeydown,
  ]), 0));
})
"""


def summary(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "median": round(statistics.median(samples), 2),
        "p95": round(samples[int(0.95 * (len(samples) - 1))], 2),
        "max": round(samples[-1], 2),
        "min": round(samples[0], 2),
    }


def measure(url: str, rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        fetched: list[tuple[int, str]] = []

        def on_response(response):
            with contextlib.suppress(Exception):  # a response without a body (redirect, aborted)
                fetched.append((len(response.body()), response.url.split("/", 3)[-1]))

        page.on("response", on_response)
        started = time.perf_counter()
        page.goto(url + "catalog/", wait_until="load")
        load_s = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", on_response)
        # Material's search worker indexes the site in the background after loading; let
        # it finish so it does not compete with the keystrokes for the CPU.
        page.wait_for_timeout(SETTLE_MS)
        cards = page.locator(".hub-card").count()
        page.evaluate(INSTRUMENT_JS)
        box = page.locator("#hub-f-query")
        box.click()
        samples, shown_after = [], []
        for _ in range(rounds):
            for char in QUERY:
                page.keyboard.press(char if char != " " else "Space")
                samples.append(page.evaluate(MEASURE_JS))
                shown_after.append(page.evaluate("document.getElementById('hub-catalog-count').textContent"))
            for _ in QUERY:
                page.keyboard.press("Backspace")
                samples.append(page.evaluate(MEASURE_JS))
        version = browser.version
        browser.close()
    return {
        "cards_on_page": cards,
        "page_load_to_load_event_s": round(load_s, 3),
        "bytes_fetched_for_page": sum(size for size, _ in fetched),
        "requests_for_page": len(fetched),
        "largest_fetches": {path: size for size, path in sorted(fetched, reverse=True)[:4]},
        "keystrokes": len(samples),
        "keystroke_filter_ms": summary([handler for handler, _ in samples]),
        "keystroke_to_next_paint_ms": summary([paint for _, paint in samples]),
        "query": QUERY,
        "cards_matching_full_query": shown_after[len(QUERY) - 1],
        "chromium": version,
    }


def ratios(large: dict, large_html_bytes: int, reference: dict) -> dict:
    """The large catalog's figures divided by the real catalog's, both from this run.

    Absolute milliseconds depend on the machine and its load; the ratio says what the
    extra entries cost.
    """

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 2) if b else None

    return {
        "catalog_html_bytes": ratio(large_html_bytes, reference["catalog_html_bytes"]),
        **{
            f"{figure}_{stat}": ratio(large[figure][stat], reference[figure][stat])
            for figure in ("keystroke_filter_ms", "keystroke_to_next_paint_ms")
            for stat in ("median", "p95")
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="times the query is typed and erased")
    parser.add_argument("--site", type=Path, help="measure this already built site instead of building one")
    parser.add_argument("--no-reference", action="store_true", help="skip measuring the real catalog for comparison")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        registry, site_dir = Path(tmp) / "registry", args.site or Path(tmp) / "site"
        build_s = None
        if args.site:
            built = Build(site_dir, 0, "", f"http://127.0.0.1:{free_port()}/")
        else:
            registry.mkdir()
            write_registry(registry, args.entries)
            built, build_s = build(registry, site_dir)
        html = (site_dir / "catalog" / "index.html").read_bytes()
        with serve(built) as url:
            browser = measure(url, args.rounds)
        search_index = (site_dir / "search" / "search_index.json").stat().st_size
        reference = None
        if not args.no_reference:
            # The real catalog, measured in the same run on the same machine: the
            # difference is what 1,000 more entries cost, whatever the machine's load.
            real_site = Path(tmp) / "real-site"
            real, _ = build(ROOT / "registry" / "plugins", real_site)
            with serve(real) as url:
                measured = measure(url, args.rounds)
            real_html = (real_site / "catalog" / "index.html").read_bytes()
            reference = {
                "plugins_in_catalog": measured["cards_on_page"],
                "catalog_html_bytes": len(real_html),
                "catalog_html_gzip_bytes": len(gzip.compress(real_html, compresslevel=6)),
                "keystroke_filter_ms": measured["keystroke_filter_ms"],
                "keystroke_to_next_paint_ms": measured["keystroke_to_next_paint_ms"],
            }
    result = {
        "benchmark": "catalog search with a synthetic registry",
        "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        # Other work on the machine slows every figure: the load average says how busy it was.
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "synthetic_entries": args.entries,
        "plugins_in_catalog": browser["cards_on_page"],
        "site_build_s": round(build_s, 1) if build_s is not None else None,
        "catalog_html_bytes": len(html),
        "catalog_html_gzip_bytes": len(gzip.compress(html, compresslevel=6)),
        "site_search_index_bytes": search_index,
        **browser,
        "settle_before_typing_ms": SETTLE_MS,
        "reference_real_catalog": reference,
        "ratio_to_reference": ratios(browser, len(html), reference) if reference else None,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    f, k = result["keystroke_filter_ms"], result["keystroke_to_next_paint_ms"]
    print(f"catalog with {result['plugins_in_catalog']} plugins ({args.entries} synthetic)")
    print(f"  catalog page HTML: {result['catalog_html_bytes']:,} bytes, {result['catalog_html_gzip_bytes']:,} gzip")
    print(
        f"  fetched to show it: {result['bytes_fetched_for_page']:,} bytes in {result['requests_for_page']} requests; "
        f"largest: {result['largest_fetches']}"
    )
    print(f"  per keystroke ({result['keystrokes']} keys, typing and erasing '{QUERY}'):")
    print(f"    filtering (script): median {f['median']} ms, p95 {f['p95']} ms, max {f['max']} ms")
    print(f"    to the next painted frame: median {k['median']} ms, p95 {k['p95']} ms, max {k['max']} ms")
    if reference:
        rf, rk = reference["keystroke_filter_ms"], reference["keystroke_to_next_paint_ms"]
        print(
            f"  reference, the real catalog ({reference['plugins_in_catalog']} plugins), same run: "
            f"HTML {reference['catalog_html_bytes']:,} bytes ({reference['catalog_html_gzip_bytes']:,} gzip); "
            f"filtering median {rf['median']} ms; next paint median {rk['median']} ms, p95 {rk['p95']} ms"
        )
        r = result["ratio_to_reference"]
        print(
            f"  ratio, {result['plugins_in_catalog']} plugins to {reference['plugins_in_catalog']}: "
            f"HTML x{r['catalog_html_bytes']}; filtering median x{r['keystroke_filter_ms_median']}, "
            f"p95 x{r['keystroke_filter_ms_p95']}; next paint median x{r['keystroke_to_next_paint_ms_median']}, "
            f"p95 x{r['keystroke_to_next_paint_ms_p95']}"
        )
    print(
        f"  load average (1 min) before/after: {result['machine']['load_average_1min_before_after']} "
        f"on {os.cpu_count()} CPUs"
    )
    print(f"  site build: {result['site_build_s']} s; results in {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
