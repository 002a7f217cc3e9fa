"""The support channel's Acknowledge and Resolve buttons, and telling reporters what changed."""

from __future__ import annotations

import logging

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bots.cards.support_slack import ACK_ACTION_ID, render_support_message
from bots.escalation.model import Case, Origin, Reporter, Status
from bots.escalation.outbox import Notifier
from bots.escalation.service import EscalationService
from bots.slack.failures import telling_failures
from bots.slack.payloads import read_click
from bots.slack.replies import notice, say_privately, send_response

log = logging.getLogger("passback.slack")


async def change_case_status(
    ack: AsyncAck,
    body: dict,
    action: dict,
    respond: AsyncRespond,
    *,
    escalation: EscalationService,
) -> None:
    await ack()
    click = read_click(body, action)
    status = Status.ACKNOWLEDGED if click.action_id == ACK_ACTION_ID else Status.RESOLVED
    async with telling_failures(
        "changing a case's status", say_privately(respond), case=click.value
    ):
        case = await escalation.set_status(
            click.value, status, click.clicker, update_support_message=False
        )
        log.info("slack: case %s is now %s", case.label, case.status.value)
        await send_response(
            respond,
            replace_original=True,
            **render_support_message(case, escalation.catalog),
        )


def reporter_notifier(client: AsyncWebClient) -> Notifier:
    """What the escalation service calls when a case changes: a line where each person reported.

    In the thread they asked in; for a private /passback answer (no thread), in a direct message
    from the bot.
    """

    async def notify_slack_reporter(
        case: Case, reporter: Reporter, origin: Origin, sentence: str
    ) -> None:
        if origin.thread and origin.channel:
            channel, thread = origin.channel, origin.thread
        elif origin.channel.startswith("D"):
            channel, thread = origin.channel, None
        else:
            channel, thread = reporter.user_id, None  # posting to a user id opens the bot's DM
        await client.chat_postMessage(channel=channel, thread_ts=thread, **notice(sentence))

    return notify_slack_reporter
