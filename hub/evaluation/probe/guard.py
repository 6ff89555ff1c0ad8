"""Set up before any plugin code is imported: loopback up, behaviour recorded.

In its own network namespace the process has a loopback interface that may start down;
bringing it up lets the local services the probe starts (an HTTP receiver) work. An audit
hook (which Python code cannot remove) appends to log files, flushed at once so that they
survive a crash, what the plugin tries that a malware sandbox would report:

- ``network.log``: every connection and name lookup of the process;
- ``behaviour.log``: writes (and creations, renames, removals) outside the working folder,
  child processes started, files opened under the sandbox home's credential folders (the
  runner plants decoys there), and reads of environment variables whose names look like
  secrets. Reads and writes are attributed to the first caller outside the standard
  library: those made by fapilog, pydantic or the probe itself on the plugin's behalf (a
  settings model reading the whole environment) are not the plugin's own, and are left out.

The sandbox (hub.evaluation.sandbox) already makes the writes fail and the network
unreachable; this records that they were tried.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import struct
import sys
import sysconfig

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|CREDENTIAL|PRIVATE_?KEY|AUTH", re.IGNORECASE)
CREDENTIAL_FILES = (".aws", ".netrc", ".pypirc", ".config/gh", ".git-credentials", ".ssh", ".docker")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
HARMLESS_WRITES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/proc/self/fd/")
LIMIT = 200  # lines per log: a plugin that loops cannot fill the disk through us
# The standard library's folder (in a virtualenv "platstdlib" is the venv's lib folder,
# which holds site-packages: never count that as the standard library).
_STDLIB = tuple({os.path.realpath(p) + os.sep for p in (sysconfig.get_paths()["stdlib"], os.path.dirname(os.__file__))})
_PROBE = os.path.dirname(os.path.realpath(__file__)) + os.sep
_FRAMEWORK = re.compile(
    r"[/\\]site-packages[/\\](fapilog|pydantic|pydantic_core|pydantic_settings|fapilog_hub_conformance|typing_extensions|annotated_types|dotenv|asyncpg|httpx|httpcore|anyio)[/\\.]"
)


def loopback_up() -> None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            request = struct.pack("16sh", b"lo", 0)
            flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
            if not flags & IFF_UP:
                fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))
    except OSError:
        pass  # not permitted, or already up


class _Log:
    def __init__(self, path: str) -> None:
        self.file = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        self.lines = 0
        self.seen: set[str] = set()

    def write(self, record: dict) -> None:
        line = json.dumps(record, sort_keys=True)
        if self.lines >= LIMIT or line in self.seen:
            return
        self.seen.add(line)
        self.lines += 1
        self.file.write(line + "\n")


def _caller() -> str | None:
    """The first frame outside the standard library and this hook; None when it is the framework's."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        stdlib = name.startswith(("<", *_STDLIB)) and "site-packages" not in name
        if not stdlib and name != __file__:
            real = os.path.realpath(name)
            if real.startswith(_PROBE) or _FRAMEWORK.search(real):
                return None
            return real.split("site-packages" + os.sep, 1)[-1]
        frame = frame.f_back
    return None


def record_network(log_path: str) -> list[str]:
    """Install the network audit hook; returns the allow-list the probe fills with its own services."""
    allowed: list[str] = []
    log = _Log(log_path)

    def hook(event: str, args: tuple) -> None:
        if event == "socket.connect":
            address = args[1]
            where = f"{address[0]}:{address[1]}" if isinstance(address, tuple) and len(address) >= 2 else str(address)
        elif event == "socket.getaddrinfo":
            where = f"{args[0]}:{args[1]} (name lookup)"
        else:
            return
        if any(where.startswith(a) for a in allowed):
            return
        log.write({"event": event, "target": where})

    sys.addaudithook(hook)
    return allowed


def record_behaviour(log_path: str, workdir: str) -> None:
    """Install the behaviour audit hook and the environment recorder (see the module docstring)."""
    log = _Log(log_path)
    work = os.path.realpath(workdir) + os.sep
    home = os.path.realpath(os.environ.get("HOME", workdir))
    credentials = tuple(os.path.join(home, c) for c in CREDENTIAL_FILES)
    busy = [False]  # the hook's own work (realpath, json) must not re-enter it

    def outside(path: object) -> str | None:
        if isinstance(path, int) or path is None:
            return None
        text = os.fsdecode(path) if isinstance(path, (bytes, os.PathLike, str)) else str(path)
        real = os.path.realpath(text)
        if (real + os.sep).startswith(work) or real.startswith(HARMLESS_WRITES):
            return None
        return real

    def hook(event: str, args: tuple) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            _handle(event, args)
        except Exception:  # noqa: S110 - a recorder must never break the code it watches
            pass
        finally:
            busy[0] = False

    def _handle(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):
                return
            text = os.path.realpath(os.fsdecode(path))
            if text.startswith(credentials):
                by = _caller()
                if by:
                    log.write({"kind": "credential_file", "path": text.removeprefix(home + os.sep), "by": by})
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & WRITE_FLAGS
            )
            if writing and (where := outside(path)):
                by = _caller()
                if by:
                    log.write({"kind": "write_outside", "path": where, "by": by})
        elif event in (
            "os.mkdir",
            "os.remove",
            "os.rmdir",
            "os.rename",
            "os.symlink",
            "os.link",
            "os.chmod",
            "os.truncate",
        ):
            targets = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            where = next((w for w in map(outside, targets) if w), None)
            if where:
                by = _caller()
                if by:
                    log.write({"kind": "write_outside", "path": where, "operation": event, "by": by})
        elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"):
            by = _caller()
            if by:
                program = os.fsdecode(args[0]) if args and isinstance(args[0], (str, bytes)) else event
                log.write({"kind": "process", "program": str(program)[:200], "by": by})

    sys.addaudithook(hook)

    class RecordingEnviron(type(os.environ)):
        def __getitem__(self, key):  # get(), getenv(), copy(), dict(...) all come through here
            if isinstance(key, str) and SECRET_NAME.search(key) and not busy[0]:
                busy[0] = True
                try:
                    by = _caller()
                    if by:
                        log.write({"kind": "secret_env_read", "name": key, "by": by})
                finally:
                    busy[0] = False
            return super().__getitem__(key)

    os.environ.__class__ = RecordingEnviron
