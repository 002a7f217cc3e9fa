from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from catalog import Catalog
from tests.bots.slack.harness import SlackTestServer
from tests.bots.slack.standin import SlackStandIn

StartServer = Callable[..., Awaitable[SlackTestServer]]


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    stand_in = SlackStandIn()
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
async def start_server(
    standin: SlackStandIn, catalog: Catalog, tmp_path: Path
) -> AsyncIterator[StartServer]:
    """Start `passback serve` (several times over the same data dir, for restart tests)."""
    started: list[SlackTestServer] = []

    async def start(**env: str) -> SlackTestServer:
        server = SlackTestServer(standin, catalog, tmp_path / "data", env)
        started.append(server)
        return await server.start()

    yield start
    for server in reversed(started):
        await server.stop()


@pytest.fixture
async def server(start_server: StartServer) -> SlackTestServer:
    return await start_server()
