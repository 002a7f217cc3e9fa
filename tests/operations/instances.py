"""Real `passback serve` instances for the many-instances tests, asked the way the platforms
ask: Slack's requests signed with the signing secret, Teams' as activities (local mode, as the
Bot Framework Emulator sends them). Starting, waiting and stopping is tests/processes.py's.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.bots.slack.harness import SECRET, signature
from tests.processes import Child, serving


@dataclass
class Instance:
    child: Child

    @property
    def name(self) -> str:
        return self.child.name

    @property
    def url(self) -> str:
        return self.child.url

    def log(self) -> str:
        return self.child.output

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


@contextlib.asynccontextmanager
async def running(
    names: Sequence[str], env: Mapping[str, str], directory: Path
) -> AsyncIterator[list[Instance]]:
    """One `passback serve` per name, each ready (`/readyz`), all stopped on the way out."""
    async with serving(names, env, directory) as children:
        yield [Instance(child) for child in children]
