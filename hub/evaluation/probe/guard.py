"""Set up before any plugin code is imported: loopback up, network attempts recorded.

In its own network namespace the process has a loopback interface that starts down;
bringing it up lets the local services the probe starts (an HTTP receiver) work. An audit
hook (which Python code cannot remove) appends every connection and name lookup the
process makes to a log file, flushed at once so that it survives a crash.
"""

from __future__ import annotations

import fcntl
import json
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up() -> None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            request = struct.pack("16sh", b"lo", 0)
            flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
            if not flags & IFF_UP:
                fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))
    except OSError:
        pass  # not in a namespace of our own (or not permitted): the host's loopback is up


def record_network(log_path: str) -> list[str]:
    """Install the audit hook; returns the allow-list the probe fills with its own services."""
    allowed: list[str] = []
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the process

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
        log.write(json.dumps({"event": event, "target": where}) + "\n")

    sys.addaudithook(hook)
    return allowed
