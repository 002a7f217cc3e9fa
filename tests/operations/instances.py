"""Real `passback serve` processes for the operations tests.

Each instance runs on its own free loopback port with the environment it is given (and none of
the developer's own SLACK_*, PASSBACK_* or Microsoft* variables), writes its output to a file
the test can read, and is stopped afterwards whatever happened: SIGTERM, then SIGKILL if it does
not exit in time. Requests reach it the way the platforms send them: Slack's signed with the
signing secret, Teams' as activities (local mode, as the Bot Framework Emulator sends them).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.bots.slack.harness import SECRET, signature
from tests.postgres import free_port

STARTUP_SECONDS = 60
STOP_SECONDS = 30


@dataclass
class Instance:
    name: str
    url: str
    process: asyncio.subprocess.Process
    output: Path  # stdout and stderr, interleaved

    def log(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    async def slack(
        self,
        session: aiohttp.ClientSession,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> int:
        """POST a signed request to `/slack/events`; the HTTP status."""
        timestamp = str(int(time.time()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(SECRET, timestamp, body),
            **(headers or {}),
        }
        async with session.post(f"{self.url}/slack/events", data=body, headers=sent) as response:
            await response.read()
            return response.status

    async def teams(self, session: aiohttp.ClientSession, activity: dict[str, Any]) -> int:
        """POST an activity to `/api/messages`; the HTTP status."""
        async with session.post(f"{self.url}/api/messages", json=activity) as response:
            await response.read()
            return response.status

    async def wait_until_ready(self) -> None:
        """Until `/readyz` says 200, as a load balancer waits before sending it traffic."""
        deadline = time.monotonic() + STARTUP_SECONDS
        async with aiohttp.ClientSession() as session:
            while True:
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.get(f"{self.url}/readyz") as response:
                        if response.status == 200:
                            return
                if self.process.returncode is not None:
                    raise AssertionError(f"{self.name} exited at start-up:\n{self.log()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} did not start:\n{self.log()}")
                await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), STOP_SECONDS)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


def clean_environment() -> dict[str, str]:
    """This process's environment without any bot configuration a developer may have set."""
    own = ("SLACK_", "PASSBACK_", "Microsoft")
    return {k: v for k, v in os.environ.items() if not k.startswith(own)}


async def spawn(name: str, env: Mapping[str, str], directory: Path) -> Instance:
    port = free_port()
    output = directory / f"{name}.log"
    with output.open("wb") as sink:  # the child keeps its own copy of the descriptor
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bots",
            "serve",
            env={**clean_environment(), **env, "PORT": str(port), "HOST": "127.0.0.1"},
            stdout=sink,
            stderr=asyncio.subprocess.STDOUT,
        )
    return Instance(name, f"http://127.0.0.1:{port}", process, output)


@contextlib.asynccontextmanager
async def running(
    names: Sequence[str], env: Mapping[str, str], directory: Path
) -> AsyncIterator[list[Instance]]:
    """Start one `passback serve` per name, all at once, and stop them all on the way out.

    Their output is printed at the end, which pytest shows only when the test failed."""
    started: list[Instance] = []
    try:
        for name in names:
            started.append(await spawn(name, env, directory))
        await asyncio.gather(*(instance.wait_until_ready() for instance in started))
        yield started
    finally:
        await asyncio.gather(*(instance.stop() for instance in started))
        for instance in started:
            print(f"--- passback serve ({instance.name}) ---\n{instance.log()}")
