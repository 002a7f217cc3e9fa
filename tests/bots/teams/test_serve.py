"""The real `passback serve` process on a loopback port, asked the way Teams asks it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bots.cards.teams_canvas import CHECK_ACTION
from tests.bots.teams.cards import escalate_actions, only_card, texts
from tests.bots.teams.conftest import APP_ID, Canvas, activity, assert_valid_card
from tests.bots.teams.standin import Call, ConnectorStandIn
from tests.polling import eventually
from tests.processes import free_port, local_env, serve, wait_until_up

STARTUP_SECONDS = 60


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int):
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.out = ""
        self.err = ""

    def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            self.out, self.err = self.process.communicate(timeout=30)


def spawn(env: dict[str, str], data_dir: Path) -> Served:
    port = free_port()
    return Served(serve(local_env(port, data_dir, **env)), port)


class Servers:
    """Starts `passback serve` processes and stops them after the test, whatever happens."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.started: list[Served] = []

    async def start(self, env: dict[str, str]) -> Served:
        served = spawn(env, self.data_dir)
        self.started.append(served)
        await wait_until_up(served.process, served.port, within=STARTUP_SECONDS)
        return served


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    running = Servers(tmp_path)
    yield running
    for served in running.started:
        served.stop()


async def test_passback_serve_answers_a_teams_chat_in_emulator_mode(
    servers: Servers, connector: ConnectorStandIn
) -> None:
    served = await servers.start({})
    async with aiohttp.ClientSession() as session:
        body = activity("personal_message", connector.service_url)
        async with session.post(f"{served.url}/api/messages", json=body) as response:
            assert response.status == 201
        async with session.post(f"{served.url}/api/messages", json=body) as response:
            assert response.status == 201  # a redelivery: answered once
    (reply,) = connector.calls
    card = only_card(reply)
    assert_valid_card(card)
    assert "Kimono Job Error" in texts(card)
    assert len(escalate_actions(card)) == 1
    served.stop()
    assert "/api/messages (open it in the Bot Framework Emulator)" in served.err  # the banner
    assert "WITHOUT AUTHENTICATION" in served.err
    assert "Traceback" not in served.err
    assert "timed out and been cancelled" not in served.err  # the paste is never logged


async def test_passback_serve_with_credentials_refuses_unsigned_requests(
    servers: Servers, connector: ConnectorStandIn
) -> None:
    served = await servers.start(
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "not-a-real-client-secret"}
    )
    async with aiohttp.ClientSession() as session:
        body = activity("channel_mention", connector.service_url)
        for headers in ({}, {"Authorization": "Bearer forged.token.value"}):
            async with session.post(
                f"{served.url}/api/messages", json=body, headers=headers
            ) as response:
                assert response.status == 401
    assert connector.calls == []
    served.stop()
    assert "WITHOUT AUTHENTICATION" not in served.err
    assert "not-a-real-client-secret" not in served.out + served.err
    assert "Traceback" not in served.err


async def test_passback_serve_checks_canvas_from_a_chat_card_and_logs_no_one(
    servers: Servers, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    person = activity("personal_message", connector.service_url)["from"]["id"]
    connector.add_member(person, "PTeacher@district.org", "Pat Teacher")
    served = await servers.start(canvas.env())
    paste = (
        'Unable to process score for s12345; missing "assignment_source_id" attribute '
        f"{canvas.url}/courses/101/assignments/2"
    )
    async with aiohttp.ClientSession() as session:
        body = activity("personal_message", connector.service_url, text=paste)
        async with session.post(f"{served.url}/api/messages", json=body) as response:
            assert response.status == 201
        (answer,) = connector.calls
        (check,) = [
            a for a in escalate_actions(only_card(answer)) if a["data"]["action"] == CHECK_ACTION
        ]
        click = activity(
            "personal_message",
            connector.service_url,
            id="1712675409999",
            replyToId=answer.created_id,
            value=check["data"],
        )
        del click["text"]
        async with session.post(f"{served.url}/api/messages", json=click) as response:
            assert response.status == 201  # at once: the check goes on in the background

        def finding() -> list[Call]:
            updates = connector.of_kind("update")
            return updates if len(updates) >= 2 else []

        waiting, done = await eventually(finding, what="the card updated with the finding")
    assert "Checking Canvas…" in texts(only_card(waiting))
    assert "Checked in Canvas: 'Lab 4' has no due date." in texts(only_card(done))
    for call in connector.calls:
        for card in call.cards:
            assert_valid_card(card)
    served.stop()
    for private in ("pteacher", "PTeacher", "district.org", "Chemistry", "Lab 4", "s12345"):
        assert private not in served.out + served.err
    assert "Traceback" not in served.err
