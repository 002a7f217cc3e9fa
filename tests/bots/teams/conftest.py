"""The real server (`build_app`, as `passback serve` builds it) on a loopback port, a Bot
Connector stand-in at the activities' `serviceUrl`, and a guard that fails any test here that
reaches for a host other than this machine."""

from __future__ import annotations

import ipaddress
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import Draft6Validator

from bots.config import load_settings
from bots.escalation.service import EscalationService
from bots.server import ESCALATION_KEY, build_app
from catalog import Catalog
from tests.bots.teams.standin import ConnectorStandIn

FIXTURES = Path(__file__).parents[2] / "fixtures" / "teams"
SCHEMA = json.loads((Path(__file__).parents[2] / "data" / "adaptive-card-1.5.json").read_text())
CARD_VALIDATOR = Draft6Validator(SCHEMA)
APP_ID = "3f5b2c1d-8e7a-4b6c-9d0e-1f2a3b4c5d6e"

_outside: list[str] = []


def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
        if not _loopback(host):
            _outside.append(f"connect {host}")
    elif event == "socket.getaddrinfo" and not _loopback(args[0]):
        _outside.append(f"resolve {args[0]}")


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one only records


@pytest.fixture(autouse=True)
def loopback_only() -> Any:
    before = len(_outside)
    yield
    assert _outside[before:] == [], "a Teams test reached for a host other than this machine"


def without_msteams(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: without_msteams(v) for k, v in node.items() if k != "msteams"}
    if isinstance(node, list):
        return [without_msteams(v) for v in node]
    return node


def assert_valid_card(card: dict[str, Any]) -> None:
    """Adaptive Card 1.5, as the schema says (Teams' own `msteams` property removed first)."""
    errors = sorted(CARD_VALIDATOR.iter_errors(without_msteams(card)), key=str)
    assert not errors, errors[0].message[:500]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"


def activity(name: str, service_url: str, **changes: Any) -> dict[str, Any]:
    """A fixture activity, pointed at the stand-in, with top-level keys replaced."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    data["serviceUrl"] = service_url
    data.update(changes)
    return data


class Teams:
    """The bot as Teams sees it: activities in, the stand-in's recorded calls out."""

    def __init__(self, client: TestClient, connector: ConnectorStandIn):
        self.client = client
        self.connector = connector

    @property
    def escalation(self) -> EscalationService:
        app = self.client.app
        assert app is not None
        return app[ESCALATION_KEY]

    def activity(self, name: str, **changes: Any) -> dict[str, Any]:
        return activity(name, self.connector.service_url, **changes)

    async def post(
        self, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        response = await self.client.post("/api/messages", json=body, headers=headers)
        await response.read()
        for call in self.connector.calls:  # every card the bot sent or updated, so far
            for card in call.cards:
                assert_valid_card(card)
        return response

    async def send(self, name: str, **changes: Any) -> aiohttp.ClientResponse:
        response = await self.post(self.activity(name, **changes))
        assert response.status in (200, 201), await response.text()
        return response


async def start_teams(env: dict[str, str], catalog: Catalog) -> TestClient:
    client = TestClient(TestServer(build_app(load_settings(env), catalog), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def connector() -> AsyncIterator[ConnectorStandIn]:
    standin = ConnectorStandIn()
    await standin.start()
    yield standin
    await standin.close()
    assert standin.unexpected == []


@pytest.fixture
async def teams(
    tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn
) -> AsyncIterator[Teams]:
    client = await start_teams({"PASSBACK_DATA_DIR": str(tmp_path)}, catalog)
    yield Teams(client, connector)
    await client.close()
