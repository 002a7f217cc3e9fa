"""Being added, redeliveries, restarts, and hearing back when support moves a case on."""

from __future__ import annotations

from pathlib import Path

import pytest
from botframework.connector.models import ErrorResponseException

from bots.escalation.model import Reporter, Status
from catalog import Catalog
from tests.bots.teams.cards import card_reply, submit
from tests.bots.teams.conftest import Teams, start_teams
from tests.bots.teams.standin import ConnectorStandIn
from tests.polling import eventually


async def test_greets_once_when_added_to_a_team(teams: Teams) -> None:
    await teams.send("bot_added_to_team")
    (hello,) = teams.connector.calls
    assert hello.conversation_id == "19:8d1e6b2a4c7f4e3b9a5d0c1f2e3d4c5b@thread.tacv2"
    assert hello.body["textFormat"] == "plain"
    text = hello.body["text"]
    assert text.startswith("Hi, I'm Passback.")
    assert "mention me with the error: @Passback" in text
    assert "help" in text and "list" in text

    await teams.send("bot_added_to_team")  # redelivered
    await teams.send("bot_added_to_team", id="f:another-install-event")
    assert len(teams.connector.calls) == 1


async def test_greets_in_a_personal_chat_with_chat_wording(teams: Teams) -> None:
    personal = teams.activity("personal_message")
    await teams.send(
        "bot_added_to_team",
        conversation=personal["conversation"],
        channelData=personal["channelData"],
        recipient={**personal["recipient"], "name": "Grade Helper"},
    )
    (hello,) = teams.connector.calls
    assert hello.body["text"].startswith("Hi, I'm Grade Helper.")
    assert "Paste the error here" in hello.body["text"]


async def test_greets_a_group_chat_with_how_to_mention(teams: Teams) -> None:
    chat = teams.activity("group_chat_message")
    await teams.send(
        "bot_added_to_team", conversation=chat["conversation"], channelData=chat["channelData"]
    )
    (hello,) = teams.connector.calls
    assert "mention me with the error: @Passback" in hello.body["text"]
    assert "Paste the error here" not in hello.body["text"]


async def test_conversation_update_noise_is_ignored(teams: Teams) -> None:
    await teams.send("member_added_to_team")
    await teams.send("channel_created")
    team = teams.activity("bot_added_to_team")
    bot = team["recipient"]
    await teams.send("bot_added_to_team", membersAdded=[], membersRemoved=[{"id": bot["id"]}])
    await teams.send("personal_message", type="typing", text=None)
    await teams.send("personal_message", type="messageReaction", text=None)
    assert teams.connector.calls == []


async def test_a_redelivered_message_is_answered_once(teams: Teams) -> None:
    await teams.send("channel_mention")
    await teams.send("channel_mention")  # the same activity id: Teams retrying
    assert len(teams.connector.calls) == 1
    await teams.send("channel_mention", id="1712674999999")  # a new message with the same text
    assert len(teams.connector.calls) == 2


async def test_a_redelivery_after_a_restart_is_still_answered_once(
    tmp_path: Path, catalog: Catalog, connector: ConnectorStandIn
) -> None:
    env = {"PASSBACK_DATA_DIR": str(tmp_path)}
    first = await start_teams(env, catalog)
    try:
        await Teams(first, connector).send("personal_message")
    finally:
        await first.close()
    second = await start_teams(env, catalog)  # another process on the same store
    try:
        await Teams(second, connector).send("personal_message")
    finally:
        await second.close()
    assert len(connector.calls) == 1


async def test_reporters_hear_back_in_their_thread_when_support_moves_the_case(
    teams: Teams,
) -> None:
    token, card_id = await card_reply(teams, "channel_mention")
    await teams.post(submit(teams, token, card_id, "1712674880776"))
    (case,) = await teams.escalation.list_cases()
    before = len(teams.connector.calls)

    support = Reporter(user_id="U0SUPPORT", display_name="Jane Doe", platform="slack")
    await teams.escalation.set_status(case.reference, Status.ACKNOWLEDGED, support)
    await eventually(lambda: len(teams.connector.calls) > before)  # the outbox worker sends it
    (follow_up,) = teams.connector.calls[before:]
    assert follow_up.kind == "reply"
    assert follow_up.conversation_id == case.origin.conversation  # the thread the question was in
    assert follow_up.activity_id == "1712674843587"
    assert follow_up.body["textFormat"] == "plain"
    assert case.reference in follow_up.body["text"]
    assert "Jane Doe" in follow_up.body["text"]


async def test_a_follow_up_that_cannot_be_sent_raises_so_the_outbox_retries_it(
    teams: Teams,
) -> None:
    from bots.escalation.model import Origin
    from bots.teams.notify import build_notifier
    from bots.teams.service_url import service_url_problem
    from bots.teams.settings import TeamsSettings
    from bots.teams.web import TEAMS_ADAPTER_KEY

    app = teams.client.app
    assert app is not None
    adapter = app[TEAMS_ADAPTER_KEY]
    settings = TeamsSettings(enabled=True, app_id="", app_password="")
    notify = build_notifier(
        adapter, settings, lambda url: service_url_problem(url, local=True) is None
    )
    token, card_id = await card_reply(teams, "personal_message")
    await teams.post(submit(teams, token, card_id, "click-1"))
    (case,) = await teams.escalation.list_cases()
    origin = case.origin
    teams.connector.fail_next = 1
    before = len(teams.connector.calls)
    with pytest.raises(ErrorResponseException):  # the connector's error for a 500
        await notify(case, case.reporters[0], origin, "PB-1 was resolved.")
    assert teams.connector.calls[before:] == []

    elsewhere = Origin(platform="teams", channel="a:1", service_url="https://example.com/")
    await notify(case, case.reporters[0], elsewhere, "PB-1 was resolved.")  # not allowed: skipped
    assert teams.connector.calls[before:] == []
