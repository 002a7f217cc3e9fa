"""The buttons on an answer card: Escalate to support, Share in channel, and the guide links."""

from __future__ import annotations

import logging

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.cards.sentences import outcome_sentence
from bots.escalation.service import EscalationService
from bots.slack.failures import telling_failures
from bots.slack.payloads import read_click
from bots.slack.replies import card_for_draft, say_privately, send_response

log = logging.getLogger("passback.slack")

EXPIRED = "This answer is too old to share. Ask me again and share the new answer."


async def escalate(
    ack: AsyncAck,
    body: dict,
    action: dict,
    respond: AsyncRespond,
    *,
    assistant: Assistant,
    escalation: EscalationService,
    canvas: CanvasChecks | None = None,
) -> None:
    """Open (or join) the case, then show the card again with its reference, no button."""
    await ack()
    click = read_click(body, action)
    say = say_privately(respond)
    async with telling_failures("escalating", say):
        outcome = await escalation.escalate(click.value, click.clicker, click_id=click.click_id)
        log.info(
            "slack: escalate click -> case %s (created=%s)", outcome.case.label, outcome.created
        )
        card = await card_for_draft(
            assistant,
            escalation,
            click.value,
            shared=click.shared,
            case=outcome.case,
            joined=not outcome.created,  # "Already escalated as …" (see teams/replies.py)
            shareable=click.ephemeral,
            canvas=canvas,
        )
        if card is not None:
            await send_response(respond, replace_original=True, **card)
        await say(outcome_sentence(outcome, click.clicker.user_id))


async def share_in_channel(
    ack: AsyncAck,
    body: dict,
    action: dict,
    respond: AsyncRespond,
    *,
    assistant: Assistant,
    escalation: EscalationService,
) -> None:
    """Post the answer visibly in the channel (through `response_url`, so it works even where
    the bot is not a member), then remove the private copy."""
    await ack()
    click = read_click(body, action)
    say = say_privately(respond)
    async with telling_failures("sharing an answer", say):
        card = await card_for_draft(assistant, escalation, click.value, shared=True)
        if card is None:
            await say(EXPIRED)
            return
        await send_response(respond, replace_original=False, response_type="in_channel", **card)
        await send_response(respond, delete_original=True)


async def open_guide(ack: AsyncAck) -> None:
    """A guide button opens its link in the browser; Slack still tells us, and wants an ack."""
    await ack()
