"""`/passback [error | help | list]`: the answer only the person who asked can see."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_ANALYSE, telling_failures
from bots.slack.payloads import read_command
from bots.slack.replies import reply_to, say_privately, send_response


async def passback_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    *,
    assistant: Assistant,
    escalation: EscalationService,
    canvas: CanvasChecks | None = None,
) -> None:
    await ack()  # within Slack's 3 seconds; the answer follows through `response_url`
    question = read_command(command)
    say = say_privately(respond)
    async with telling_failures(
        "answering /passback", say, COULD_NOT_ANALYSE, channel=question.channel
    ):
        message = await reply_to(
            assistant,
            escalation,
            question.text,
            origin=question.origin,
            asked_by=question.reporter,
            shared=False,  # the answer is ephemeral; "Share in channel" withholds student data
            shareable=True,
            canvas=canvas,
        )
        await send_response(respond, response_type="ephemeral", **message)
