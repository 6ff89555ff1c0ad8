"""The stack composer on the catalog page: every output it writes is run against fapilog 0.18.1.

One Chromium page on the built site computes, with the page's own composer.js, the outputs
for every plugin alone and for an all-pairs sample of stacks (every plugin of one type
meets every plugin of each other type in some stack). Then, in subprocesses running
tests/e2e/composer_harness.py with the test environment's fapilog:

- every stack, by construction: the Python output and the environment variables give
  fapilog the same Settings, naming exactly the chosen plugins;
- every stack without a plugin that needs an outside service, end to end: both outputs
  log events, and the test reads where they arrived (captured stdout, the rotating
  file's folder, the SQLite file, a local HTTP receiver on 127.0.0.1 standing in for the
  http and webhook endpoints) and checks what each plugin promises: redactors masked
  their fields, filters dropped what they drop, enrichers added their fields, and the
  traps the composer warns about really happen.

Checked by construction only (Settings and install line), with the reason:
cloudwatch (AWS), loki and postgres (a server; batches of 100 are not sent at drain,
the composer warns about it), audit, sealed and integrity (their packages install from
GitHub, and these tests install nothing from the network).
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import random
import re
import shlex
import subprocess
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from support import ROOT, free_port, open_page, severe_accessibility_violations, venv_python

HARNESS = Path(__file__).with_name("composer_harness.py")
PYTHON = venv_python(ROOT / ".nox" / "test")
TYPES = ("sink", "enricher", "redactor", "processor", "filter")
CONSTRUCTION_ONLY = {"sink/cloudwatch", "sink/loki", "sink/postgres", "sink/audit", "sink/sealed", "enricher/integrity"}
HTTP_PLACEHOLDERS = {"https://logs.example.com/ingest": "ingest", "https://hooks.example.com/logs": "hook"}
# Sinks that receive events once a processor is on (hub/catalog/composer.py SERIALIZED_SINKS).
SERIALIZED = {"stdout_json", "http", "webhook", "loki", "cloudwatch", "postgres"}
DATA = "JSON.parse(document.getElementById('hub-composer').dataset.composer)"
COMPOSE = f"ids => HubComposer.compose({DATA}, ids)"


@pytest.fixture(scope="module")
def catalog(browser, site_url):
    """One page for the whole module; each test reloads it if it needs a fresh state."""
    with open_page(browser, base_url=site_url, permissions=["clipboard-read", "clipboard-write"]) as page:
        page.goto("catalog/", wait_until="networkidle")
        page.wait_for_function("!!window.HubComposer")
        yield page


def composer_data(page) -> dict:
    return page.evaluate(DATA)


def compose_all(page, stacks: list[list[str]]) -> list[dict]:
    return page.evaluate(f"stacks => stacks.map({COMPOSE})", stacks)


def all_pairs(groups: dict[str, list[str]], seed: int = 13) -> list[list[str]]:
    """Stacks with one plugin per type such that every cross-type pair occurs (greedy, seeded)."""
    rng = random.Random(seed)
    types = [t for t in TYPES if groups.get(t)]
    uncovered = {(a, b) for t1, t2 in itertools.combinations(types, 2) for a in groups[t1] for b in groups[t2]}
    stacks = []
    while uncovered:
        first = min(uncovered)  # the stack must cover at least this pair
        best, gain = None, -1
        for _ in range(40):
            stack = [rng.choice(groups[t]) for t in types]
            for plugin in first:
                stack[types.index(plugin.split("/")[0])] = plugin
            covered = {pair for pair in itertools.combinations(stack, 2) if pair in uncovered}
            if len(covered) > gain:
                best, gain = stack, len(covered)
        uncovered -= set(itertools.combinations(best, 2))
        stacks.append(best)
    return stacks


def env_of(text: str) -> dict[str, str]:
    env = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        assert words[0] == "export" and len(words) == 2, line
        name, value = words[1].split("=", 1)
        env[name] = value
    return env


def harness(runs: list[dict], workdir: Path, port: int | None = None) -> list[dict]:
    """Runs of composer_harness.py in one subprocess; port: its local HTTP receiver's."""
    workdir.mkdir(exist_ok=True)
    result = subprocess.run(
        [str(PYTHON), str(HARNESS)],
        input=json.dumps(runs),
        capture_output=True,
        text=True,
        cwd=workdir,
        env={"PATH": "/usr/bin:/bin", "HOME": str(workdir), "COMPOSER_RECEIVER_PORT": str(port or free_port())},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


def local(text: str, run_id: str, port: int) -> str:
    """The output with its http and webhook placeholders pointing at the run's receiver."""
    for placeholder, kind in HTTP_PLACEHOLDERS.items():
        text = text.replace(placeholder, f"http://127.0.0.1:{port}/{kind}/{run_id}")
    return text


# --- what a stack must do, read from what arrived -------------------------------------


def destinations(found: dict[str, list[str]]) -> dict[str, list[str]]:
    stdout = [line for line in found["stdout"] if line.strip()]
    return {
        "stdout_json": [line for line in stdout if line.startswith("{")],
        "stdout_pretty": [line for line in stdout if not line.startswith("{")],
        "rotating_file": found["rotating_file"],
        "sqlite": found["sqlite"],
        "http": found["ingest"],
        "webhook": found["hook"],
    }


def records(texts: list[str]) -> list[dict]:
    """Events as dicts: the file and stdout carry fapilog's envelope, the others the event."""
    out = []
    for text in texts:
        data = json.loads(text)
        out.append(data.get("log", data))
    return out


def check_stack(stack: list[str], result: dict, output: str) -> None:
    by_type = {t: [p.split("/")[1] for p in stack if p.startswith(t + "/")] for t in TYPES}
    where = f"{output} output of {stack}"
    loaded = result["loaded"]
    # Every chosen plugin was loaded (fapilog only warns when one fails to), and no other sink.
    for t in TYPES:
        names = set(loaded[t + "s"])
        assert set(by_type[t]) <= names, f"{where}: {t}s loaded {names}"
    assert set(loaded["sinks"]) == set(by_type["sink"] or ["stdout_json"]), where

    dest = destinations(result["found"])
    sinks = by_type["sink"] or ["stdout_json"]
    expected = set()
    for sink in sinks:
        expected |= {"stdout_json", "stdout_pretty"} if sink == "routing" else {sink}
    processors = by_type["processor"]
    for name, texts in dest.items():
        if name not in expected:
            assert texts == [], f"{where}: unexpected events in {name}"
        elif processors and name not in SERIALIZED and not (name == "stdout_json" and "stdout_json" in sinks):
            # The processors_sinks warning: such a sink receives nothing once a processor is on.
            assert texts == [], f"{where}: {name} received events although a processor is on"
        elif not (processors and "routing" in sinks):
            assert texts, f"{where}: nothing arrived in {name}"
    if "routing" in sinks and not processors and "stdout_json" not in sinks:
        assert all('"ERROR"' in line for line in dest["stdout_json"]), f"{where}: routing sent non-errors to json"
        assert not any("error event" in line for line in dest["stdout_pretty"]), where
    alltext = "\n".join(itertools.chain.from_iterable(dest.values()))
    if not alltext:
        return  # only the processors_sinks case, asserted above

    dropping = {"sampling", "trace_sampling"} & set(by_type["filter"])
    info_arrived = "info event" in alltext
    if not dropping:
        assert info_arrived, f"{where}: the info event is missing"
    redactors = by_type["redactor"]
    if info_arrived:
        masked = {
            "field_mask": "hunter2",
            "regex_mask": "tok-123",
            "field_blocker": "raw body",
            "pii_text": "ada@example.com",
            "string_truncate": "x" * 1000,
        }
        for redactor, secret in masked.items():
            if redactor in redactors:
                assert secret not in alltext, f"{where}: {redactor} let {secret!r} through"
            elif redactor not in ("pii_text",):
                assert secret in alltext, f"{where}: {secret!r} vanished without {redactor}"
        # Listing redactors replaces the default url_credentials (redactors_replace_default).
        # (pii_text takes "s3cret@db.internal" for an e-mail address and masks it too.)
        if "pii_text" not in redactors:
            url_masked = not redactors or "url_credentials" in redactors
            assert ("s3cret" not in alltext) == url_masked, f"{where}: URL password masked={url_masked} expected"

    # Filters, counted in the destination that got the most events.
    primary = max(dest.values(), key=len)
    repeats = sum("repeat event" in text for text in primary)
    filters = set(by_type["filter"])
    debug = any("debug event" in text for text in primary)
    if "level" in filters or not filters:
        assert not debug, f"{where}: a DEBUG event passed the level gate or filter"
    elif filters <= {"first_occurrence", "rate_limit", "adaptive_sampling"}:
        assert debug, f"{where}: DEBUG dropped although a filter removes the level gate"
    if "first_occurrence" in filters:
        assert repeats == 1, f"{where}: first_occurrence kept {repeats} repeats"
    elif filters & {"sampling", "trace_sampling", "rate_limit"}:
        assert 1 <= repeats < 30, f"{where}: kept {repeats} of 30 repeats"
    else:
        assert repeats == 30, f"{where}: kept {repeats} of 30 repeats without a dropping filter"
    if "adaptive_sampling" in filters:
        assert "error event" in alltext, f"{where}: adaptive sampling dropped an error"

    # Enrichers, in JSON events.
    events = records(dest["stdout_json"] + dest["rotating_file"] + dest["sqlite"] + dest["http"] + dest["webhook"])
    if events:
        diagnostics = [e.get("diagnostics", {}) for e in events if "_dropped" not in e]  # size_guard's markers
        enrichers = by_type["enricher"]
        runtime = not enrichers or "runtime_info" in enrichers  # enrichers_replace_default
        assert all(("host" in d) == runtime for d in diagnostics), f"{where}: runtime_info fields={runtime}"
        if "kubernetes" in enrichers:
            assert all(d.get("k8s_pod") == "pod-under-test" for d in diagnostics), where
    if "size_guard" in processors and "string_truncate" not in redactors and events:
        big = [e for e in events if "_dropped" in e or "big event" in json.dumps(e)]
        if big or not filters & {"rate_limit", "sampling", "trace_sampling"}:  # which may drop it first
            assert big and all("_dropped" in e for e in big), f"{where}: size_guard let the 300 kB event through"


# --- the tests --------------------------------------------------------------------------


def test_every_output_is_correct_against_fapilog(catalog, tmp_path):
    data = composer_data(catalog)
    ids = [p["id"] for p in data["plugins"]]
    groups = {t: [i for i in ids if i.startswith(t + "/")] for t in TYPES}
    # Two samples: over every plugin (checked by construction), and over the plugins that
    # run here (checked end to end too), so that every pair of the latter really runs.
    local_groups = {t: [i for i in g if i not in CONSTRUCTION_ONLY] for t, g in groups.items()}
    singles, sampled = [[i] for i in ids], all_pairs(groups)
    e2e_stacks = [s for s in singles if s[0] not in CONSTRUCTION_ONLY] + all_pairs(local_groups)
    stacks = singles + sampled + e2e_stacks
    for sample, sampled_stacks in ((groups, stacks), (local_groups, e2e_stacks)):  # the premise: each pair occurs
        pairs = {pair for s in sampled_stacks for pair in itertools.combinations(sorted(s), 2)}
        for t1, t2 in itertools.combinations(TYPES, 2):
            assert {tuple(sorted(p)) for p in itertools.product(sample[t1], sample[t2])} <= pairs
    outputs = compose_all(catalog, stacks)
    by_id = {p["id"]: p for p in data["plugins"]}

    extras = set(importlib.metadata.metadata("fapilog").get_all("Provides-Extra"))
    for stack, out in zip(stacks, outputs, strict=True):
        check_install_lines(stack, out, by_id, extras)

    # By construction: Python and environment outputs give fapilog the same Settings.
    settings_runs = [{"mode": "settings", "python": o["python"], "env": env_of(o["env"])} for o in outputs]
    for stack, result in zip(stacks, harness(settings_runs, tmp_path / "settings"), strict=True):
        assert result["python"] == result["env"], f"the Python and env outputs of {stack} differ"
        core = result["env"]["core"]
        for t in TYPES:
            chosen = [p.split("/")[1] for p in stack if p.startswith(t + "/")]
            if chosen:
                assert core[t + "s"] == chosen, stack
        assert core["serialize_in_flush"] == any(p.startswith("processor/") for p in stack)
        assert result["env"]["plugins"]["allow_external"] == any(by_id[p]["external"] for p in stack)

    # End to end, two processes at a time: Python outputs and env outputs, each split in two.
    first = len(singles) + len(sampled)
    runnable = [(n, stack, out) for n, (stack, out) in enumerate(zip(e2e_stacks, outputs[first:], strict=True))]
    assert not any(CONSTRUCTION_ONLY & set(stack) for _, stack, _ in runnable)
    chunks = [{"port": free_port(), "runs": [], "stacks": []} for _ in range(4)]
    for n, stack, out in runnable:
        big = "processor/size_guard" in stack
        for k, output in enumerate(("python", "env")):
            chunk = chunks[2 * k + n % 2]
            run = {"mode": "log", "output": output, "id": f"{output}{n}", "big": big}
            text = local(out[output], run["id"], chunk["port"])
            run[output] = text if output == "python" else env_of(text)
            chunk["runs"].append(run)
            chunk["stacks"].append(stack)
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda n: harness(chunks[n]["runs"], tmp_path / f"log-{n}", chunks[n]["port"]), range(4)))
    failures = []  # every failing stack at once, not the first only
    for chunk, results in zip(chunks, done, strict=True):
        for stack, run, result in zip(chunk["stacks"], chunk["runs"], results, strict=True):
            try:
                check_stack(stack, result, run["output"])
            except AssertionError as failure:
                failures.append(str(failure).splitlines()[0])
    assert not failures, "\n".join(failures)


def check_install_lines(stack: list[str], out: dict, by_id: dict, extras: set[str]) -> None:
    """Each requirement of the pip and uv lines resolves: fapilog's extras exist, the rest is the catalog's."""
    for line, command in ((out["pip"], ["pip", "install"]), (out["uv"], ["uv", "add"])):
        words = shlex.split(line)
        assert words[:2] == command, line
        reqs = [Requirement(w) for w in words[2:]]
        fapilog = [r for r in reqs if r.name == "fapilog"]
        assert len(fapilog) == 1 and str(fapilog[0].specifier) == "==0.18.1", line
        wanted_extras = {by_id[p]["extra"] for p in stack if by_id[p]["extra"]}
        assert fapilog[0].extras == wanted_extras and wanted_extras <= extras, line
        external = [w for w, r in zip(words[2:], reqs, strict=True) if r.name != "fapilog"]
        assert external == list(dict.fromkeys(by_id[p]["requirement"] for p in stack if by_id[p]["external"])), line


def test_a_requirement_a_shell_would_expand_reaches_pip_intact(catalog):
    """A registry URL may hold "$(...)" or backticks; the install lines quote it so a shell leaves it alone."""
    data = composer_data(catalog)
    evil = "fapilog-evil @ git+https://example.org/$(touch pwned)`id`#subdirectory=x"
    record = {**next(p for p in data["plugins"] if p["id"] == "sink/sqlite"), "requirement": evil}
    hostile = {**data, "plugins": [record]}
    out = catalog.evaluate("([d, ids]) => HubComposer.compose(d, ids)", [hostile, ["sink/sqlite"]])
    for line in (out["pip"], out["uv"]):
        assert shlex.split(line)[-1] == evil, line
        assert f"'{evil}'" in line


def warnings_of(page, ids: list[str]) -> dict[str, str]:
    return {w["id"]: w["text"] for w in page.evaluate(COMPOSE, ids)["warnings"]}


def test_the_warnings_name_the_documented_traps(catalog, site_url):
    page = catalog
    assert set(warnings_of(page, ["sink/stdout_json"])) == {"env_settings"}
    w = warnings_of(page, ["filter/sampling", "filter/rate_limit"])
    assert "filters_level_gate" in w and "with rate_limit and sampling and no level filter" in w["filters_level_gate"]
    assert "filters_level_gate" not in warnings_of(page, ["filter/sampling", "filter/level"])
    assert "level_filter" in warnings_of(page, ["filter/level"])
    assert "redactors_replace_default" in warnings_of(page, ["redactor/field_mask"])
    assert "redactors_replace_default" not in warnings_of(page, ["redactor/field_mask", "redactor/url_credentials"])
    w = warnings_of(page, ["enricher/kubernetes", "enricher/runtime_info"])
    assert "the fields of context_vars" in w["enrichers_replace_default"]
    w = warnings_of(page, ["processor/size_guard", "sink/stdout_pretty", "sink/rotating_file", "sink/http"])
    assert {"processors_serialize", "processors_sinks", "add_http", "no_builder"} <= set(w)
    assert "rotating_file and stdout_pretty would receive nothing" in w["processors_sinks"]
    assert "http" in w["no_builder"]
    assert "string_truncate" in warnings_of(page, ["redactor/string_truncate"])
    assert "cloudwatch and loki send" in warnings_of(page, ["sink/loki", "sink/cloudwatch"])["batching"]
    assert "trace_sampling" in warnings_of(page, ["filter/trace_sampling"])
    assert "external" in warnings_of(page, ["sink/sqlite"])
    # Every warning links to a page of the site that has the anchor it names.
    links = {t["link"] for t in composer_data(page)["traps"].values()}
    for link in links:
        url = urllib.parse.urljoin(site_url + "catalog/", link)
        path, _, anchor = url.partition("#")
        html = urllib.request.urlopen(path).read().decode("utf-8")
        if anchor:
            assert f'id="{anchor}"' in html, url


def test_the_example_on_the_manage_page_is_what_the_composer_writes(catalog):
    """docs/catalog/manage.md shows the Python code and variables of one shared stack."""
    page = (ROOT / "docs" / "catalog" / "manage.md").read_text(encoding="utf-8")
    section = page[page.index("## Combine plugins into a stack") :]
    stack = re.search(r"catalog/\?stack=([a-z_/,]+)", section)[1].split(",")
    python, env = re.findall(r"```text\n(.*?)\n```", section, re.DOTALL)[:2]
    out = catalog.evaluate(COMPOSE, stack)
    assert (python, env) == (out["python"], out["env"])
    assert catalog.evaluate(COMPOSE, ["sink/cloudwatch", "sink/postgres"])["pip"] == (
        'pip install "fapilog[aws,postgres]==0.18.1"'
    )


def test_the_composer_works_from_the_keyboard_and_shares_its_address(catalog):
    page = catalog
    page.goto("catalog/", wait_until="networkidle")
    page.wait_for_function("!!window.HubComposer")
    assert page.locator("[data-outputs]").is_hidden()
    first = page.locator("#hub-composer input[value='sink/rotating_file']")
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    boxes = page.locator("#hub-composer input[type=checkbox]").evaluate_all("els => els.map(e => e.value)")
    page.keyboard.press("Tab")  # to the next checkbox
    assert page.evaluate("document.activeElement.value") == boxes[boxes.index("sink/rotating_file") + 1]
    page.locator("#hub-composer input[value='filter/sampling']").focus()
    page.keyboard.press("Space")
    pip = page.locator("[data-output=pip]")
    assert pip.inner_text() == "pip install fapilog==0.18.1"
    assert '.add_file("logs")' in page.locator("[data-output=python]").inner_text()
    assert "FAPILOG_CORE__FILTERS='[\"sampling\"]'" in page.locator("[data-output=env]").inner_text()
    assert page.locator("[data-warnings] li[data-trap=filters_level_gate]").count() == 1
    shared = page.evaluate("location.href")
    assert re.search(r"[?&]stack=sink%2Frotating_file%2Cfilter%2Fsampling", shared), shared

    # The copy button, by keyboard: Enter copies the output as shown.
    page.locator("button[data-copy-output=env]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.includes('FAPILOG_CORE__SINKS'))")
    assert page.evaluate("navigator.clipboard.readText()") == page.locator("[data-output=env]").inner_text()

    other = page.context.new_page()
    try:
        other.goto(shared + "%2Cnot%2Fa_plugin", wait_until="networkidle")  # an unknown id is ignored
        other.wait_for_function("!!window.HubComposer")
        checked = other.locator("#hub-composer input:checked").evaluate_all("els => els.map(e => e.value)")
        assert checked == ["sink/rotating_file", "filter/sampling"]
        assert other.locator("[data-output=pip]").inner_text() == "pip install fapilog==0.18.1"
    finally:
        other.close()

    page.locator("#hub-composer button[data-clear]").focus()
    page.keyboard.press("Enter")
    assert page.locator("#hub-composer input:checked").count() == 0 and "stack=" not in page.url


def test_the_composer_stays_offline_and_passes_axe(catalog):
    page = catalog
    page.goto("catalog/?stack=sink/http,redactor/pii_text,processor/size_guard", wait_until="networkidle")
    page.wait_for_function("document.querySelector('[data-warnings] li')")
    assert page.locator("[data-outputs]").is_visible()
    assert page.traffic.outside_requests == [] and page.traffic.console_errors == []
    assert severe_accessibility_violations(page) == []


def test_only_the_catalog_page_loads_the_composer_and_it_starts_after_instant_navigation(catalog):
    page = catalog
    before = len(page.traffic.requests)
    page.goto("guides/", wait_until="networkidle")
    assert not any(u.endswith("/composer.js") for u in page.traffic.requests[before:])
    assert page.evaluate("typeof window.HubComposer") == "undefined"
    page.locator(".md-tabs__link", has_text="Plugins").click()  # Material swaps the page in place
    page.wait_for_function("!!window.HubComposer")
    # The script defines HubComposer before init() binds the swapped-in page (document$):
    # wait for init's mark, or a click can land before the listeners (seen in a full run).
    page.wait_for_selector("#hub-composer[data-ready='true']", state="attached")
    page.locator("#hub-composer input[value='sink/stdout_pretty']").check()
    assert ".add_stdout_pretty()" in page.locator("[data-output=python]").inner_text()
    assert page.traffic.console_errors == []
