"""A real `passback serve` to attack: Slack over HTTP, Teams in local mode, the status callback
on, all on 127.0.0.1. Its output goes to files, so a test can read what it logged so far, and
it runs under audited_serve, which refuses and records any attempt to reach another host."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.bots.slack.harness import BOT_TOKEN, SECRET
from tests.processes import clean_environment, free_port, local_env

WEBHOOK_SECRET = "status0callback0secret0for0tests"
ENV = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_SIGNING_SECRET": SECRET,
    "PASSBACK_ESCALATION_WEBHOOK_SECRET": WEBHOOK_SECRET,
}


class Target:
    def __init__(
        self,
        directory: Path,
        env: dict[str, str],
        *,
        host: bool = True,
        descriptors: int | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        full = local_env(self.port, directory / "data", **env)
        if not host:
            del full["HOST"]
        self._outside = directory / "outside"
        full["AUDIT_OUTSIDE_FILE"] = str(self._outside)
        self._out = (directory / "stdout").open("w+")
        self._err = (directory / "stderr").open("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.operations.audited_serve"],
            env=clean_environment(full),
            stdout=self._out,
            stderr=self._err,
            text=True,
            preexec_fn=None if descriptors is None else lambda: _limit(descriptors),
        )

    @property
    def out(self) -> str:
        return (self.directory / "stdout").read_text()

    @property
    def err(self) -> str:
        return (self.directory / "stderr").read_text()

    @property
    def outside(self) -> list[str]:
        """Every lookup or connection the server tried beyond this machine (refused)."""
        return self._outside.read_text().splitlines() if self._outside.exists() else []

    def wait_until_up(self, within: float = 60) -> Target:
        deadline = time.monotonic() + within
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            assert self.process.poll() is None, self.err
            assert time.monotonic() < deadline, "passback serve did not answer in time"
            time.sleep(0.1)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._out.close()
        self._err.close()
        return self.process.returncode


def _limit(descriptors: int) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (descriptors, descriptors))


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
