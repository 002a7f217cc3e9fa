"""`@passback <error>` in a channel, and `@passback` alone under a pasted error."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bots.assistant import Assistant, Reading
from bots.canvas_chat import CanvasChecks
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_ANALYSE, describe, telling_failures
from bots.slack.payloads import is_direct_message, read_mention
from bots.slack.replies import NOTHING_IN_THREAD, Permalink, notice, reply_to, say_in_thread
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
    question = read_mention(body, event)
    channel, reply_in = question.channel, question.origin.thread
    say = say_in_thread(client, channel, reply_in)
    async with telling_failures(
        "answering a mention", say, COULD_NOT_ANALYSE, channel=channel, event=question.delivery
    ):
        text = question.text
        message = None
        asked_about = question.ts
        # Read once, here: "@passback can you help with this one?" under a pasted error carries
        # nothing to answer itself, so the thread's first message is answered instead.
        reading: Reading | None = await assistant.read(text)
        if question.in_a_thread_reply and reading is not None and not reading.has_error_text:
            asked_about = question.thread_ts
            text = await thread_parent_text(client, channel, question.thread_ts)
            reading = None  # reply_to reads the thread's first message
            if not normalize_paste(text).text:
                message = notice(NOTHING_IN_THREAD)
        if message is None:
            message = await reply_to(
                assistant,
                escalation,
                text,
                origin=question.origin,
                asked_by=question.reporter,
                shared=not is_direct_message(channel),
                permalink=permalink_to(client, channel, asked_about),
                canvas=canvas,
                reading=reading,
            )
        await client.chat_postMessage(channel=channel, thread_ts=reply_in, **message)
