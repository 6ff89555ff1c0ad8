"""Run one untrusted command contained, or refuse to run it.

Plugin code is untrusted. The build never imports it; the evaluation runs it only through
:func:`run_contained`, which guarantees, whatever the code does:

- **filesystem**: it runs under bubblewrap (``bwrap``) as an unprivileged user (``nobody``
  when the evaluation runs as root) in its own mount namespace, where the whole system is
  read-only, ``/tmp``, ``/var/tmp``, ``/run`` and ``/dev/shm`` are empty private folders
  thrown away at exit, the homes (``/root``, ``/home``, the caller's), the repository and
  every other virtualenv are hidden, and the one folder it may write is its working folder
  (``cwd``). What it needs to read (its own virtualenv, the interpreter, the probe) is
  mounted back read-only, path for path. So it cannot plant a ``.pth`` file, a hook or a
  script anywhere that runs later outside the sandbox;
- **network**: its own network namespace holds only a loopback, so nothing it opens
  reaches this machine's services or anywhere else (Unix sockets of the host are hidden
  with ``/run`` and the homes);
- **time**: the whole process tree is killed at the deadline (its own PID namespace dies
  with bubblewrap, so a child that calls ``setsid()`` dies too);
- **output**: stdout and stderr together are read up to a cap; past it the tree is killed;
  files it writes are capped too (``RLIMIT_FSIZE``);
- **secrets**: the environment is exactly the mapping passed in (see :func:`minimal_env`),
  never the parent's;
- **exit status**: a small reaper (stdlib only, ``python -I -S``) starts the command and
  reports through a pipe the plugin never holds whether it exited (and with which status)
  or was killed by a signal, so ``os._exit(137)`` is not mistaken for ``SIGKILL``.

Where bubblewrap is missing or cannot create its namespaces (not Linux, an old kernel,
unprivileged user namespaces switched off), :func:`check_available` raises
:class:`SandboxUnavailable` with the reason and the fix: plugin code is then never run.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MIB = 1024 * 1024
NOBODY = 65534  # the sandbox's user and group when the evaluation runs as root
HIDDEN = (Path("/root"), Path("/home"))  # homes hold credentials: never visible inside
PRIVATE = {"/tmp": "1777", "/var/tmp": "1777", "/dev/shm": "1777", "/run": "0755"}  # fresh, empty, thrown away at exit
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) "
    "on Linux with user namespaces enabled (on Ubuntu 24.04 and later, AppArmor must allow them for bwrap)"
)

# Runs inside the sandbox with the plugin's interpreter in isolated mode without site
# (-I -S: no site-packages, no .pth files, so no plugin code): starts the command, waits,
# and writes how it ended to the status pipe, which the command itself does not inherit.
REAPER = """
import ctypes, os, sys
fd = int(sys.argv[1])
os.set_inheritable(fd, False)
if os.getuid() == 0:  # bubblewrap ran as root: become nobody, keeping no capability
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
# No new privileges: a set-user-id program (su, mount) cannot give any back.
ctypes.CDLL(None, use_errno=True).prctl(38, 1, 0, 0, 0)
os.chdir(sys.argv[2])  # the working folder, which only nobody may enter
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[3], sys.argv[3:])
    finally:
        os._exit(127)
_, status = os.waitpid(pid, 0)
if os.WIFSIGNALED(status):
    os.write(fd, b"signal %d\\n" % os.WTERMSIG(status))
    code = 128 + os.WTERMSIG(status)
else:
    os.write(fd, b"exit %d\\n" % os.WEXITSTATUS(status))
    code = os.WEXITSTATUS(status)
os._exit(code)
""".replace("NOBODY", str(NOBODY))


class SandboxUnavailable(RuntimeError):
    """Plugin code cannot be contained on this machine, so it is not run at all."""


@dataclass(frozen=True)
class Limits:
    timeout_seconds: float = 180.0
    output_bytes: int = 4 * MIB  # stdout + stderr together
    file_bytes: int = 256 * MIB  # any single file the process writes
    tail_bytes: int = 4096  # how much of the end of the output is kept for the record


@dataclass(frozen=True)
class Outcome:
    returncode: int | None  # the command's own exit status, or -N when killed by signal N
    duration_seconds: float
    output_bytes: int
    output_tail: str
    timed_out: bool = False
    output_exceeded: bool = False
    sandbox_error: str | None = None  # bubblewrap itself failed (no status from the reaper)
    markers_seen: tuple[str, ...] = field(default=())  # watched strings that appeared in the output

    @property
    def failure(self) -> str | None:
        """Why the run failed, in words, or None when it exited with status 0."""
        if self.timed_out:
            return "timeout: killed after the time limit"
        if self.output_exceeded:
            return f"output limit: printed more than the cap ({self.output_bytes:,} bytes read); killed"
        if self.sandbox_error:
            return f"sandbox error: {self.sandbox_error}"
        if self.returncode is None or self.returncode == 0:
            return None
        if self.returncode < 0:
            return f"crashed: killed by signal {_signal_name(-self.returncode)}"
        return f"exited with status {self.returncode}"

    @property
    def failure_kind(self) -> str | None:
        """The failure as hub.evaluation.models.FailureKind names it (None when it succeeded)."""
        if self.failure is None:
            return None
        if self.timed_out:
            return "timeout"
        if self.output_exceeded:
            return "output_limit"
        if self.sandbox_error:
            return "sandbox"
        return "crashed" if self.returncode < 0 else "exited"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


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


def interpreter_paths(python: Path) -> list[Path]:
    """What an interpreter needs to be readable: its virtualenv and the base installation."""
    python = Path(python)
    venv = python.parent.parent
    paths = [venv]
    config = venv / "pyvenv.cfg"
    if config.is_file():
        for line in config.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home" and value.strip():
                paths.append(Path(value.strip()).parent)  # .../bin -> the installation's prefix
    resolved = python.resolve()
    paths.append(resolved.parent.parent)
    return paths


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _hidden(extra: Iterable[Path]) -> list[Path]:
    hidden = [*HIDDEN, Path.home(), *extra]
    seen: list[Path] = []
    for path in hidden:
        path = Path(path).resolve()
        if path.is_dir() and path not in seen and path != Path("/"):
            seen.append(path)
    return seen


def bwrap_argv(*, cwd: Path, readable: Iterable[Path], hide: Iterable[Path] = ()) -> list[str]:
    """The bubblewrap command line for one contained run (see the module docstring)."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SandboxUnavailable(f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}")
    argv = [bwrap, "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid", "--unshare-net"]
    argv += ["--unshare-uts", "--unshare-cgroup-try", "--cap-drop", "ALL"]
    if _as_root():
        # No user namespace (it would map the sandbox to root outside): bubblewrap keeps
        # only what the reaper needs to switch to nobody before any plugin code runs.
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        argv += ["--unshare-user"]
    argv += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for folder, mode in PRIVATE.items():
        argv += ["--perms", mode, "--tmpfs", folder]
    hidden = _hidden(hide)
    for folder in hidden:
        argv += ["--tmpfs", str(folder)]
    covered = [*map(Path, PRIVATE), *hidden]
    work = Path(cwd).resolve()
    binds = [p for p in dict.fromkeys(Path(p).resolve() for p in readable) if p.exists()]
    # Mount points under an empty tmpfs are made by bubblewrap with mode 0700, which the
    # sandbox user could not pass through: make each parent folder first, traversable.
    parents: list[Path] = []
    for path in [*binds, work]:
        for parent in reversed(path.parents):
            if any(parent != top and parent.is_relative_to(top) for top in covered) and parent not in parents:
                parents.append(parent)
    for parent in parents:
        argv += ["--perms", "0755", "--dir", str(parent)]
    for path in binds:
        argv += ["--ro-bind", str(path), str(path)]
    argv += ["--bind", str(work), str(work), "--chdir", "/", "--"]
    return argv


@lru_cache(maxsize=1)
def _probe_bwrap() -> str | None:
    """None when a contained run works here, else why not (tried once per process)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hub-sandbox-check-") as folder:
        work = Path(folder)
        if _as_root():
            os.chown(work, NOBODY, NOBODY)
        python = Path(sys.executable)
        try:
            argv = _command([str(python), "-c", "open('ok', 'w').close()"], cwd=work, readable=[], hide=[], fd=2)
        except SandboxUnavailable as exc:
            return str(exc)
        try:
            run = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=work)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not start: {exc}; {INSTALL_HINT}"
        if run.returncode != 0 or not (work / "ok").exists():
            said = (run.stderr or run.stdout).strip()[-300:]
            return f"bubblewrap cannot create its namespaces here ({said}); {INSTALL_HINT}"
    return None


def check_available() -> None:
    """Raise SandboxUnavailable (with the reason and the fix) unless plugin code can be contained."""
    if sys.platform != "linux":
        raise SandboxUnavailable(
            f"plugin code is contained with bubblewrap (Linux namespaces) and cannot be run safely on {sys.platform}; "
            "run the evaluation on Linux (a VM or WSL 2 will do)"
        )
    reason = _probe_bwrap()
    if reason:
        raise SandboxUnavailable(reason)


def isolation_note() -> str:
    try:
        check_available()
    except SandboxUnavailable as exc:
        return f"unavailable: {exc}"
    user = "as nobody, own" if _as_root() else "as the invoking user, own user,"
    return (
        f"bubblewrap {_bwrap_version()}: {user} mount, network and PID namespaces; "
        "read-only system, writable working folder only"
    )


@lru_cache(maxsize=1)
def _bwrap_version() -> str:
    try:
        out = subprocess.run(["bwrap", "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return "unknown"
    return out.split()[-1] if out.split() else "unknown"


def _command(argv: list[str], *, cwd: Path, readable: Iterable[Path], hide: Iterable[Path], fd: int) -> list[str]:
    python = Path(argv[0])
    prefix = bwrap_argv(cwd=cwd, readable=[*readable, *interpreter_paths(python)], hide=hide)
    return [*prefix, str(python), "-I", "-S", "-c", REAPER, str(fd), str(Path(cwd).resolve()), *argv]


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
    readable: Iterable[Path] = (),
    hide: Iterable[Path] = (),
    watch: Iterable[str] = (),
) -> Outcome:
    """Run `argv` (argv[0] a Python interpreter) contained; `cwd` is the one writable folder.

    `readable` are mounted back read-only where hiding would cover them; `hide` adds
    folders to hide (the repository); `watch` are strings (decoy secrets) reported in
    ``markers_seen`` when they appear anywhere in the output.
    """
    check_available()
    cwd = Path(cwd)
    if _as_root():
        os.chown(cwd, NOBODY, NOBODY)
        cwd.chmod(0o700)
    status_read, status_write = os.pipe()
    try:
        command = _command(argv, cwd=cwd, readable=readable, hide=hide, fd=status_write)
    except BaseException:
        os.close(status_read)
        os.close(status_write)
        raise
    watched = [w.encode() for w in watch if w]
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as one
            pass_fds=(status_write,),
            preexec_fn=lambda: _limit_resources(limits.file_bytes),
        )
    finally:
        os.close(status_write)
    state = {"read": 0, "tail": b"", "exceeded": False, "seen": set()}
    overlap = max((len(w) for w in watched), default=0)

    def drain() -> None:
        assert proc.stdout is not None
        carry = b""
        while chunk := proc.stdout.read1(64 * 1024):
            state["read"] += len(chunk)
            state["tail"] = (state["tail"] + chunk)[-limits.tail_bytes :]
            window = carry + chunk
            state["seen"].update(w.decode() for w in watched if w in window)
            carry = window[-overlap:] if overlap else b""
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
    _kill_group(proc)
    if proc.stdout:
        proc.stdout.close()
    with os.fdopen(status_read, "rb") as pipe:
        status = pipe.read(64).decode("ascii", "replace").split()
    returncode, sandbox_error = proc.returncode, None
    if len(status) == 2 and status[1].isdigit():
        returncode = -int(status[1]) if status[0] == "signal" else int(status[1])
    elif not timed_out and not state["exceeded"]:
        # No word from the reaper: bubblewrap itself could not set the sandbox up.
        said = state["tail"][-300:].decode("utf-8", "replace").strip()
        sandbox_error = f"bubblewrap exited with status {proc.returncode}: {said}"
    return Outcome(
        returncode=returncode,
        duration_seconds=round(time.monotonic() - started, 3),
        output_bytes=state["read"],
        output_tail=state["tail"].decode("utf-8", "replace"),
        timed_out=timed_out,
        output_exceeded=state["exceeded"] and not timed_out,
        sandbox_error=sandbox_error,
        markers_seen=tuple(sorted(state["seen"])),
    )


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
