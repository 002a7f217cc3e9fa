"""`/passback [error | help | list]`: the answer only the person who asked can see."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.escalation.model import Origin, Reporter
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_ANALYSE, log_failure
from bots.slack.replies import notice, reply_to, send_response

log = logging.getLogger("passback.slack")


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
    channel = command.get("channel_id", "")
    try:
        message = await reply_to(
            assistant,
            escalation,
            command.get("text", ""),
            origin=Origin(
                platform="slack",
                workspace=command.get("team_id", ""),
                channel=channel,
                channel_name=command.get("channel_name", ""),
                workspace_name=command.get("team_domain", ""),
            ),
            asked_by=Reporter(
                user_id=command.get("user_id", ""),
                display_name=command.get("user_name", ""),
                platform="slack",
            ),
            shareable=True,
            canvas=canvas,
        )
        await send_response(respond, response_type="ephemeral", **message)
    except Exception as exc:
        log_failure(log, "answering /passback", exc, channel=channel)
        try:
            await send_response(respond, response_type="ephemeral", **notice(COULD_NOT_ANALYSE))
        except Exception as again:
            log_failure(log, "telling the user that /passback went wrong", again, channel=channel)
