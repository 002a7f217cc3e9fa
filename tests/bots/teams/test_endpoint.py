"""`POST /api/messages` itself: Bot Framework authentication, local (Emulator) mode, bodies
that are not activities, and a turn that fails."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from catalog import Catalog
from tests.bots.teams.conftest import APP_ID, Teams, activity, start_teams
from tests.bots.teams.standin import ConnectorStandIn

TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/amer/"


def _segment(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forged_token(issuer: str) -> str:
    """A well-formed JWT for this bot, signed with a key nobody published."""
    header = _segment({"alg": "RS256", "typ": "JWT", "kid": "forged-key"})
    claims = _segment(
        {
            "iss": issuer,
            "aud": APP_ID,
            "serviceurl": TEAMS_SERVICE_URL,
            "nbf": 1712670000,
            "exp": 4102444800,
        }
    )
    signature = base64.urlsafe_b64encode(b"\x00" * 256).rstrip(b"=").decode()
    return f"{header}.{claims}.{signature}"


@pytest.fixture
async def secured(tmp_path: Path, catalog: Catalog) -> AsyncIterator[TestClient]:
    env = {
        "PASSBACK_DATA_DIR": str(tmp_path),
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppPassword": "not-a-real-client-secret",
    }
    client = await start_teams(env, catalog)
    yield client
    await client.close()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not.a.jwt",
        "Bearer " + "A" * 40,
        "Basic dXNlcjpwYXNzd29yZA==",
        "Bearer " + forged_token("https://attacker.example.com"),
        "Bearer " + forged_token("https://api.botframework.com").split(".")[0] + "..",
    ],
)
async def test_with_credentials_a_request_without_a_valid_token_is_401(
    secured: TestClient,
    connector: ConnectorStandIn,
    authorization: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    headers = {"Authorization": authorization} if authorization is not None else {}
    body = activity("personal_message", connector.service_url)
    response = await secured.post("/api/messages", json=body, headers=headers)
    assert response.status == 401
    assert (await response.json()) == {"error": "A valid Bot Framework token is required."}
    assert connector.calls == []  # the bot never saw it
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback" not in logged
    if authorization and len(authorization) > 20:
        assert authorization.split()[-1] not in logged  # tokens are never logged
    assert "not-a-real-client-secret" not in logged


async def test_with_credentials_the_teams_service_url_gets_nothing_without_a_token(
    secured: TestClient,
) -> None:
    body = activity("channel_mention", TEAMS_SERVICE_URL)
    response = await secured.post("/api/messages", json=body)
    assert response.status == 401
    # the loopback guard (conftest) fails this test had anything reached for that host


async def test_local_mode_says_so_loudly_at_start_up(
    tmp_path: Path, catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    client = await start_teams({"PASSBACK_DATA_DIR": str(tmp_path)}, catalog)
    await client.close()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("WITHOUT AUTHENTICATION" in r.getMessage() for r in warnings)


async def test_local_mode_only_answers_an_emulator_on_this_machine(teams: Teams) -> None:
    body = activity("personal_message", TEAMS_SERVICE_URL)
    response = await teams.post(body)
    assert response.status == 403
    assert "local mode" in (await response.json())["error"]
    assert teams.connector.calls == []


async def test_teams_can_be_turned_off(tmp_path: Path, catalog: Catalog) -> None:
    env = {"PASSBACK_DATA_DIR": str(tmp_path), "PASSBACK_TEAMS": "off"}
    client = await start_teams(env, catalog)
    try:
        response = await client.post("/api/messages", json={"type": "message"})
        assert response.status in (404, 405)
    finally:
        await client.close()


@pytest.mark.parametrize(
    ("content_type", "data", "status", "sentence"),
    [
        ("text/plain", b"hello", 415, "application/json"),
        ("application/json", b"{not json", 400, "not valid JSON"),
        ("application/json", b"\xff\xfe", 400, "not valid JSON"),
        ("application/json", b"[1, 2]", 400, "not a Bot Framework activity"),
        ("application/json", b'{"text": "hi"}', 400, "not a Bot Framework activity"),
        ("application/json", b'{"type": "message", "text": "hi"}', 400, "no serviceUrl"),
    ],
)
async def test_bodies_that_are_not_activities_are_answered_in_words(
    teams: Teams, content_type: str, data: bytes, status: int, sentence: str
) -> None:
    response = await teams.client.post(
        "/api/messages", data=data, headers={"Content-Type": content_type}
    )
    assert response.status == status
    assert sentence in (await response.json())["error"]
    assert teams.connector.calls == []


async def test_a_failed_turn_is_answered_in_words_and_logged_without_the_paste(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    teams.connector.fail_next = 1  # the card cannot be sent
    response = await teams.post(teams.activity("channel_mention"))
    assert response.status == 201
    assert teams.connector.refused == 1
    (apology,) = teams.connector.calls
    assert apology.kind == "reply"
    assert apology.body["text"].startswith("Sorry, something went wrong on my side")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the failure was not logged"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "s82734" not in logged
    assert "ASSIGNMENT_SCORES_EXPORT" not in logged


async def test_when_even_the_apology_fails_teams_still_gets_an_answer(teams: Teams) -> None:
    teams.connector.fail_next = 2
    response = await teams.post(teams.activity("personal_message"))
    assert response.status == 201
    assert teams.connector.refused == 2
    assert teams.connector.calls == []


@pytest.mark.parametrize(
    "change",
    [{"conversation": "c"}, {"entities": "x"}, {"timestamp": "yesterday"}, {"membersAdded": "x"}],
)
async def test_with_credentials_a_malformed_activity_is_a_400_before_any_token_check(
    secured: TestClient, change: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    body = {**activity("channel_mention", TEAMS_SERVICE_URL), **change}
    response = await secured.post("/api/messages", json=body)
    assert response.status == 400
    assert (await response.json())["error"] == "The request body is not a Bot Framework activity."
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback" not in logged and "yesterday" not in logged
