"""Runs the stack composer's outputs against the real fapilog; run as a script by test_composer.py.

Reads a JSON list of runs on stdin and prints one JSON result per run. Two modes:

- ``settings``: the Settings each output gives fapilog, without logging anything. The
  Python output is executed with ``fapilog.get_logger`` replaced by a recorder (so no
  sink is started, no network is touched); the environment output is read by
  ``Settings()`` with exactly those variables set.
- ``log``: the output really runs and logs EVENTS: the Python code as written (its
  ``logger.info("service started")`` line followed by EVENTS), the environment variables
  through ``fapilog.runtime(settings=Settings())``. What arrived is collected per destination: stdout
  (captured at the file descriptor, as stdout_json writes to it directly), the rotating
  file's folder, the SQLite database, and the local HTTP receiver below.

Many runs share one process to keep the tests fast. fapilog caches loggers by name, so
``get_logger`` is wrapped to give each run a logger of its own (``reuse=False``, a
fresh name); the settings the output passes are not touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import fapilog

REAL_GET_LOGGER = fapilog.get_logger
FIRST_LINE = 'logger.info("service started")'
EVENTS = """
logger.debug("debug event")
logger.info(
    "info event",
    password="hunter2",
    api_token="tok-123",
    body="raw body",
    dsn="postgres://app:s3cret@db.internal:5432/shop",
    contact="ada@example.com",
    blob="x" * 1000,
)
logger.error("error event")
for i in range(30):
    logger.info("repeat event")
"""
BIG_EVENT = 'logger.info("big event", payload="y" * 300_000)\n'

received: dict[str, list[bytes]] = {}


class Receiver(BaseHTTPRequestHandler):
    """Stands in for an HTTP log endpoint or webhook on 127.0.0.1: records each body by path."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        received.setdefault(self.path, []).append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class Recorded(Exception):
    """Raised by the recording get_logger: the output's settings were built, stop there."""


def settings_of_python(code: str) -> dict:
    seen = {}

    def record(*args, settings=None, **kwargs):
        seen["settings"] = settings
        raise Recorded

    fapilog.get_logger = record
    try:
        exec(compile(code, "<composer python>", "exec"), {"__name__": "__composed__"})
    except Recorded:
        pass
    finally:
        fapilog.get_logger = REAL_GET_LOGGER
    return seen["settings"].model_dump(mode="json")


@contextlib.contextmanager
def environment(env: dict[str, str]):
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith("FAPILOG_")]:
        del os.environ[name]
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def settings_of_env(env: dict[str, str]) -> dict:
    with environment(env):
        return fapilog.Settings().model_dump(mode="json")


@contextlib.contextmanager
def captured_stdout(path: Path):
    sys.stdout.flush()
    saved = os.dup(1)
    with path.open("wb") as out:
        os.dup2(out.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


STAGES = ("sinks", "enrichers", "redactors", "filters", "processors")


def own_logger(run_id: str, loaded: dict[str, list[str]]):
    """get_logger with a fresh logger per run, recording the plugins fapilog really loaded
    (it only warns when one fails to load)."""

    def get_logger(*args, **kwargs):
        kwargs.pop("name", None)
        kwargs["reuse"] = False
        logger = REAL_GET_LOGGER(f"composer-{run_id}", **kwargs)
        for stage in STAGES:
            loaded[stage] = [getattr(p, "name", type(p).__name__) for p in getattr(logger, f"_{stage}")]
        return logger

    return get_logger


def log_through(run: dict, workdir: Path) -> None:
    events = EVENTS + (BIG_EVENT if run.get("big") else "")
    if run["output"] == "python":
        code = run["python"]
        assert code.count(FIRST_LINE) == 1, "the Python output has no logger.info line to follow"
        code = code.replace(FIRST_LINE, FIRST_LINE + events)
        with environment({}):
            exec(compile(code, "<composer python>", "exec"), {"__name__": "__main__"})
    else:
        # As the composer tells readers (and enterprise-integration.md shows): settings=Settings(),
        # since get_logger() without it adds a stdout sink and its environment detection.
        body = "\n".join("    " + line for line in events.strip("\n").splitlines())
        code = f"from fapilog import Settings, runtime\n\nwith runtime(settings=Settings()) as logger:\n{body}\n"
        with environment(run["env"]):
            exec(compile(code, "<composer env>", "exec"), {"__name__": "__main__"})


def collect(workdir: Path, stdout: Path, run_id: str) -> dict[str, list[str]]:
    """Each destination's events, one text per event."""
    found: dict[str, list[str]] = {"stdout": stdout.read_text(encoding="utf-8", errors="replace").splitlines()}
    logs = workdir / "logs"
    found["rotating_file"] = [
        line for f in sorted(logs.glob("*")) if f.is_file() for line in f.read_text(encoding="utf-8").splitlines()
    ]
    database = workdir / "logs.sqlite3"
    rows = []
    if database.exists():
        with contextlib.closing(sqlite3.connect(database)) as db:
            rows = [r[0] for r in db.execute("SELECT event FROM events ORDER BY id")]
    found["sqlite"] = rows
    for kind in ("ingest", "hook"):
        texts = []
        for body in received.get(f"/{kind}/{run_id}", []):
            data = json.loads(body)
            items = data if isinstance(data, list) else data.get("events", data.get("logs", [data]))
            texts.extend(json.dumps(item) for item in (items if isinstance(items, list) else [items]))
        found[kind] = texts
    return found


def main() -> None:
    runs = json.load(sys.stdin)
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["COMPOSER_RECEIVER_PORT"])), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ.update(POD_NAME="pod-under-test", POD_NAMESPACE="shop", NODE_NAME="node-a")
    results = []
    home = Path.cwd()
    for run in runs:
        if run["mode"] == "settings":
            results.append({"python": settings_of_python(run["python"]), "env": settings_of_env(run["env"])})
            continue
        workdir = Path(tempfile.mkdtemp(prefix="stack-", dir=home))
        os.chdir(workdir)
        loaded: dict[str, list[str]] = {}
        fapilog.get_logger = own_logger(run["id"], loaded)
        stdout = workdir / "stdout.txt"
        try:
            with captured_stdout(stdout):
                log_through(run, workdir)
        finally:
            fapilog.get_logger = REAL_GET_LOGGER
            os.chdir(home)
        results.append({"loaded": loaded, "found": collect(workdir, stdout, run["id"])})
    server.shutdown()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
