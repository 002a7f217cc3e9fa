"""A Canvas stand-in on 127.0.0.1 per test, and a client pointed at it by base URL only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from canvas.api import CanvasClient
from canvas.transport import Limits, Transport
from tests.canvas.standin.district import HOST_TOKEN, District
from tests.canvas.standin.server import CanvasStandIn

FAST = Limits(backoff_base=0.01, backoff_cap=0.05, low_remaining_pause=0.01, request_timeout=2.0)


class Canvas:
    def __init__(self, standin: CanvasStandIn, server: TestServer, session: aiohttp.ClientSession):
        self.standin = standin
        self.district = standin.district
        self.server = server
        self.session = session
        self.base_url = str(server.make_url("")).rstrip("/")

    def client(self, token: str = HOST_TOKEN, limits: Limits = FAST) -> CanvasClient:
        transport = Transport(
            self.session, self.base_url, token, user_agent="passback/test", limits=limits
        )
        return CanvasClient(transport)

    def paths(self) -> list[str]:
        return [path for path, _ in self.district.requests]


@pytest.fixture
async def canvas() -> AsyncIterator[Canvas]:
    standin = CanvasStandIn(District(max_per_page=4))
    server = TestServer(standin.app(), host="127.0.0.1", access_log=None)
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield Canvas(standin, server, session)
    await server.close()


ClientFactory = Callable[..., CanvasClient]
