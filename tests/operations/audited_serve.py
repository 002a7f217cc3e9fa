"""`passback serve` that cannot reach beyond this machine: run as
`python -m tests.operations.audited_serve`, with AUDIT_OUTSIDE_FILE naming a file.

An audit hook refuses every name lookup and connection to a host other than loopback (the
call fails with OSError, as with no network) and writes one line per attempt to the file, so
a test can say the server tried nothing outside."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from typing import Any


def _loopback(host: object) -> bool:
    if not isinstance(host, str) or host in ("", "localhost"):
        return True  # AF_UNIX paths and the like
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        pass
    if not all(c in "0123456789." for c in host):
        return False
    try:  # the resolver reads 127.1 as 127.0.0.1 without asking DNS
        return ipaddress.IPv4Address(socket.inet_aton(host)).is_loopback
    except OSError:
        return False


def _install(path: str) -> None:
    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.connect":
            address = args[1]
            host = address[0] if isinstance(address, tuple) else address
        elif event == "socket.getaddrinfo":
            host = args[0]
        else:
            return
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if not _loopback(host):
            with open(path, "a", encoding="utf-8") as record:
                record.write(f"{event} {host}\n")
            raise OSError(f"the test forbids reaching {host}")

    sys.addaudithook(audit)


if __name__ == "__main__":
    _install(os.environ["AUDIT_OUTSIDE_FILE"])
    from bots.cli import main

    sys.argv = ["passback", "serve"]
    sys.exit(main())
