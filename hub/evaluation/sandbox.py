"""Run one untrusted command contained: its own session, a scrubbed environment, a timeout,
capped output, no core dumps and, where the kernel allows it, its own network and PID
namespaces.

Plugin code is untrusted. The build never imports it; the evaluation runs it only through
:func:`run_contained`, which guarantees, whatever the code does:

- **time**: the whole process tree is killed at the deadline (process group, and the PID
  namespace when there is one, so a child that calls ``setsid()`` dies too);
- **output**: stdout and stderr together are read up to a cap; past it the tree is killed;
  files it writes are capped too (``RLIMIT_FSIZE``);
- **secrets**: the environment is exactly the mapping passed in (see :func:`minimal_env`),
  never the parent's;
- **network**: in a fresh network namespace only its own loopback exists, so nothing it
  opens reaches this machine's services or anywhere else.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    timeout_seconds: float = 180.0
    output_bytes: int = 4 * MIB  # stdout + stderr together
    file_bytes: int = 256 * MIB  # any single file the process writes
    tail_bytes: int = 4096  # how much of the end of the output is kept for the record


@dataclass(frozen=True)
class Outcome:
    returncode: int | None
    duration_seconds: float
    output_bytes: int
    output_tail: str
    timed_out: bool = False
    output_exceeded: bool = False

    @property
    def failure(self) -> str | None:
        """Why the run failed, in words, or None when it exited with status 0."""
        if self.timed_out:
            return "timeout: killed after the time limit"
        if self.output_exceeded:
            return f"output limit: printed more than the cap ({self.output_bytes:,} bytes read); killed"
        if self.returncode is None or self.returncode == 0:
            return None
        if self.returncode < 0:
            sig = signal.Signals(-self.returncode).name
            return f"crashed: killed by signal {sig}"
        if self.returncode > 128 and self.returncode - 128 in signal.Signals._value2member_map_:
            # In a namespace (see namespace_prefix), a child killed by signal N shows as 128 + N.
            return f"crashed: killed by signal {signal.Signals(self.returncode - 128).name}"
        return f"exited with status {self.returncode}"


def minimal_env(*, home: Path, path_dirs: list[Path], extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment a contained process gets: nothing inherited from the parent."""
    env = {
        "PATH": os.pathsep.join([*(str(p) for p in path_dirs), "/usr/bin", "/bin"]),
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
    }
    env.update(extra or {})
    return env


@lru_cache(maxsize=1)
def namespace_prefix() -> tuple[str, ...]:
    """`unshare` arguments for fresh network and PID namespaces, or () where not permitted.

    Tried once per process: root on Linux can create them; elsewhere the evaluation still
    runs (with every other limit) and records that the network was not isolated.
    """
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    # `sh` is PID 1 of the new namespace and the command its child: the kernel shields a
    # namespace's PID 1 from its own signals (an os.abort() there would turn into SIGSEGV),
    # and sh reports a child killed by signal N as status 128 + N.
    argv = (unshare, "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "/bin/sh", "-c", '"$@"; exit $?', "sh")
    try:
        ok = subprocess.run([*argv, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return argv if ok else ()


def isolation_note() -> str:
    if namespace_prefix():
        return "own network and PID namespaces (unshare)"
    return "no namespaces (unshare not permitted here): network not isolated, connections only recorded"


def _limit_resources(file_bytes: int) -> None:
    # Runs in the child between fork and exec: only async-signal-safe calls.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))


def run_contained(
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    limits: Limits = Limits(),
    isolate: bool = True,
) -> Outcome:
    prefix = list(namespace_prefix()) if isolate else []
    started = time.monotonic()
    proc = subprocess.Popen(
        [*prefix, *argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed as one
        preexec_fn=lambda: _limit_resources(limits.file_bytes),
    )
    state = {"read": 0, "tail": b"", "exceeded": False}

    def drain() -> None:
        assert proc.stdout is not None
        while chunk := proc.stdout.read1(64 * 1024):
            state["read"] += len(chunk)
            state["tail"] = (state["tail"] + chunk)[-limits.tail_bytes :]
            if state["read"] > limits.output_bytes:
                state["exceeded"] = True
                _kill_group(proc)
                break

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=limits.timeout_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        proc.wait()
    reader.join(timeout=5)
    _kill_group(proc)  # leftovers that outlived the leader (without a PID namespace)
    if proc.stdout:
        proc.stdout.close()
    return Outcome(
        returncode=proc.returncode,
        duration_seconds=round(time.monotonic() - started, 3),
        output_bytes=state["read"],
        output_tail=state["tail"].decode("utf-8", "replace"),
        timed_out=timed_out,
        output_exceeded=state["exceeded"] and not timed_out,
    )


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
