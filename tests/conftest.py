"""Shared fixtures for the hub's checks, and how the suite splits across pytest-xdist workers."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from xdist.scheduler import LoadScopeScheduling

from hub.postgres import throwaway_cluster

sys.path.insert(0, str(Path(__file__).parent))  # tests/ helpers for tests in subfolders

from support import NO_POSTGRES, NO_POSTGRES_REASON, Build, build_site, free_port  # noqa: E402

# Files whose tests take longest (seconds in a serial run on 2 cores, 2026-12-02). Only the
# order matters: xdist hands out work in collection order, so these start first and the many
# short tests fill in around them instead of one long file finishing alone at the end.
LONGEST_FIRST = (
    "tests/test_notebook_downloads.py",  # 317 s: a fresh venv per notebook
    "tests/test_plugin_template.py",  # 176 s: a generated plugin per type, in its own venv
    "served-site",  # 160 s: the browser tests against the session build
    "tests/test_checks_fail.py",  # 182 s: planted mistakes, some needing a strict build
    "tests/e2e/test_catalog_safety.py",  # 71 s: builds and serves a hostile registry
    "tests/test_evaluation_runner_hostile.py",  # 69 s: evaluates hostile plugins in the sandbox
    "tests/e2e/test_signals.py",  # 50 s: builds and serves a site with fixture reviews
    "tests/test_catalog_usage.py",  # 77 s
    "tutorials/07-testing-your-logging.ipynb",  # 40 s
)
SHARED_SCOPES = {"module", "class", "package"}
# Where the workers leave the groups for the controller's scheduler (set by the controller).
GROUPS_FILE = "HUB_XDIST_GROUPS"


def _group(item: pytest.Item, rel: str) -> str | None:
    """The group an item must share with others (one worker runs a group), or None if it may
    run on any worker."""
    if not isinstance(item, pytest.Function):
        return rel  # nbval's cells: one kernel per notebook, executed in order
    if "site_url" in item.fixturenames:
        return "served-site"  # one server per run, on the port the session build was built for
    definitions = item._fixtureinfo.name2fixturedefs  # pytest has no public API for this
    if any(defs[-1].scope in SHARED_SCOPES for defs in definitions.values()):
        return rel  # module fixtures (venvs, servers, evaluated plugins) are set up once per file
    return None


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and config.getoption("dist", "no") != "no":
        handle, path = tempfile.mkstemp(prefix="hub-xdist-groups-", suffix=".json")
        os.close(handle)
        os.environ[GROUPS_FILE] = path  # the workers start after this and inherit it
        config.add_cleanup(lambda: Path(path).unlink(missing_ok=True))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the suite long files first and, under pytest-xdist, record each item's group.

    nox -s test runs `-n auto`. A test that shares state with others (a notebook's kernel, a
    module fixture, the served session build) is put in one group with them, so that one
    worker runs the group; every other test is handed out on its own. xdist's own groups
    (--dist loadgroup) cannot carry this: with pytest 9 its renaming of node ids has no
    effect, so the groups go to the controller's scheduler (Scheduling below) in a file.
    """
    groups: dict[str, str] = {}
    rank: dict[pytest.Item, int] = {}
    for item in items:
        rel = item.path.relative_to(config.rootpath).as_posix()
        group = _group(item, rel)
        if group:
            groups[item.nodeid] = group
        key = group or rel
        rank[item] = LONGEST_FIRST.index(key) if key in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank.__getitem__)  # stable: within a file, the order pytest collected
    target = os.environ.get(GROUPS_FILE)
    if target and hasattr(config, "workerinput"):  # every worker collects the same items
        tmp = f"{target}.{config.workerinput['workerid']}"
        Path(tmp).write_text(json.dumps(groups), encoding="utf-8")
        os.replace(tmp, target)


@pytest.hookimpl(optionalhook=True)  # a run with `-p no:xdist` has no such hook
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN201 (xdist's type)
    return Scheduling(config, log)


class Scheduling(LoadScopeScheduling):
    """xdist's --dist loadscope, with the scopes the workers recorded: a group is one unit
    of work, every test outside a group a unit of its own."""

    _groups: dict[str, str] | None = None

    def _split_scope(self, nodeid: str) -> str:
        if self._groups is None:  # read once, after every worker has collected
            self._groups = json.loads(Path(os.environ[GROUPS_FILE]).read_text(encoding="utf-8"))
        return self._groups.get(nodeid, nodeid)


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Path:
    """A folder common to every xdist worker of this run (the session's own one without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(pytestconfig, "workerinput") else base


@pytest.fixture(scope="session")
def built_site(shared_tmp: Path) -> Build:
    """The site, built once per test run (whichever worker asks first) and shared.

    It is built for the address the browser tests serve it on, so that links under
    site_url (instant navigation, the sitemap) behave as on the published site.
    """
    done = shared_tmp / "session-site.json"
    with FileLock(shared_tmp / "session-site.lock"):
        if done.exists():
            saved = json.loads(done.read_text(encoding="utf-8"))
            return Build(Path(saved["site_dir"]), saved["returncode"], saved["log"], saved["site_url"])
        build = build_site(shared_tmp / "session-site", site_url=f"http://127.0.0.1:{free_port()}/")
        record = {"site_dir": str(build.site_dir), "returncode": build.returncode, "log": build.log}
        done.write_text(json.dumps({**record, "site_url": build.site_url}), encoding="utf-8")
        return build


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL server for the session, started only if a test asks for it."""
    if NO_POSTGRES:
        pytest.skip(NO_POSTGRES_REASON)
    with throwaway_cluster(tcp_port=free_port()) as cluster:
        yield cluster.dsn
