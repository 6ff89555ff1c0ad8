"""A Python interpreter that has imported fapilog, forking a fresh process per program.

tests/test_markdown_blocks.py runs each of the site's ~90 inline Python blocks as its own
program. Started cold, each would spend about a second importing fapilog before its first
line: most of the check's time. Here one interpreter per test worker imports fapilog once
(only `import fapilog`, so the same submodules a reader's `import fapilog` loads), and
every block runs in a child forked from it, with:

- its own process (nothing a block does reaches the next one or the test run),
- fresh globals named `__main__`, `sys.argv` as `python -c` gives it, stdin empty, stdout
  and stderr written to files, the working directory asked for,
- the interpreter's exit as Python performs it: non-daemon threads joined, then `atexit`
  handlers, then the streams flushed; an uncaught exception printed with its traceback and
  status 1, `SystemExit` honoured.

What differs from a block pasted into a new interpreter: fapilog and the modules it imports
are in `sys.modules` before the first line runs, and children share one hash seed per
worker. Set HUB_BLOCKS_COLD=1 to run every block in a new interpreter instead.

POSIX only (fork); elsewhere `Warm.available()` is False and the caller starts programs cold.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# The server: reads one JSON request per line on stdin, answers one JSON line on stdout.
SERVER = r"""
import json, os, sys
import fapilog  # noqa: F401  (the point of this interpreter)

def child(request):
    os.chdir(request["cwd"])
    fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(fd, 0)
    for target, path in ((1, request["out"]), (2, request["err"])):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, target)
        os.close(fd)
    import atexit, threading, traceback
    sys.argv = ["-c", *request["argv"]]
    code = 0
    try:
        program = compile(request["source"], request["filename"], "exec")
        exec(program, {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        threading._shutdown()  # what the interpreter does at exit, in this order
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)

for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        child(request)
    print(json.dumps({"pid": pid}), flush=True)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)
"""


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str


class Timeout(Exception):
    pass


class Warm:
    """One warm interpreter; `run()` one program at a time in a child of it."""

    def __init__(self, python: str = sys.executable) -> None:
        self._server = subprocess.Popen([python, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._pending = b""  # read from the server, not yet a whole line

    @staticmethod
    def available() -> bool:
        return hasattr(os, "fork") and os.environ.get("HUB_BLOCKS_COLD") != "1"

    def run(self, source: str, filename: str, argv: list[str], cwd: Path, scratch: Path, timeout: float) -> Finished:
        out, err = scratch / "stdout", scratch / "stderr"
        request = {
            "source": source,
            "filename": filename,
            "argv": argv,
            "cwd": str(cwd),
            "out": str(out),
            "err": str(err),
        }
        self._server.stdin.write(json.dumps(request).encode() + b"\n")
        self._server.stdin.flush()
        pid = json.loads(self._reply(timeout))["pid"]
        try:
            status = json.loads(self._reply(timeout))["status"]
        except Timeout:
            os.kill(pid, signal.SIGKILL)
            self._reply(10)  # the server reaps it
            raise
        read = lambda path: path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""  # noqa: E731
        return Finished(status, read(out), read(err))

    def _reply(self, timeout: float) -> str:
        """The server's next line, read straight from its pipe (a buffered reader could hold
        a line that select() then never reports)."""
        import selectors
        import time

        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self._server.stdout, selectors.EVENT_READ)
            while b"\n" not in self._pending:
                if not selector.select(max(0.0, deadline - time.monotonic())):
                    raise Timeout(f"no answer within {timeout:g} s")
                chunk = os.read(self._server.stdout.fileno(), 65536)
                if not chunk:
                    raise RuntimeError(f"the warm interpreter exited ({self._server.poll()})")
                self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        self._server.stdin.close()
        try:
            self._server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._server.kill()
