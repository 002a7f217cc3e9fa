"""Every Slack listener at a glance. Each one acks first, then works (see app.py)."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bots.cards.slack import ESCALATE_ACTION_ID, GUIDE_ACTION_ID, SHARE_ACTION_ID
from bots.escalation.slack_message import ACK_ACTION_ID, RESOLVE_ACTION_ID
from bots.slack.failures import log_failure
from bots.slack.listeners.actions import escalate, open_guide, share_in_channel
from bots.slack.listeners.commands import passback_command
from bots.slack.listeners.direct_messages import answer_direct_message
from bots.slack.listeners.mentions import answer_mention
from bots.slack.listeners.middleware import (
    answer_each_event_once,
    attach_services,
    count_requests,
    skip_other_bots,
)
from bots.slack.listeners.support import change_case_status
from bots.slack.services import ServicesProvider

log = logging.getLogger(__name__)
COMMAND = "/passback"
Track = Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]


def _untracked(listener: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    return listener


def register(app: AsyncApp, services: ServicesProvider, tracked: Track = _untracked) -> None:
    """`tracked` wraps each listener so a graceful shutdown can wait for answers in flight."""
    app.use(attach_services(services))
    app.use(count_requests)
    app.use(skip_other_bots)
    app.use(answer_each_event_once)
    app.error(log_unhandled_error)

    app.command(COMMAND)(tracked(passback_command))
    app.event("app_mention")(tracked(answer_mention))
    app.event("message")(tracked(answer_direct_message))
    app.action(ESCALATE_ACTION_ID)(tracked(escalate))
    app.action(SHARE_ACTION_ID)(tracked(share_in_channel))
    app.action(re.compile(rf"^{GUIDE_ACTION_ID}_[0-9_]+$"))(open_guide)
    app.action(ACK_ACTION_ID)(tracked(change_case_status))
    app.action(RESOLVE_ACTION_ID)(tracked(change_case_status))


async def log_unhandled_error(error: Exception, body: dict) -> None:
    """Listeners answer their own failures; this catches the rest without logging the body."""
    log_failure(log, f"handling a Slack {body.get('type') or 'request'}", error)
