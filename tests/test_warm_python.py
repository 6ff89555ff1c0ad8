"""The warm interpreter (tests/warm_python.py) runs a program as a new interpreter would.

The Markdown-block check relies on it for every inline block, so what a reader would see
from `python` must be what the check sees: output, exit status, tracebacks, exit handlers,
and nothing carried from one block to the next.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from warm_python import Timeout, Warm

pytestmark = pytest.mark.skipif(not Warm.available(), reason="no fork on this platform, or HUB_BLOCKS_COLD=1")

PROGRAM = textwrap.dedent(
    """
    import atexit, sys, threading, time

    atexit.register(lambda: print("atexit ran after the thread:", done))
    done = []

    def work():
        time.sleep(0.2)
        done.append("worker")

    threading.Thread(target=work).start()  # not a daemon: the interpreter waits for it
    print("argv:", sys.argv, "stdin:", repr(sys.stdin.read()))
    print("to stderr", file=sys.stderr)
    """
)


@pytest.fixture(scope="module")
def warm():
    interpreter = Warm()
    yield interpreter
    interpreter.close()


def cold(source: str, cwd: Path) -> tuple[int, str, str]:
    runner = "import sys; exec(compile(sys.stdin.read(), sys.argv[1], 'exec'), {'__name__': '__main__'})"
    done = subprocess.run(
        [sys.executable, "-c", runner, "page.md"], input=source, capture_output=True, text=True, cwd=cwd, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


def test_a_program_sees_what_a_new_interpreter_gives_it(warm, tmp_path):
    done = warm.run(PROGRAM, "page.md", ["page.md"], tmp_path, tmp_path, 60)
    assert (done.returncode, done.stdout, done.stderr) == cold(PROGRAM, tmp_path)
    assert done.stdout == "argv: ['-c', 'page.md'] stdin: ''\natexit ran after the thread: ['worker']\n"


@pytest.mark.parametrize(
    ("source", "status"),
    [("raise SystemExit(3)", 3), ("raise SystemExit('bad configuration')", 1), ("import sys; sys.exit()", 0)],
)
def test_exit_status_is_the_interpreters(warm, tmp_path, source, status):
    done = warm.run(source, "page.md", ["page.md"], tmp_path, tmp_path, 60)
    assert done.returncode == status == cold(source, tmp_path)[0]
    assert ("bad configuration" in done.stderr) == ("bad configuration" in source)


def test_an_uncaught_exception_prints_its_traceback_with_the_pages_line(warm, tmp_path):
    source = "\n" * 41 + "x = 1\n1 / 0\n"
    done = warm.run(source, "docs/page.md", ["docs/page.md"], tmp_path, tmp_path, 60)
    assert done.returncode == 1
    assert 'File "docs/page.md", line 43' in done.stderr and "ZeroDivisionError" in done.stderr


def test_nothing_carries_from_one_program_to_the_next(warm, tmp_path):
    first = "import fapilog\nfapilog.planted = 1\nleaked = 2\nimport json\nprint('ok')"
    assert warm.run(first, "a.md", ["a.md"], tmp_path, tmp_path, 60).stdout == "ok\n"
    second = "import fapilog, sys\nprint(hasattr(fapilog, 'planted'), 'leaked' in globals(), 'fapilog' in dir())"
    assert warm.run(second, "b.md", ["b.md"], tmp_path, tmp_path, 60).stdout == "False False True\n"
    unimported = "print(fapilog.__name__)"  # a reader's interpreter has no name fapilog either
    done = warm.run(unimported, "c.md", ["c.md"], tmp_path, tmp_path, 60)
    assert done.returncode == 1 and "NameError: name 'fapilog' is not defined" in done.stderr


def test_a_program_that_never_ends_is_stopped(warm, tmp_path):
    with pytest.raises(Timeout):
        warm.run("import time\ntime.sleep(60)", "slow.md", ["slow.md"], tmp_path, tmp_path, 1)
    assert warm.run("print('still serving')", "next.md", ["next.md"], tmp_path, tmp_path, 60).stdout == (
        "still serving\n"
    )
