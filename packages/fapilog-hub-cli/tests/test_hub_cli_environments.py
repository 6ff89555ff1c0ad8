"""fapilog-hub as a user runs it: installed from its wheel into real virtual environments,
reading a real catalog.json over HTTP from 127.0.0.1, installing with real uv and pip.

The environments (built once for this module):

- ``current``: fapilog 0.18.1, an older build of fapilog-pii-text (0.0.9, where the
  catalog has 0.1.0) and fapilog-homegrown, a plugin the catalog does not list whose
  module raises on import (so a command that imported plugin code would show it);
- ``old_fapilog``: fapilog 0.17.0 with the same old fapilog-pii-text (its own metadata
  allows 0.17; the catalog's entry declares >=0.18,<0.19);
- ``for_uv`` (made by ``uv venv``) and ``for_pip`` (made by ``python -m venv``): fapilog
  0.18.1 only, where ``install`` really installs;
- ``bare``: the command without fapilog.

The one substitution: the catalog installs fapilog-sqlite from GitHub, which cannot be
reached here, so the install tests read a copy of the real catalog whose sqlite entry
installs the wheel built from the same folder (a file:// URL) instead.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import shlex
from concurrent.futures import ThreadPoolExecutor

import pytest
from hub_cli_support import (
    PACKAGE,
    REPO,
    CatalogServer,
    Venv,
    build,
    closed_port_url,
    copy_plugin,
    homegrown_plugin,
    with_changes,
)

pytestmark = pytest.mark.pypi


@pytest.fixture(scope="module")
def wheels(tmp_path_factory, catalog_generation, cli_dist):  # the catalog generates meanwhile
    root = tmp_path_factory.mktemp("plugins")
    sources = {
        # An older release that still supported fapilog 0.17.
        "pii_old": copy_plugin("fapilog-pii-text", root / "src", "0.0.9", requires="fapilog>=0.17,<0.19"),
        "sqlite": copy_plugin("fapilog-sqlite", root / "src", "0.1.0"),
        "homegrown": homegrown_plugin(root / "src"),
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        wheels = pool.map(
            lambda source: build(source, root / "dist" / source.name, isolated=False)[0], sources.values()
        )
        built = dict(zip(sources, wheels, strict=True))
    return {"cli": cli_dist[".whl"], **built}


@pytest.fixture(scope="module")
def envs(tmp_path_factory, wheels):
    root = tmp_path_factory.mktemp("venvs")
    plans = {
        "current": (False, ["fapilog==0.18.1", wheels["pii_old"], wheels["homegrown"]]),
        "old_fapilog": (False, ["fapilog==0.17.0", wheels["pii_old"]]),
        "for_uv": (False, ["fapilog==0.18.1"]),
        "for_pip": (True, ["fapilog==0.18.1"]),
        "bare": (False, []),  # the command alone, without fapilog
    }

    def make(name):
        with_pip, packages = plans[name]
        env = Venv.create(root / name, with_pip=with_pip)
        env.install(wheels["cli"], *packages)
        return env

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(plans, pool.map(make, plans), strict=True))


@pytest.fixture(scope="module")
def urls(module_server, catalog_document, wheels):
    local = with_changes(
        catalog_document, "sink/sqlite", install__requirement=f"fapilog-sqlite @ {wheels['sqlite'].as_uri()}"
    )
    return {
        "real": module_server.publish("/catalog/catalog.json", catalog_document),
        "local": module_server.publish("/local/catalog/catalog.json", local),
    }


PYTHON = platform.python_version()  # the venvs are made from this interpreter


def documented_output(page, command: str) -> str:
    """The ```text block that follows the ```bash block holding just `command` on a page."""
    text = page.read_text(encoding="utf-8")
    match = re.search(rf"```bash\n{re.escape(command)}\n```\n\n```text\n(.*?)```", text, re.S)
    assert match, f"{page.name} shows no output of {command!r}"
    return match[1]


def lines(text: str) -> list[str]:
    return text.splitlines()


def flat(text: str) -> str:
    """The text with its wrapped lines joined, for messages the output wraps at 100 columns."""
    return re.sub(r"\s*\n\s*", " ", text)


def printed_command(text: str, prefix: str) -> list[str]:
    """The argv of the command printed after `prefix` (a shell line, maybe continued with \\)."""
    start = text.index(prefix) + len(prefix)
    command = []
    for line in text[start:].splitlines():
        command.append(line.rstrip("\\").strip())
        if not line.endswith("\\"):
            break
    return shlex.split(" ".join(command))


# ---------------------------------------------------------------------- check


def test_check_reports_outdated_and_delisted_plugins(envs, urls):
    run = envs["current"].hub("check", "--catalog", urls["real"])
    assert run.returncode == 0, run.stderr
    # The docs show this run's output (captured in /srv/app/.venv): they must stay what the command prints.
    for page in (REPO / "docs" / "catalog" / "manage.md", PACKAGE / "README.md"):
        shown = documented_output(page, "fapilog-hub check")
        assert shown.replace("/srv/app/.venv/bin/python", str(envs["current"].python)) == (
            run.stdout.replace(PYTHON, "3.11.7")
        ), f"{page.name}: the check example differs from what the command prints"
    first = run.stdout.split("\n", 1)[0]
    assert first == f"fapilog 0.18.1 (Python {PYTHON} at {envs['current'].python})"
    # fapilog_homegrown raises when imported: the report came from metadata alone.
    assert "imported" not in run.stderr
    assert f"catalog: {urls['real']} [downloaded, fetched " in flat(run.stderr)
    alias = envs["current"].hub("outdated", "--catalog", urls["real"])
    assert alias.returncode == 0 and alias.stdout == run.stdout


def test_check_json_for_machines(envs, urls):
    run = envs["current"].hub("check", "--json", "--catalog", urls["real"])
    report = json.loads(run.stdout)
    assert run.returncode == report["exit_code"] == 0
    assert report["environment"]["fapilog"] == "0.18.1"
    assert report["catalog"]["fapilog_version"] == "0.18.1" and report["catalog"]["source"] == urls["real"]
    plugins = {p["id"]: p for p in report["plugins"]}
    assert set(plugins) == {"redactor/pii_text", "filter/homegrown"}
    pii = plugins["redactor/pii_text"]
    assert (pii["installed_version"], pii["latest_version"], pii["outdated"]) == ("0.0.9", "0.1.0", True)
    assert pii["compatibility"]["status"] == "compatible"
    assert pii["compatibility"]["evaluated_matrix"] == {"0.18.1": "passed"}
    assert pii["quality_tier"] == "silver" and pii["support"] == "verified"
    assert pii["security"]["bandit"] == {} and pii["security"]["serious"] is False
    assert plugins["filter/homegrown"]["delisted"] is True
    assert report["summary"] == {
        "plugins": 2,
        "incompatible": 0,
        "outdated": 1,
        "delisted": 1,
        "archived": 0,
        "security": 0,
    }


def test_fail_on_makes_outdated_or_delisted_plugins_fail_a_ci_gate(envs, urls):
    run = envs["current"].hub("check", "--fail-on", "outdated,delisted", "--catalog", urls["real"])
    assert run.returncode == 1
    assert lines(run.stdout)[-1] == "exit 1: outdated, delisted"
    archived = envs["current"].hub("check", "--fail-on", "archived", "--catalog", urls["real"])
    assert archived.returncode == 0
    wrong = envs["current"].hub("check", "--fail-on", "old", "--catalog", urls["real"])
    assert wrong.returncode == 2 and "--fail-on: unknown old (choose from outdated, delisted" in flat(wrong.stderr)


def test_a_plugin_whose_range_excludes_the_installed_fapilog_fails_check(envs, urls):
    run = envs["old_fapilog"].hub("check", "--catalog", urls["real"])
    assert run.returncode == 1, run.stdout + run.stderr
    out = lines(run.stdout)
    assert out[0].startswith("fapilog 0.17.0 (Python ")
    assert "the catalog was built with fapilog 0.18.1" in out
    assert "redactor/pii_text  fapilog-pii-text 0.0.9: incompatible, outdated (latest 0.1.0)" in out
    assert "    incompatible with fapilog 0.17.0:" in out
    assert "      - declares fapilog >=0.18,<0.19, which excludes the installed fapilog 0.17.0" in out
    assert "the hub has not evaluated it with fapilog 0.17.0 (evaluated: 0.18.1: passed)" in flat(run.stdout)
    assert out[-1] == "exit 1: incompatible"
    report = json.loads(envs["old_fapilog"].hub("check", "--json", "--catalog", urls["real"]).stdout)
    assert report["exit_code"] == 1 and report["summary"]["incompatible"] == 1


# ---------------------------------------------------------------------- install


def test_install_refuses_a_plugin_whose_range_excludes_fapilog(envs, urls):
    env = envs["old_fapilog"]
    run = env.hub("install", "pii_text", "--catalog", urls["real"])
    assert run.returncode == 1
    assert (
        "refused: redactor/pii_text: declares fapilog >=0.18,<0.19, which excludes the installed fapilog 0.17.0"
        in flat(run.stderr)
    )
    assert "running:" not in run.stdout and env.version("fapilog-pii-text") == "0.0.9"
    forced = env.hub("install", "--force", "--dry-run", "pii_text", "--catalog", urls["real"])
    assert forced.returncode == 0, forced.stderr
    assert "installing anyway (--force)" in flat(forced.stderr)
    constraints = env.cache / "constraints-fapilog-0.17.0.txt"
    assert f"keeping fapilog 0.17.0: {constraints} pins fapilog==0.17.0" in forced.stdout
    uv, *argv = printed_command(forced.stdout, "would run: ")
    assert uv.endswith("/uv") and argv == [
        "pip",
        "install",
        "--python",
        str(env.python),
        "--constraint",
        str(constraints),
        "fapilog-pii-text @ git+https://github.com/fapilog/fapilog-hub#subdirectory=examples/plugins/fapilog-pii-text",
    ]
    assert "fapilog==0.17.0" in constraints.read_text(encoding="utf-8").splitlines()


def test_forced_install_keeps_fapilog_and_the_installer_refuses_the_conflict(envs, urls):
    env = envs["old_fapilog"]
    run = env.hub("install", "--force", "sink/sqlite", "--catalog", urls["local"])
    # fapilog-sqlite requires fapilog>=0.18; the constraints file holds fapilog at 0.17.0.
    assert run.returncode == 4, run.stdout + run.stderr
    assert "the installer failed (exit 1)" in flat(run.stderr)
    assert env.version("fapilog") == "0.17.0" and env.version("fapilog-sqlite") is None


def test_install_with_uv_in_an_environment_uv_made(envs, urls):
    env = envs["for_uv"]
    run = env.hub("install", "sqlite", "--catalog", urls["local"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "installer: uv (this environment was created by uv 0.13.9, says its pyvenv.cfg)" in run.stdout
    uv, *argv = printed_command(run.stdout, "running: ")
    assert argv[:5] == ["pip", "install", "--python", str(env.python), "--constraint"]
    assert argv[-1].startswith("fapilog-sqlite @ file://")
    assert env.version("fapilog-sqlite") == "0.1.0" and env.version("fapilog") == "0.18.1"
    check = env.hub("check", "--json", "--catalog", urls["local"])
    (sqlite,) = json.loads(check.stdout)["plugins"]
    assert (
        sqlite["id"] == "sink/sqlite" and not sqlite["outdated"] and sqlite["compatibility"]["status"] == "compatible"
    )
    assert "security findings" in sqlite["flags"]  # the hub's static analysis found one MEDIUM issue
    no_pip = env.hub("install", "--installer", "pip", "--dry-run", "sqlite", "--catalog", urls["local"])
    assert no_pip.returncode == 4 and "pip is not installed in this environment" in flat(no_pip.stderr)


def test_install_with_pip_in_an_environment_venv_made(envs, urls):
    env = envs["for_pip"]
    dry = env.hub("install", "--dry-run", "--installer", "uv", "sqlite", "--catalog", urls["local"])
    assert dry.returncode == 0 and "installer: uv (--installer uv)" in dry.stdout
    run = env.hub("install", "sqlite", "--catalog", urls["local"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "installer: pip (pip is installed in this environment and it was not created by uv)" in run.stdout
    argv = printed_command(run.stdout, "running: ")
    assert argv[:5] == [str(env.python), "-m", "pip", "install", "--constraint"]
    assert argv[5] == str(env.cache / "constraints-fapilog-0.18.1.txt") and argv[6].startswith("fapilog-sqlite @ ")
    assert env.version("fapilog-sqlite") == "0.1.0" and env.version("fapilog") == "0.18.1"


def test_builtins_need_nothing_or_an_extra_of_fapilog(envs, urls):
    env = envs["current"]
    run = env.hub("install", "stdout_json", "--catalog", urls["real"])
    assert run.returncode == 0 and run.stdout == "sink/stdout_json is built into fapilog: nothing to install\n"
    extra = env.hub("install", "--dry-run", "cloudwatch", "--catalog", urls["real"])
    assert extra.returncode == 0
    assert (
        "sink/cloudwatch is built into fapilog and needs the extra fapilog[aws]: adding fapilog[aws]==0.18.1"
        in extra.stdout
    )
    assert printed_command(extra.stdout, "would run: ")[-1] == "fapilog[aws]==0.18.1"


def test_an_unknown_plugin_gets_suggestions(envs, urls):
    run = envs["current"].hub("install", "pii-txt", "--catalog", urls["real"])
    assert run.returncode == 1 and "no plugin 'pii-txt' in the catalog. Did you mean pii_text?" in flat(run.stderr)


# ---------------------------------------------------------------------- search and info


def test_search_lists_tier_support_and_range(envs, urls):
    run = envs["current"].hub("search", "luhn", "--catalog", urls["real"])
    assert run.returncode == 0
    out = lines(run.stdout)
    assert re.match(r"PLUGIN\s+TIER\s+SUPPORT\s+FAPILOG\s+SUMMARY$", out[0])
    assert re.match(r"redactor/pii_text\s+silver\s+verified\s+>=0.18,<0.19\s+Masks e-mail addresses", out[1])
    assert out[-1] == "1 plugin match 'luhn'"
    none = envs["current"].hub("search", "kafka", "--catalog", urls["real"])
    assert none.returncode == 1 and none.stdout == "no plugin in the catalog matches 'kafka'\n"


def test_info_shows_compatibility_evaluation_and_what_is_installed(envs, urls):
    run = envs["current"].hub("info", "redactor/pii_text", "--catalog", urls["real"])
    assert run.returncode == 0, run.stderr
    out = lines(run.stdout)
    assert "  tier: silver; support: verified" in out
    assert "  compatibility: declares fapilog >=0.18,<0.19; hub evaluation by fapilog version: 0.18.1 passed" in out
    assert "    - the hub's evaluation with fapilog 0.18.1 passed" in out
    assert "  here: fapilog 0.18.1, installed 0.0.9: compatible" in out
    assert any(re.match(r"  evaluation \(\d{4}-\d\d-\d\d\): passed, 9/9 checks passed$", line) for line in out)
    assert f"  page: {urls['real'].removesuffix('catalog/catalog.json')}catalog/redactor/pii_text/" in out
    builtin = envs["current"].hub("info", "cloudwatch", "--json", "--catalog", urls["real"])
    data = json.loads(builtin.stdout)
    assert data["origin"] == "builtin" and data["extra"] == "aws" and data["compatibility"]["status"] == "compatible"


# ---------------------------------------------------------------------- doctor


def test_doctor_finds_names_fapilog_would_not_load(envs, urls, tmp_path):
    (tmp_path / ".env").write_text('FAPILOG_CORE__FILTERS=["level"]\n', encoding="utf-8")
    run = envs["current"].hub(
        "doctor",
        "--catalog",
        urls["real"],
        cwd=tmp_path,
        FAPILOG_CORE__SINKS='["stdout_jsn"]',
        FAPILOG_CORE__REDACTORS='["pii_txt", "pii_text"]',
        FAPILOG_SINK_ROUTING__FALLBACK_SINKS='["sqlite"]',
    )
    assert run.returncode == 1, run.stderr
    out, text = lines(run.stdout), flat(run.stdout)
    assert out[0] == "fapilog 0.18.1: 6 plugin name(s) in the configuration"  # with the default enrichers
    assert f"note: {tmp_path / '.env'} sets FAPILOG_CORE__FILTERS, but fapilog does not read .env files" in text
    assert (
        "core.sinks[0]: sink 'stdout_jsn' is neither built into fapilog nor installed here; "
        "closest installed or built-in: stdout_json, stdout_pretty" in text
    )
    assert (
        "core.redactors[0]: redactor 'pii_txt' is neither built into fapilog nor installed here; "
        "closest installed or built-in: pii_text" in text
    )
    assert (
        "core.redactors[1]: pii_text is installed (an entry point), but fapilog loads plugins from other packages "
        "only with plugins.allow_external=true (FAPILOG_PLUGINS__ALLOW_EXTERNAL=true) or with the name in "
        "plugins.allowlist" in text
    )
    assert (
        "sink_routing.fallback_sinks[0]: sink 'sqlite' is neither built into fapilog nor installed here; "
        "the catalog lists it (fapilog-sqlite): fapilog-hub install sink/sqlite" in text
    )
    assert all(len(line) <= 100 for line in out), "text output is wrapped at 100 columns"


def test_doctor_passes_a_configuration_fapilog_loads_whole(envs, tmp_path):
    run = envs["current"].hub(
        "doctor",
        "--no-catalog",
        "--json",
        cwd=tmp_path,
        FAPILOG_CORE__REDACTORS='["pii-text", "field_mask"]',
        FAPILOG_PLUGINS__ALLOW_EXTERNAL="true",
    )
    report = json.loads(run.stdout)
    assert run.returncode == 0, run.stdout
    assert report["findings"] == [] and report["notes"] == []
    assert {n["name"] for n in report["named"]} == {"pii-text", "field_mask", "runtime_info", "context_vars"}
    bad = envs["current"].hub("doctor", "--no-catalog", cwd=tmp_path, FAPILOG_CORE__SINKS="stdout_json")
    assert bad.returncode == 1 and "takes a JSON list: FAPILOG_CORE__SINKS='[\"stdout_json\"]'" in flat(bad.stderr)


# ---------------------------------------------------------------------- where the catalog comes from


def test_validators_are_sent_back_and_a_304_keeps_the_cache(envs, server, catalog_document, tmp_path):
    env, cache = envs["current"], str(tmp_path / "cache")
    url = server.publish("/catalog/catalog.json", catalog_document)
    first = env.hub("search", "sqlite", "--catalog", url, FAPILOG_HUB_CACHE=cache)
    second = env.hub("search", "sqlite", "--catalog", url, FAPILOG_HUB_CACHE=cache)
    assert first.returncode == second.returncode == 0 and first.stdout == second.stdout
    assert [r.status for r in server.requests] == [200, 304]
    sent = server.requests[1].headers
    assert sent["If-None-Match"].startswith('"') and sent["If-Modified-Since"].endswith("GMT")
    assert "[not modified (304), fetched " in flat(second.stderr)
    offline = env.hub("search", "sqlite", "--offline", "--catalog", url, FAPILOG_HUB_CACHE=cache)
    assert offline.stdout == first.stdout and len(server.requests) == 2, "--offline must not ask the server"
    # A new catalog on the server replaces the cached one.
    server.publish("/catalog/catalog.json", with_changes(catalog_document, "sink/sqlite", summary="Renamed sink"))
    third = env.hub("search", "sqlite", "--catalog", url, FAPILOG_HUB_CACHE=cache)
    assert server.requests[-1].status == 200 and "Renamed sink" in third.stdout


def test_offline_the_cache_is_used_and_its_age_is_said(envs, catalog_document, tmp_path):
    env, cache = envs["current"], tmp_path / "cache"
    server = CatalogServer().start()
    url = server.publish("/catalog/catalog.json", catalog_document)
    online = env.hub("check", "--catalog", url, FAPILOG_HUB_CACHE=str(cache))
    server.stop()  # the port is closed now: connection refused
    offline = env.hub("check", "--catalog", url, FAPILOG_HUB_CACHE=str(cache))
    assert offline.returncode == online.returncode == 0 and offline.stdout == online.stdout
    assert re.search(
        rf"warning: cannot reach {re.escape(url)} \(.*refused.*\): using the cached catalog fetched "
        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC \(less than a minute old\)",
        flat(offline.stderr),
    ), offline.stderr
    (meta,) = cache.glob("catalog-*.meta.json")
    record = json.loads(meta.read_text(encoding="utf-8"))
    record["fetched"] = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3, hours=1)).isoformat()
    meta.write_text(json.dumps(record), encoding="utf-8")
    old = env.hub("check", "--offline", "--catalog", url, FAPILOG_HUB_CACHE=str(cache))
    assert old.returncode == 0 and "(3 days old)]" in flat(old.stderr)


def test_no_network_and_no_cache_fails_with_exit_3(envs, tmp_path):
    url = closed_port_url()
    run = envs["current"].hub("check", "--catalog", url, FAPILOG_HUB_CACHE=str(tmp_path / "empty"))
    assert run.returncode == 3 and run.stdout == ""
    assert f"fapilog-hub check: no catalog: cannot reach {url} (" in flat(run.stderr)
    assert f"and there is no cached copy in {tmp_path / 'empty'}. Run again with network access" in flat(run.stderr)


def test_a_corrupt_cache_is_reported_and_fetched_again(envs, catalog_document, tmp_path):
    env, cache = envs["current"], tmp_path / "cache"
    server = CatalogServer().start()
    url = server.publish("/catalog/catalog.json", catalog_document)
    assert env.hub("search", "pii", "--catalog", url, FAPILOG_HUB_CACHE=str(cache)).returncode == 0
    (data,) = [p for p in cache.glob("catalog-*.json") if not p.name.endswith(".meta.json")]
    data.write_text('{"plugins": [', encoding="utf-8")
    run = env.hub("search", "pii", "--catalog", url, FAPILOG_HUB_CACHE=str(cache))
    assert run.returncode == 0, run.stderr
    assert f"warning: the cached catalog {data} is not JSON" in flat(run.stderr) and "fetched a fresh copy" in flat(
        run.stderr
    )
    assert "If-None-Match" not in server.requests[-1].headers  # a 304 would keep the broken copy
    assert json.loads(data.read_text(encoding="utf-8"))["plugin_count"] == catalog_document["plugin_count"]
    data.write_text("[]", encoding="utf-8")
    server.stop()
    broken = env.hub("search", "pii", "--catalog", url, FAPILOG_HUB_CACHE=str(cache))
    assert broken.returncode == 3
    assert f"the cached catalog {data} is not a fapilog hub catalog: expected a JSON object" in flat(broken.stderr)
    assert f"Delete {data} and run again when the network works" in flat(broken.stderr)


def test_a_catalog_of_the_wrong_shape_is_refused_with_the_fields_named(envs, server, catalog_document, tmp_path):
    broken = with_changes(catalog_document, "sink/sqlite")
    del next(p for p in broken["plugins"] if p["id"] == "sink/sqlite")["install"]
    url = server.publish("/catalog/catalog.json", broken)
    run = envs["current"].hub("check", "--catalog", url, FAPILOG_HUB_CACHE=str(tmp_path / "cache"))
    assert run.returncode == 3
    assert f"fapilog-hub check: no catalog: {url} is not a valid fapilog hub catalog (1 problem(s)):" in flat(
        run.stderr
    )
    assert re.search(r"plugins\[\d+\] \(sink/sqlite\): missing field 'install'", run.stderr), run.stderr
    assert "Nothing was cached." in flat(run.stderr)
    assert not list((tmp_path / "cache").glob("catalog-*")), "an invalid download must not be cached"


def test_an_http_error_without_a_cache_fails_with_exit_3(envs, server, tmp_path):
    url = server.url("/moved/catalog.json")  # the server has nothing there
    run = envs["current"].hub("search", "pii", "--catalog", url, FAPILOG_HUB_CACHE=str(tmp_path / "cache"))
    assert run.returncode == 3 and server.requests[-1].status == 404
    assert f"no catalog: {url} answered HTTP 404 Not Found, and there is no cached copy" in flat(run.stderr)


def test_without_fapilog_check_and_doctor_say_so(envs, urls):
    check = envs["bare"].hub("check", "--catalog", urls["real"])
    assert check.returncode == 4
    assert check.stdout.startswith("fapilog is not installed (Python ")
    assert lines(check.stdout)[-1] == "exit 4: fapilog is not installed"
    doctor = envs["bare"].hub("doctor", "--no-catalog")
    assert doctor.returncode == 4 and "fapilog cannot be imported in this environment" in flat(doctor.stderr)


def test_a_catalog_file_is_read_as_it_is_and_not_cached(envs, catalog_document, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_document), encoding="utf-8")
    cache = tmp_path / "cache"
    run = envs["current"].hub("info", "sqlite", "--catalog", str(path), FAPILOG_HUB_CACHE=str(cache))
    assert run.returncode == 0 and run.stdout.startswith("sink/sqlite: ")
    assert f"catalog: {path} [file]" in flat(run.stderr) and not cache.exists()
    missing = envs["current"].hub("info", "sqlite", "--catalog", str(tmp_path / "nope.json"))
    assert missing.returncode == 3 and f"cannot read the catalog file {tmp_path / 'nope.json'}" in flat(missing.stderr)
