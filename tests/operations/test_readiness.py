"""/readyz: ready only with the catalog loaded, the database reachable and migrated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bots.config import load_settings
from bots.server import ESCALATION_KEY, build_app
from catalog import Catalog
from tests.postgres import PostgresServer


async def client_for(env: dict[str, str], catalog: Catalog) -> TestClient:
    app = build_app(load_settings({"PASSBACK_TEAMS": "off", **env}), catalog)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.fixture
async def sqlite_client(catalog: Catalog, tmp_path: Path) -> AsyncIterator[TestClient]:
    client = await client_for({"PASSBACK_DATA_DIR": str(tmp_path)}, catalog)
    yield client
    await client.close()


async def readyz(client: TestClient) -> tuple[int, dict]:
    response = await client.get("/readyz")
    return response.status, await response.json()


async def test_ready_when_everything_is_there(sqlite_client: TestClient) -> None:
    status, body = await readyz(sqlite_client)
    assert (status, body["status"]) == (200, "ready")
    assert body["checks"] == {"catalog": "ok", "database": "ok", "migrations": "ok"}


async def test_not_ready_when_the_database_is_gone(sqlite_client: TestClient) -> None:
    await sqlite_client.app[ESCALATION_KEY].db.close()
    status, body = await readyz(sqlite_client)
    assert (status, body["status"]) == (503, "not ready")
    assert body["checks"]["database"] == "unreachable"
    health = await sqlite_client.get("/healthz")
    assert health.status == 200  # alive: an outage elsewhere is no reason to restart it


@pytest.mark.postgres
async def test_postgresql_down_or_unmigrated_is_not_ready(
    catalog: Catalog, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = await postgres_server.new_database()
    client = await client_for(
        {"PASSBACK_DATABASE_URL": url, "PASSBACK_DATA_DIR": str(tmp_path)}, catalog
    )
    try:
        assert (await readyz(client))[0] == 200

        admin = await asyncpg.connect(url)
        await admin.execute("DELETE FROM schema_migrations WHERE version = 1")
        await admin.close()
        status, body = await readyz(client)
        assert status == 503 and body["checks"]["migrations"] == "missing [1]"

        name = url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(postgres_server.url())
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
        status, body = await readyz(client)
        assert status == 503 and body["checks"]["database"] == "unreachable"
    finally:
        await client.close()
