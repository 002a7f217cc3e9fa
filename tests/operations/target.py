"""A real `passback serve` to attack: Slack over HTTP, Teams in local mode, the status callback
on, all on 127.0.0.1. Its output goes to files, so a test can read what it logged so far, and
it runs under audited_serve, which refuses and records any attempt to reach another host."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.bots.slack.harness import BOT_TOKEN, SECRET
from tests.processes import Child, start_serve

AUDITED = ("-m", "tests.operations.audited_serve")
WEBHOOK_SECRET = "status0callback0secret0for0tests"
ENV = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_SIGNING_SECRET": SECRET,
    "PASSBACK_ESCALATION_WEBHOOK_SECRET": WEBHOOK_SECRET,
}


def start_target(
    directory: Path, env: dict[str, str], *, host: bool = True, descriptors: int | None = None
) -> Child:
    """`passback serve` under audited_serve with `env`, not yet waited for."""
    full = {**env, "AUDIT_OUTSIDE_FILE": str(directory / "outside")}
    return start_serve(directory, full, args=AUDITED, host=host, descriptors=descriptors)


def outside(served: Child) -> list[str]:
    """Every lookup or connection the server tried beyond this machine (refused)."""
    record = served.directory / "outside"
    return record.read_text().splitlines() if record.exists() else []


def raw_request(port: int, data: bytes, read_timeout: float = 5.0) -> bytes:
    """Send `data` as it is on a new connection; what the server answered before closing."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as connection:
        connection.sendall(data)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received and _complete(received):
                    break
        except TimeoutError:
            pass
        return received


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip() or 0)
    return True
