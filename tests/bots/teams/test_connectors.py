"""Bot Connector clients are built once and kept: answers reuse one connection, the cache is
bounded, and a client is built once per app id, service URL and audience."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiohttp import web
from botframework.connector.auth import ClaimsIdentity, ConnectorFactory

from bots.teams.connectors import CachedConnectorFactory, ClientCache, app_id_of
from catalog import Catalog
from tests.bots.teams.conftest import activity, start_teams
from tests.bots.teams.standin import ConnectorStandIn


class PeerRecordingConnector(ConnectorStandIn):
    """The stand-in, also noting which client connection each call came over."""

    def __init__(self) -> None:
        super().__init__()
        self.peers: list[Any] = []

    def app(self) -> web.Application:
        app = super().app()

        @web.middleware
        async def record_peer(request: web.Request, handler: Any) -> web.StreamResponse:
            assert request.transport is not None
            self.peers.append(request.transport.get_extra_info("peername"))
            return await handler(request)

        app.middlewares.append(record_peer)
        return app


async def test_answers_to_one_service_url_reuse_one_connection(
    tmp_path: Path, catalog: Catalog
) -> None:
    connector = PeerRecordingConnector()
    await connector.start()
    client = await start_teams({"PASSBACK_DATA_DIR": str(tmp_path)}, catalog)
    try:
        for i in range(3):
            body = activity("personal_message", connector.service_url, id=f"17126754021{i:02d}")
            response = await client.post("/api/messages", json=body)
            assert response.status in (200, 201), await response.text()
    finally:
        await client.close()
        await connector.close()
    assert len(connector.of_kind("reply")) == 3
    assert len(connector.peers) == 3
    assert len(set(connector.peers)) == 1  # one kept-alive connection, not one per answer


class CountingFactory(ConnectorFactory):
    def __init__(self) -> None:
        self.built: list[tuple[str, str | None]] = []

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        self.built.append((service_url, audience))
        await asyncio.sleep(0)  # a real factory awaits its credentials
        return object()


async def test_one_client_per_app_id_service_url_and_audience() -> None:
    cache = ClientCache()
    inner = CountingFactory()
    ours = CachedConnectorFactory(inner, "app-1", cache)
    theirs = CachedConnectorFactory(inner, "app-2", cache)
    first = await ours.create("http://127.0.0.1:1/amer/", "aud")
    assert await ours.create("http://127.0.0.1:1/amer/", "aud") is first
    assert await ours.create("http://127.0.0.1:1/emea/", "aud") is not first
    assert await ours.create("http://127.0.0.1:1/amer/", "other") is not first
    assert await theirs.create("http://127.0.0.1:1/amer/", "aud") is not first
    assert len(inner.built) == 4


async def test_concurrent_first_turns_share_the_client_that_was_kept() -> None:
    cache = ClientCache()
    factory = CachedConnectorFactory(CountingFactory(), None, cache)
    clients = await asyncio.gather(*(factory.create("http://127.0.0.1:1/") for _ in range(5)))
    assert len({id(c) for c in clients}) == 1
    assert await factory.create("http://127.0.0.1:1/") is clients[-1]


async def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = ClientCache(size=2)
    factory = CachedConnectorFactory(CountingFactory(), None, cache)
    a = await factory.create("http://127.0.0.1:1/a/")
    b = await factory.create("http://127.0.0.1:1/b/")
    assert await factory.create("http://127.0.0.1:1/a/") is a  # a is now the most recent
    await factory.create("http://127.0.0.1:1/c/")
    assert len(cache) == 2
    assert await factory.create("http://127.0.0.1:1/a/") is a
    assert await factory.create("http://127.0.0.1:1/b/") is not b  # b was dropped


def test_the_app_id_comes_from_the_audience_then_the_appid_claim() -> None:
    assert app_id_of(ClaimsIdentity({"aud": "bot-app", "appid": "caller"}, True)) == "bot-app"
    assert app_id_of(ClaimsIdentity({"appid": "emulator-bot"}, True)) == "emulator-bot"
    assert app_id_of(ClaimsIdentity({}, True)) is None
    assert app_id_of(None) is None
