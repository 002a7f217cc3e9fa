"""`@passback <error>` in a channel, and `@passback` alone under a pasted error."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bots.assistant import Assistant, Reading
from bots.canvas_chat import CanvasChecks
from bots.escalation.model import Origin, Reporter
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_ANALYSE, describe, log_failure
from bots.slack.replies import NOTHING_IN_THREAD, Permalink, notice, reply_to
from matcher import normalize_paste

log = logging.getLogger("passback.slack")


async def thread_parent_text(client: AsyncWebClient, channel: str, thread_ts: str) -> str:
    """The text of a thread's first message (needs the channels/groups history scopes)."""
    found = await client.conversations_replies(channel=channel, ts=thread_ts, limit=1)
    messages = found.get("messages") or []
    first = messages[0] if messages else {}
    if first.get("bot_id") or first.get("subtype") == "bot_message":
        return ""  # a bot's message (our own card, say) is not an error someone pasted
    return first.get("text", "") if first.get("ts") == thread_ts else ""


def permalink_to(client: AsyncWebClient, channel: str, ts: str) -> Permalink:
    """A link to the message for support's case; none if Slack will not give one."""

    async def permalink() -> str:
        try:
            found = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except Exception as exc:
            log.info("slack: no permalink for the case (%s)", describe(exc))
            return ""
        link = found.get("permalink")
        return link if isinstance(link, str) and link.startswith("https://") else ""

    return permalink


async def answer_mention(
    event: dict,
    body: dict,
    client: AsyncWebClient,
    *,
    assistant: Assistant,
    escalation: EscalationService,
    canvas: CanvasChecks | None = None,
) -> None:
    channel = event.get("channel", "")
    ts = event.get("ts", "")
    parent = event.get("thread_ts") or ""
    reply_in = parent or ts  # a new thread under the mention, or the thread it is in
    try:
        text = event.get("text", "")
        message = None
        asked_about = ts
        # Read once, here: "@passback can you help with this one?" under a pasted error carries
        # nothing to answer itself, so the thread's first message is answered instead.
        reading: Reading | None = await assistant.read(text)
        if parent and parent != ts and reading is not None and not reading.has_error_text:
            asked_about = parent
            text = await thread_parent_text(client, channel, parent)
            reading = None  # reply_to reads the thread's first message
            if not normalize_paste(text).text:
                message = notice(NOTHING_IN_THREAD)
        if message is None:
            message = await reply_to(
                assistant,
                escalation,
                text,
                origin=Origin(
                    platform="slack",
                    workspace=body.get("team_id", ""),
                    channel=channel,
                    thread=reply_in,
                ),
                asked_by=Reporter(user_id=event.get("user", ""), platform="slack"),
                permalink=permalink_to(client, channel, asked_about),
                canvas=canvas,
                reading=reading,
            )
        await client.chat_postMessage(channel=channel, thread_ts=reply_in, **message)
    except Exception as exc:
        log_failure(
            log, "answering a mention", exc, channel=channel, event=str(body.get("event_id") or "")
        )
        try:
            await client.chat_postMessage(
                channel=channel, thread_ts=reply_in, **notice(COULD_NOT_ANALYSE)
            )
        except Exception as again:
            log_failure(log, "telling the user a mention went wrong", again, channel=channel)
