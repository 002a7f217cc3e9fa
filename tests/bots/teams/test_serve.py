"""The real `passback serve` process on a loopback port, asked the way Teams asks it."""

from __future__ import annotations

import aiohttp

from bots.cards.teams_canvas import CHECK_ACTION
from tests.bots.conftest import Canvas
from tests.bots.teams.cards import escalate_actions, only_card, texts
from tests.bots.teams.conftest import APP_ID, activity, assert_valid_card
from tests.bots.teams.standin import Call, ConnectorStandIn
from tests.polling import eventually
from tests.processes import Processes


async def test_passback_serve_answers_a_teams_chat_in_emulator_mode(
    processes: Processes, connector: ConnectorStandIn
) -> None:
    served = await processes.serve({})
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
    await served.stop()
    assert "/api/messages (open it in the Bot Framework Emulator)" in served.err  # the banner
    assert "WITHOUT AUTHENTICATION" in served.err
    assert "Traceback" not in served.err
    assert "timed out and been cancelled" not in served.err  # the paste is never logged


async def test_passback_serve_with_credentials_refuses_unsigned_requests(
    processes: Processes, connector: ConnectorStandIn
) -> None:
    served = await processes.serve(
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
    await served.stop()
    assert "WITHOUT AUTHENTICATION" not in served.err
    assert "not-a-real-client-secret" not in served.out + served.err
    assert "Traceback" not in served.err


async def test_passback_serve_checks_canvas_from_a_chat_card_and_logs_no_one(
    processes: Processes, connector: ConnectorStandIn, canvas: Canvas
) -> None:
    person = activity("personal_message", connector.service_url)["from"]["id"]
    connector.add_member(person, "PTeacher@district.org", "Pat Teacher")
    served = await processes.serve(canvas.env())
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
    await served.stop()
    for private in ("pteacher", "PTeacher", "district.org", "Chemistry", "Lab 4", "s12345"):
        assert private not in served.out + served.err
    assert "Traceback" not in served.err
