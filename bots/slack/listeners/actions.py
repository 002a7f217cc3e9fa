"""The buttons on an answer card: Escalate to support, Share in channel, and the guide links."""

from __future__ import annotations

import logging

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.cards.sentences import outcome_sentence
from bots.escalation.model import EscalationError, Reporter
from bots.escalation.service import EscalationService
from bots.slack.failures import COULD_NOT_FINISH, log_failure
from bots.slack.replies import card_for_draft, notice, send_response

log = logging.getLogger("passback.slack")

EXPIRED = "This answer is too old to share. Ask me again and share the new answer."


def _clicker(body: dict) -> Reporter:
    user = body.get("user") or {}
    return Reporter(
        user_id=user.get("id", ""),
        display_name=user.get("name") or user.get("username") or "",
        platform="slack",
    )


def _on_ephemeral(body: dict) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


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
    token = action.get("value", "")
    reporter = _clicker(body)
    try:
        try:
            outcome = await escalation.escalate(
                token, reporter, click_id=f"slack:{reporter.user_id}:{action.get('action_ts', '')}"
            )
        except EscalationError as exc:
            await send_response(
                respond,
                replace_original=False,
                response_type="ephemeral",
                **notice(exc.user_message),
            )
            return
        log.info(
            "slack: escalate click -> case %s (created=%s)", outcome.case.title, outcome.created
        )
        card = await card_for_draft(
            assistant,
            escalation,
            token,
            case=outcome.case,
            joined=outcome.already_escalated,
            shareable=_on_ephemeral(body),
            canvas=canvas,
        )
        if card is not None:
            await send_response(respond, replace_original=True, **card)
        sentence = outcome_sentence(outcome, reporter.user_id)
        await send_response(
            respond, replace_original=False, response_type="ephemeral", **notice(sentence)
        )
    except Exception as exc:
        log_failure(log, "escalating", exc)
        await _say_sorry(respond)


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
    try:
        card = await card_for_draft(assistant, escalation, action.get("value", ""))
        if card is None:
            await send_response(
                respond, replace_original=False, response_type="ephemeral", **notice(EXPIRED)
            )
            return
        await send_response(respond, replace_original=False, response_type="in_channel", **card)
        await send_response(respond, delete_original=True)
    except Exception as exc:
        log_failure(log, "sharing an answer", exc)
        await _say_sorry(respond)


async def open_guide(ack: AsyncAck) -> None:
    """A guide button opens its link in the browser; Slack still tells us, and wants an ack."""
    await ack()


async def _say_sorry(respond: AsyncRespond) -> None:
    try:
        await send_response(
            respond, replace_original=False, response_type="ephemeral", **notice(COULD_NOT_FINISH)
        )
    except Exception as exc:
        log_failure(log, "telling the user a click went wrong", exc)
