"""Fixtures for every bot test."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from canvas import transport
from tests.bots.escalation.conftest import Receiver
from tests.canvas.standin.district import HOST_TOKEN, District
from tests.canvas.standin.server import CanvasStandIn


@pytest.fixture(autouse=True)
def quick_canvas_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Canvas clients built with the default limits try as often as in production, hundredths
    of a second apart instead of seconds: a bot test that meets a throttled or unreachable
    Canvas is about what the person is told (the waits are tests/canvas/test_transport.py's).
    The throttled and unreachable Canvas tests took 3-7 s each waiting."""
    quick = functools.partial(
        transport.Limits, backoff_base=0.02, backoff_cap=0.05, low_remaining_pause=0.02
    )
    monkeypatch.setattr(transport, "Limits", quick)


class Canvas:
    """The Canvas stand-in a bot test's server is pointed at."""

    def __init__(self, district: District, url: str):
        self.district = district
        self.url = url

    def env(self) -> dict[str, str]:
        return {"PASSBACK_CANVAS_URL": self.url, "PASSBACK_CANVAS_TOKEN": HOST_TOKEN}


@pytest.fixture
async def canvas() -> AsyncIterator[Canvas]:
    standin = CanvasStandIn(District(max_per_page=4))
    server = TestServer(standin.app(), host="127.0.0.1", access_log=None)
    await server.start_server()
    yield Canvas(standin.district, str(server.make_url("")).rstrip("/"))
    await server.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A webhook receiver on 127.0.0.1 (escalation's stand-in for support's ticket system)."""
    stand_in = Receiver()
    app = web.Application()
    app.router.add_post("/hook", stand_in.handle)
    stand_in.server = TestServer(app, host="127.0.0.1")
    await stand_in.server.start_server()
    yield stand_in
    stand_in.release.set()
    await stand_in.server.close()
