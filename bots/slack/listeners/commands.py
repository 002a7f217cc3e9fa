"""`/passback [error | help | list]`: the answer only the person who asked can see."""

from __future__ import annotations

import logging
from typing import Any

from bots.escalation.model import Origin, Reporter
from bots.slack.failures import COULD_NOT_ANALYSE, log_failure
from bots.slack.replies import notice, reply_to, send_response
from bots.slack.services import CONTEXT_KEY, SlackServices

log = logging.getLogger(__name__)


async def passback_command(ack: Any, command: dict, respond: Any, context: dict) -> None:
    await ack()  # within Slack's 3 seconds; the answer follows through `response_url`
    services: SlackServices = context[CONTEXT_KEY]
    channel = command.get("channel_id", "")
    try:
        message = await reply_to(
            services,
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
        )
        await send_response(respond, response_type="ephemeral", **message)
    except Exception as exc:
        log_failure(log, "answering /passback", exc, channel=channel)
        try:
            await send_response(respond, response_type="ephemeral", **notice(COULD_NOT_ANALYSE))
        except Exception as again:
            log_failure(log, "telling the user /passback failed", again, channel=channel)
