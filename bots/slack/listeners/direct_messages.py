"""A direct message to the bot: the card, right there in the conversation."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.escalation.model import Origin, Reporter
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_ANALYSE, log_failure
from bots.slack.replies import notice, reply_to

log = logging.getLogger("passback.slack")


def is_person_writing(event: dict) -> bool:
    """A new message someone typed in a DM (not an edit, a deletion, a join or a bot)."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in (None, "file_share", "thread_broadcast")
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


async def answer_direct_message(
    event: dict,
    body: dict,
    client: AsyncWebClient,
    *,
    assistant: Assistant,
    escalation: EscalationService,
    canvas: CanvasChecks | None = None,
) -> None:
    # `message` events arrive for every change in the DM; only new messages get an answer.
    if not is_person_writing(event):
        return
    channel = event.get("channel", "")
    thread = event.get("thread_ts") or None  # a reply inside a DM thread stays in that thread
    try:
        message = await reply_to(
            assistant,
            escalation,
            event.get("text", ""),
            origin=Origin(
                platform="slack",
                workspace=body.get("team_id", ""),
                channel=channel,
                thread=thread or "",
            ),
            asked_by=Reporter(user_id=event.get("user", ""), platform="slack"),
            canvas=canvas,
        )
        await client.chat_postMessage(channel=channel, thread_ts=thread, **message)
    except Exception as exc:
        log_failure(log, "answering a direct message", exc, event=str(body.get("event_id") or ""))
        try:
            await client.chat_postMessage(
                channel=channel, thread_ts=thread, **notice(COULD_NOT_ANALYSE)
            )
        except Exception as again:
            log_failure(log, "telling the user a direct message went wrong", again)
