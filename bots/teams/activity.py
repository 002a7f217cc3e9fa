"""What an incoming Teams activity means for the bot: the text, who asked, where to answer.

This is where Teams markup is undone for the bot's own mention (`<at>Passback</at>`, whatever
the bot is called in this tenant); every other piece of markup is the matcher's
`normalize_paste`'s job. Nothing here talks to the network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from botbuilder.schema import Activity, ActivityTypes

from bots.escalation.model import Origin, Reporter

PLATFORM = "teams"
PERSONAL, GROUP_CHAT, CHANNEL = "personal", "groupChat", "channel"


@dataclass(frozen=True, slots=True)
class Message:
    """One message to the bot, reduced to what the answer and escalation need."""

    text: str  # the bot's own mention removed; everything else as sent
    scope: str  # PERSONAL, GROUP_CHAT or CHANNEL
    mentioned: bool  # the message @mentions the bot
    action: Mapping[str, Any] | None  # the data of a card's Action.Submit, when it is a click
    reporter: Reporter
    origin: Origin

    @property
    def addressed(self) -> bool:
        """In a 1:1 chat every message is for the bot; in a group chat or a channel, those that
        @mention it (the only ones Teams sends it there) and clicks on its cards."""
        return self.scope == PERSONAL or self.mentioned or self.action is not None


def scope_of(activity: Activity) -> str:
    kind = (activity.conversation.conversation_type or "") if activity.conversation else ""
    if kind == CHANNEL:
        return CHANNEL
    if kind == GROUP_CHAT or (kind != PERSONAL and activity.conversation.is_group):
        return GROUP_CHAT
    return PERSONAL  # personal chats, and the Bot Framework Emulator


def from_the_bot(activity: Activity) -> bool:
    """The bot's own messages, echoed back by some channels, are never answered."""
    sender = activity.from_property
    return bool(sender and activity.recipient and sender.id == activity.recipient.id)


def bot_was_added(activity: Activity) -> bool:
    """A conversationUpdate that adds the bot itself (installed in a team, chat or 1:1)."""
    if activity.type != ActivityTypes.conversation_update or not activity.recipient:
        return False
    return any(m.id == activity.recipient.id for m in activity.members_added or ())


def delivery_key(activity: Activity) -> str:
    """Names one delivery, so a redelivery (Teams retries after about 15 s) is seen as one."""
    if not activity.id or not activity.conversation:
        return ""
    return f"teams:{activity.conversation.id}:{activity.id}"


def remove_bot_mention(activity: Activity) -> tuple[str, bool]:
    """The text without the bot's mention, and whether the bot was mentioned.

    Teams puts the mention in the text as `<at>Display Name</at>` and describes it in a
    `mention` entity whose `mentioned.id` is the bot's id; the display name is whatever the
    tenant calls the bot, so it is taken from the entity, never assumed, and removed as text
    (not as a pattern: names may hold `(`, `*` or `+`).
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    mentioned = False
    for entity in activity.entities or ():
        if (entity.type or "").lower() != "mention":
            continue
        props = entity.additional_properties or {}
        who = props.get("mentioned") or {}
        if not bot_id or who.get("id") != bot_id:
            continue
        mentioned = True
        marker = props.get("text") or f"<at>{who.get('name', '')}</at>"
        text = text.replace(marker, " ")
    return text.strip(), mentioned


def _channel_data(activity: Activity) -> Mapping[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, Mapping) else {}


def _nested_id(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return str(value.get("id") or "") if isinstance(value, Mapping) else ""


def tenant_of(activity: Activity) -> str:
    tenant = _nested_id(_channel_data(activity), "tenant")
    if not tenant and activity.conversation:
        tenant = activity.conversation.tenant_id or ""
        extra = activity.conversation.additional_properties or {}
        tenant = tenant or str(extra.get("tenantId") or "")
    return tenant


def channel_of(activity: Activity) -> str:
    """The conversation's own id: in a team channel, the channel (never one thread of it).

    A channel message's `conversation.id` is `<channel id>;messageid=<thread root>`, so the same
    channel has a different id in every thread; `channelData.channel.id` is the channel itself.
    Cases are grouped by this id ("the same error from the same channel joins the open case").
    """
    conversation = activity.conversation.id if activity.conversation else ""
    if scope_of(activity) == CHANNEL:
        return _nested_id(_channel_data(activity), "channel") or conversation.split(";")[0]
    return conversation or ""


def _message_link(activity: Activity, scope: str, tenant: str) -> str:
    """A Teams deep link to the message, built from ids only (never from text)."""
    if not activity.id or not activity.conversation or not activity.conversation.id:
        return ""
    params: dict[str, str] = {}
    if scope == CHANNEL:
        container = channel_of(activity)
        if tenant:
            params["tenantId"] = tenant
        root = activity.conversation.id.partition(";messageid=")[2]
        if root and root != activity.id:
            params["parentMessageId"] = root
    else:
        container = activity.conversation.id
        params["context"] = json.dumps({"contextType": "chat"}, separators=(",", ":"))
    link = f"https://teams.microsoft.com/l/message/{quote(container, safe='')}/"
    link += quote(activity.id, safe="")
    return f"{link}?{urlencode(params)}" if params else link


def reporter_of(activity: Activity) -> Reporter:
    sender = activity.from_property
    if sender is None:
        return Reporter(user_id="", platform=PLATFORM)
    return Reporter(
        user_id=sender.aad_object_id or sender.id or "",
        display_name=sender.name or "",
        platform=PLATFORM,
    )


GENERAL = "General"  # what Teams calls a team's first channel, whose id is the team's own


def _name(value: object) -> str:
    return str(value.get("name") or "").strip() if isinstance(value, Mapping) else ""


def origin_of(activity: Activity) -> Origin:
    """Where the message was asked, with the names the activity carries.

    Teams puts `channelData.team.name` and `channelData.channel.name` on some activities only
    (the General channel never has a name: its id is the team's); `names.TeamNames` looks the
    missing ones up when a case is opened. A group chat's name is `conversation.name`, when its
    members gave it one.
    """
    scope = scope_of(activity)
    tenant = tenant_of(activity)
    data = _channel_data(activity)
    channel = channel_of(activity)
    team_id = _nested_id(data, "team") if scope == CHANNEL else ""
    channel_name = _name(data.get("channel")) if scope == CHANNEL else ""
    if scope == CHANNEL and not channel_name and team_id and channel == team_id:
        channel_name = GENERAL
    if scope == GROUP_CHAT and activity.conversation:
        channel_name = (activity.conversation.name or "").strip()
    return Origin(
        platform=PLATFORM,
        workspace=tenant,
        channel=channel,
        thread=activity.id or "",
        conversation=activity.conversation.id if activity.conversation else "",
        link=_message_link(activity, scope, tenant),
        service_url=activity.service_url or "",
        channel_name=channel_name,
        workspace_name=_name(data.get("team")) if scope == CHANNEL else "",
        team_id=team_id,
        scope=scope,
    )


def read_message(activity: Activity) -> Message:
    text, mentioned = remove_bot_mention(activity)
    value = activity.value if isinstance(activity.value, Mapping) else None
    return Message(
        text=text,
        scope=scope_of(activity),
        mentioned=mentioned,
        action=value,
        reporter=reporter_of(activity),
        origin=origin_of(activity),
    )
