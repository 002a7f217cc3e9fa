"""Every Slack listener at a glance. Each one acks first, then works (see app.py)."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.cards.slack import ESCALATE_ACTION_ID, GUIDE_ACTION_ID, SHARE_ACTION_ID
from bots.cards.slack_canvas import CHECK_ACTION_ID, COURSE_ACTION_ID
from bots.cards.support_slack import ACK_ACTION_ID, RESOLVE_ACTION_ID
from bots.deliveries import DeliveryLedger
from bots.escalation.service import EscalationService
from bots.metrics import Metrics
from bots.slack.failures import log_failure
from bots.slack.listeners.actions import escalate, open_guide, share_in_channel
from bots.slack.listeners.canvas import check_in_canvas, pick_course
from bots.slack.listeners.commands import passback_command
from bots.slack.listeners.direct_messages import answer_direct_message
from bots.slack.listeners.mentions import answer_mention
from bots.slack.listeners.middleware import (
    answer_each_event_once,
    count_requests,
    skip_other_bots,
)
from bots.slack.listeners.support import change_case_status

log = logging.getLogger("passback.slack")
COMMAND = "/passback"


Listener = Callable[..., Awaitable[Any]]
Track = Callable[[Listener], Listener]


def untracked(listener: Listener) -> Listener:
    return listener


def bind(listener: Listener, **dependencies: Any) -> Listener:
    """`listener` with its dependencies (the keyword-only parameters) given. bolt reads the
    other parameters' names through `functools.wraps` to choose what to pass."""

    @functools.wraps(listener)
    async def bound(**kwargs: Any) -> Any:
        return await listener(**kwargs, **dependencies)

    return bound


def register(
    app: AsyncApp,
    assistant: Assistant,
    escalation: EscalationService,
    metrics: Metrics,
    tracked: Track,
    canvas: CanvasChecks | None = None,
) -> None:
    """`tracked` wraps each listener so a graceful shutdown can wait for answers in flight."""
    answering: dict[str, Any] = {"assistant": assistant, "escalation": escalation}
    if canvas is not None:  # without Canvas the cards have no Check button and no listener
        answering["canvas"] = canvas
        checking = {"escalation": escalation, "canvas": canvas}
        app.action(CHECK_ACTION_ID)(tracked(bind(check_in_canvas, **checking)))
        app.action(COURSE_ACTION_ID)(tracked(bind(pick_course, **checking)))
    app.use(bind(count_requests, metrics=metrics))
    app.use(skip_other_bots)
    app.use(bind(answer_each_event_once, ledger=DeliveryLedger(escalation)))
    app.error(log_unhandled_error)

    app.command(COMMAND)(tracked(bind(passback_command, **answering)))
    app.event("app_mention")(tracked(bind(answer_mention, **answering)))
    app.event("message")(tracked(bind(answer_direct_message, **answering)))
    # "passback_escalate", or "passback_escalate_<n>" for each error of a card of several
    escalate_ids = re.compile(rf"^{ESCALATE_ACTION_ID}(?:_[0-9]+)?$")
    app.action(escalate_ids)(tracked(bind(escalate, **answering)))
    app.action(SHARE_ACTION_ID)(tracked(bind(share_in_channel, **answering)))
    app.action(re.compile(rf"^{GUIDE_ACTION_ID}_[0-9_]+$"))(open_guide)
    for status_action in (ACK_ACTION_ID, RESOLVE_ACTION_ID):
        app.action(status_action)(tracked(bind(change_case_status, escalation=escalation)))


async def log_unhandled_error(error: Exception, body: dict) -> None:
    """Listeners answer their own failures; this catches the rest without logging the body."""
    log_failure(log, f"handling a Slack {body.get('type') or 'request'}", error)
