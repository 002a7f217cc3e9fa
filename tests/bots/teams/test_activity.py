"""Reading a Teams activity: the bot's mention, the conversation's scope, who asked, where."""

from __future__ import annotations

import json
from typing import Any

from botbuilder.schema import Activity

from bots.teams.activity import (
    CHANNEL,
    GROUP_CHAT,
    PERSONAL,
    bot_was_added,
    delivery_key,
    from_the_bot,
    read_message,
    remove_bot_mention,
)
from tests.bots.teams.conftest import FIXTURES


def load(name: str, **changes: Any) -> Activity:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    data.update(changes)
    return Activity().deserialize(data)


def test_channel_message_reads_as_a_mention_in_a_channel() -> None:
    message = read_message(load("channel_mention"))
    assert message.scope == CHANNEL
    assert message.mentioned and message.addressed
    assert message.text.startswith("ASSIGNMENT_SCORES_EXPORT - 624d3aa4")
    assert message.action is None
    assert message.origin.thread == "1712674843587"
    assert "parentMessageId" not in message.origin.link  # the message is the thread's root


def test_a_reply_in_a_thread_links_to_its_parent() -> None:
    message = read_message(load("channel_mention", id="1712674999000"))
    assert "parentMessageId=1712674843587" in message.origin.link


def test_only_the_bots_own_mention_is_removed() -> None:
    activity = load("channel_mention")
    bot_entity, client_info = activity.entities
    other = (
        Activity()
        .deserialize(
            {
                "type": "message",
                "entities": [
                    {"type": "mention", "text": "<at>Alex</at>", "mentioned": {"id": "29:alex"}}
                ],
            }
        )
        .entities[0]
    )
    activity.entities = [bot_entity, other, client_info]
    activity.text = "<at>Passback</at> ask <at>Alex</at> about A Kimono Job has timed out"
    text, mentioned = remove_bot_mention(activity)
    assert mentioned
    assert text == "ask <at>Alex</at> about A Kimono Job has timed out"  # the matcher cleans it


def test_a_mention_entity_without_text_falls_back_to_the_name() -> None:
    activity = load("channel_mention", text="<at>Passback</at> help")
    activity.entities[0].additional_properties.pop("text")
    assert remove_bot_mention(activity) == ("help", True)


def test_scopes() -> None:
    assert read_message(load("personal_message")).scope == PERSONAL
    assert read_message(load("group_chat_message")).scope == GROUP_CHAT
    assert not read_message(load("group_chat_message")).addressed  # no @mention
    emulator = load("personal_message", channelId="emulator", conversation={"id": "abc"})
    assert read_message(emulator).scope == PERSONAL
    assert read_message(emulator).addressed


def test_a_card_click_is_addressed_without_a_mention() -> None:
    message = read_message(load("submit_escalate"))
    assert message.scope == CHANNEL and not message.mentioned
    assert message.addressed
    assert message.action == {"action": "passback.escalate", "token": "REPLACED-BY-THE-TEST"}


def test_who_asked_and_where() -> None:
    message = read_message(load("personal_message"))
    assert message.reporter.user_id == "6be4ad05-ff70-4c5b-a6b8-ec2de5f0d7ab"
    assert message.reporter.platform == "teams"
    assert message.origin.workspace == "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c"
    assert message.origin.service_url == "https://smba.trafficmanager.net/amer/"
    assert message.origin.link.startswith("https://teams.microsoft.com/l/message/a%3A1Fqu8")
    assert "contextType" in message.origin.link


def test_events_the_bot_reacts_to() -> None:
    assert bot_was_added(load("bot_added_to_team"))
    assert not bot_was_added(load("member_added_to_team"))
    assert not bot_was_added(load("channel_created"))
    assert not bot_was_added(load("personal_message"))
    bot = load("personal_message").recipient
    assert from_the_bot(load("personal_message", **{"from": bot.serialize()}))
    assert not from_the_bot(load("personal_message"))


def test_delivery_keys_name_one_activity_in_one_conversation() -> None:
    key = delivery_key(load("personal_message"))
    assert key.startswith("teams:a:1Fqu8") and key.endswith(":1712675402113")
    assert delivery_key(load("personal_message", id=None)) == ""
    assert delivery_key(load("personal_message")) != delivery_key(load("group_chat_message"))


def test_every_thread_of_a_channel_is_the_same_channel() -> None:
    # A channel message's conversation id names its thread (";messageid=<root>"); a case is
    # grouped by the channel itself, and follow-ups still go to the thread.
    first = read_message(load("channel_mention")).origin
    other = load(
        "channel_mention",
        id="1712675999000",
        conversation={
            "isGroup": True,
            "conversationType": "channel",
            "id": "19:c3a8e4f6d4c0438d9f1b2ba6d5b5a3f1@thread.tacv2;messageid=1712675999000",
        },
    )
    second = read_message(other).origin
    assert first.channel == second.channel == "19:c3a8e4f6d4c0438d9f1b2ba6d5b5a3f1@thread.tacv2"
    assert second.conversation.endswith(";messageid=1712675999000")
    no_channel_data = read_message(load("channel_mention", channelData={})).origin
    assert no_channel_data.channel == first.channel


def test_a_chat_is_its_own_conversation() -> None:
    origin = read_message(load("group_chat_message")).origin
    assert origin.channel == origin.conversation != ""
