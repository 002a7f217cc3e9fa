"""A direct message to the bot: the card, right there in the conversation."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_ANALYSE, telling_failures
from bots.slack.payloads import read_direct_message
from bots.slack.replies import reply_to, say_in_thread


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
    question = read_direct_message(body, event)
    if question is None:
        return
    thread = question.origin.thread or None  # a reply inside a DM thread stays in that thread
    say = say_in_thread(client, question.channel, thread)
    async with telling_failures(
        "answering a direct message", say, COULD_NOT_ANALYSE, event=question.delivery
    ):
        message = await reply_to(
            assistant,
            escalation,
            question.text,
            origin=question.origin,
            asked_by=question.reporter,
            shared=False,
            canvas=canvas,
        )
        await client.chat_postMessage(channel=question.channel, thread_ts=thread, **message)
