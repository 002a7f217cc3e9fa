"""Asking in Teams: a channel @mention answered in its thread, chats answered without one,
help and list, and what the bot stays quiet about."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.bots.teams.cards import escalate_actions, only_card, texts
from tests.bots.teams.conftest import Teams

CHANNEL_CONVERSATION = "19:c3a8e4f6d4c0438d9f1b2ba6d5b5a3f1@thread.tacv2;messageid=1712674843587"
PASTED_IDS = ("s82734", "624d3aa4-25b0-4c50-98a4-ca8f777a7410")
CHANNEL_PASTE = (
    "<at>Passback</at> ASSIGNMENT_SCORES_EXPORT - 624d3aa4-25b0-4c50-98a4-ca8f777a7410 - PUT for "
    'ONEROSTER: Result[result/results] for "s82734" failed with HTTP Status: 401'
)


async def test_channel_mention_is_answered_in_its_thread(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await teams.send("channel_mention")

    (call,) = teams.connector.calls
    assert call.kind == "reply"  # POST .../activities/{replyToId}: in the same thread
    assert call.conversation_id == CHANNEL_CONVERSATION
    assert call.activity_id == "1712674843587"
    assert call.body["replyToId"] == "1712674843587"
    assert call.body["conversation"]["id"] == CHANNEL_CONVERSATION
    card = only_card(call)
    said = texts(card)
    assert "Assignment Scores Export-PUT for OneRoster Error" in said
    assert "624d3aa4-25b0-4c50-98a4-ca8f777a7410" in said  # the facts pulled from the paste…
    assert "s82734" not in said  # …but a student's only as a count, in a channel
    assert "1 student, not shown in a shared chat" in said
    (button,) = escalate_actions(card)
    assert button["data"]["action"] == "passback.escalate"

    draft = await teams.escalation.get_draft(button["data"]["token"])
    assert draft is not None
    assert draft.entry_ids == ("assignment-scores-export-put-oneroster",)
    assert draft.text.startswith("ASSIGNMENT_SCORES_EXPORT - 624d3aa4")  # the mention is gone
    assert "<at>" not in draft.text and "Passback" not in draft.text
    assert draft.origin.platform == "teams"
    assert draft.origin.conversation == CHANNEL_CONVERSATION  # replies go to the thread
    assert draft.origin.channel == CHANNEL_CONVERSATION.split(";")[0]  # cases group by channel
    assert draft.origin.service_url == teams.connector.service_url
    assert draft.origin.workspace == "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c"
    assert draft.origin.link.startswith("https://teams.microsoft.com/l/message/19%3Ac3a8e4f6")
    assert draft.asked_by is not None
    assert draft.asked_by.user_id == "6be4ad05-ff70-4c5b-a6b8-ec2de5f0d7ab"
    assert draft.asked_by.display_name == "Megan Bowen"

    # The database driver logs SQL parameters at DEBUG; that is the store's to quiet, not ours.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "aiosqlite")
    for pasted in PASTED_IDS:
        assert pasted not in logged


@pytest.mark.parametrize(
    "name",
    ["Passback", "Grade Helper (β) *", "Canvas.SIS+Bot [test]", "R&D Passback"],
)
async def test_the_bot_mention_is_removed_whatever_the_bot_is_called(
    teams: Teams, name: str
) -> None:
    base = teams.activity("channel_mention")
    marker = f"<at>{name}</at>"
    bot = {**base["recipient"], "name": name}
    mention = {**base["entities"][0], "text": marker, "mentioned": {"id": bot["id"], "name": name}}
    await teams.send(
        "channel_mention",
        text=f"{marker} A Kimono Job has timed out and been cancelled.",
        recipient=bot,
        entities=[mention, base["entities"][1]],
    )
    card = only_card(teams.connector.calls[0])
    (button,) = escalate_actions(card)
    draft = await teams.escalation.get_draft(button["data"]["token"])
    assert draft is not None
    assert draft.entry_ids == ("kimono-job",)
    assert draft.text == "A Kimono Job has timed out and been cancelled."


@pytest.mark.parametrize("command", ["help", "HELP", ""])
async def test_help_says_how_to_ask(teams: Teams, command: str, catalog: Any) -> None:
    await teams.send("channel_mention", text=f"<at>Passback</at> {command}")
    card = only_card(teams.connector.calls[0])
    said = texts(card)
    assert "How to ask" in said and "@mention me" in said
    assert "Kimono Job Error" not in said  # the errors are list's card
    assert escalate_actions(card) == []


@pytest.mark.parametrize("command", ["list", "list."])
async def test_list_names_the_errors_the_bot_knows(
    teams: Teams, command: str, catalog: Any
) -> None:
    await teams.send("channel_mention", text=f"<at>Passback</at> {command}")
    card = only_card(teams.connector.calls[0])
    said = texts(card)
    assert "How to ask" not in said
    for entry in catalog.entries:
        assert entry.title in said
    assert escalate_actions(card) == []


async def test_personal_chat_needs_no_mention(teams: Teams) -> None:
    await teams.send("personal_message")
    (call,) = teams.connector.calls
    assert call.kind == "reply"
    assert call.conversation_id.startswith("a:1Fqu8gDNpa")
    card = only_card(call)
    assert "Kimono Job Error" in texts(card)
    assert len(escalate_actions(card)) == 1


async def test_a_personal_chat_shows_the_student_it_withholds_in_a_channel(teams: Teams) -> None:
    paste = CHANNEL_PASTE.replace("<at>Passback</at> ", "")
    await teams.send("personal_message", text=paste)
    (call,) = teams.connector.calls
    said = texts(only_card(call))
    assert "s82734" in said and "not shown in a shared chat" not in said


async def test_a_group_chat_is_answered_when_it_mentions_the_bot(teams: Teams) -> None:
    # Teams sends a bot a group chat's messages only when they @mention it (the app asks for
    # no permission to read the rest); one that reaches it unmentioned is not for it.
    await teams.send("group_chat_message")
    assert teams.connector.calls == []
    chat = teams.activity("group_chat_message")
    mention = {"type": "mention", "text": "<at>Passback</at>", "mentioned": chat["recipient"]}
    await teams.send(
        "group_chat_message",
        id="1712675500000",
        text=f"<at>Passback</at> {chat['text']}",
        entities=[mention, *chat["entities"]],
    )
    card = only_card(teams.connector.calls[0])
    assert "Assignment Dates Error" in texts(card)
    assert escalate_actions(card) == []  # the documented fix is not to contact support


async def test_an_unknown_error_offers_escalation(teams: Teams) -> None:
    await teams.send(
        "personal_message",
        text="ERROR: sync failed with HTTP Status: 500 Internal Server Error for job 9f3",
    )
    card = only_card(teams.connector.calls[0])
    (button,) = escalate_actions(card)
    draft = await teams.escalation.get_draft(button["data"]["token"])
    assert draft is not None and draft.entry_ids == ("unlisted",)


async def test_pasted_markup_is_shown_as_text(teams: Teams) -> None:
    await teams.send(
        "personal_message",
        text="[click me](https://evil.example.com) **A Kimono Job has timed out** <b>now</b>",
    )
    card = only_card(teams.connector.calls[0])
    assert "](https://evil.example.com)" not in str(card)


async def test_a_channel_message_that_does_not_mention_the_bot_is_ignored(teams: Teams) -> None:
    base = teams.activity("channel_mention")
    someone = {
        "mentioned": {"id": "29:1b7Kx0cJ5dJzVq3wP9mNHnQ2yGfR8aTsL4uE6iO1pWvZ3", "name": "Alex"},
        "text": "<at>Alex</at>",
        "type": "mention",
    }
    await teams.send(
        "channel_mention",
        text="<at>Alex</at> A Kimono Job has timed out and been cancelled.",
        entities=[someone, base["entities"][1]],
    )
    assert teams.connector.calls == []


async def test_the_bot_never_answers_itself(teams: Teams) -> None:
    bot = teams.activity("personal_message")["recipient"]
    await teams.send("personal_message", **{"from": bot})
    assert teams.connector.calls == []
