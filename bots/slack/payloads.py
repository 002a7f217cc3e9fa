"""What an incoming Slack request means for the bot: the text, who asked, where to answer.

Slack sends three shapes the listeners care about: a slash command (a form), an event
(`app_mention`, or a `message` in a DM) and a click (`block_actions`). Each is read here once,
into frozen values; the listeners never look into a raw payload. Nothing here talks to the
network. Shapes: https://docs.slack.dev/interactivity/implementing-slash-commands,
https://docs.slack.dev/reference/events/app_mention and
https://docs.slack.dev/reference/interaction-payloads/block_actions-payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.escalation.model import Origin, Reporter

PLATFORM = "slack"
# A DM's `message` events arrive for every change in the conversation; these subtypes are a
# person writing something new (a file with a comment, a thread reply also sent to the DM).
_NEW_MESSAGE_SUBTYPES = (None, "file_share", "thread_broadcast")


@dataclass(frozen=True, slots=True)
class Question:
    """Something asked of the bot: `/passback …`, an @mention, or a direct message."""

    text: str
    reporter: Reporter
    origin: Origin  # `origin.thread` is the thread the answer goes in ("" for none)
    ts: str = ""  # the message's own ts; "" for a command, which is not a message
    thread_ts: str = ""  # the thread the message was written in; "" at the top level
    delivery: str = ""  # Slack's `event_id`, for the log

    @property
    def channel(self) -> str:
        return self.origin.channel

    @property
    def in_a_thread_reply(self) -> bool:
        """Written as a reply under another message (not the thread's first message)."""
        return bool(self.thread_ts) and self.thread_ts != self.ts


@dataclass(frozen=True, slots=True)
class Click:
    """A click on one of the bot's buttons or menus (one `block_actions` action)."""

    clicker: Reporter
    # `user.team_id`: the clicker's own team (in a Slack Connect channel, their organisation's;
    # under Enterprise Grid, the org's E… id); `team.id` when a payload has none
    team: str
    workspace: str  # `team.id`: the workspace the click was made in
    action_id: str
    value: str  # the button's value (a draft token, a case reference)
    block_id: str = ""
    selected: str = ""  # the chosen option's value, for a menu
    action_ts: str = ""
    channel: str = ""
    thread: str = ""  # the card's thread (or the card itself), for private notes beside it
    ephemeral: bool = False  # the card is only visible to the clicker (a /passback answer)

    @property
    def shared(self) -> bool:
        """The card is in a channel or group DM, seen by others (not ephemeral, not a DM)."""
        return not (self.ephemeral or is_direct_message(self.channel))

    @property
    def click_id(self) -> str:
        """Names this click, so a redelivered click is seen as the same one."""
        return f"{PLATFORM}:{self.clicker.user_id}:{self.action_ts}"


def is_direct_message(channel: str) -> bool:
    """A 1:1 DM with the bot: Slack's DM conversation ids start with D."""
    return channel.startswith("D")


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def read_command(command: Mapping[str, Any]) -> Question:
    """A slash command's form: the text after `/passback`, from a channel or a DM."""
    return Question(
        text=_text(command, "text"),
        reporter=Reporter(
            user_id=_text(command, "user_id"),
            display_name=_text(command, "user_name"),
            platform=PLATFORM,
        ),
        origin=Origin(
            platform=PLATFORM,
            workspace=_text(command, "team_id"),
            channel=_text(command, "channel_id"),
            channel_name=_text(command, "channel_name"),
            workspace_name=_text(command, "team_domain"),
        ),
    )


def _event_question(body: Mapping[str, Any], event: Mapping[str, Any], thread: str) -> Question:
    return Question(
        text=_text(event, "text"),
        reporter=Reporter(user_id=_text(event, "user"), platform=PLATFORM),
        origin=Origin(
            platform=PLATFORM,
            workspace=_text(body, "team_id"),
            channel=_text(event, "channel"),
            thread=thread,
        ),
        ts=_text(event, "ts"),
        thread_ts=_text(event, "thread_ts"),
        delivery=_text(body, "event_id"),
    )


def read_mention(body: Mapping[str, Any], event: Mapping[str, Any]) -> Question:
    """An `app_mention`: answered in the thread it is in, or in a new thread under it."""
    return _event_question(body, event, _text(event, "thread_ts") or _text(event, "ts"))


def is_person_writing(event: Mapping[str, Any]) -> bool:
    """A new message someone typed in a DM (not an edit, a deletion, a join or a bot)."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in _NEW_MESSAGE_SUBTYPES
        and not event.get("bot_id")
        and bool(_text(event, "user"))
    )


def read_direct_message(body: Mapping[str, Any], event: Mapping[str, Any]) -> Question | None:
    """A `message` event in a DM, if it is someone writing something new; else None. A reply in
    a DM thread is answered in that thread, a message at the top level at the top level."""
    if not is_person_writing(event):
        return None
    return _event_question(body, event, _text(event, "thread_ts"))


def read_click(body: Mapping[str, Any], action: Mapping[str, Any]) -> Click:
    """A `block_actions` payload and the action in it that bolt routed to the listener."""
    user = _mapping(body, "user")
    container = _mapping(body, "container")
    message = _mapping(body, "message")  # absent when the card is ephemeral
    workspace = _text(_mapping(body, "team"), "id")
    return Click(
        clicker=Reporter(
            user_id=_text(user, "id"),
            display_name=_text(user, "name") or _text(user, "username"),
            platform=PLATFORM,
        ),
        team=_text(user, "team_id") or workspace,
        workspace=workspace,
        action_id=_text(action, "action_id"),
        value=_text(action, "value"),
        block_id=_text(action, "block_id"),
        selected=_text(_mapping(action, "selected_option"), "value"),
        action_ts=_text(action, "action_ts"),
        channel=_text(container, "channel_id") or _text(_mapping(body, "channel"), "id"),
        thread=(
            _text(message, "thread_ts")
            or _text(container, "thread_ts")
            or _text(message, "ts")
            or _text(container, "message_ts")
        ),
        ephemeral=bool(container.get("is_ephemeral")),
    )
