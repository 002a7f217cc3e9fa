"""Every Slack listener at a glance. Each one acks first, then works (see app.py)."""

from __future__ import annotations

import logging
import re

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
    skip_other_bots,
)
from bots.slack.listeners.support import change_case_status
from bots.slack.services import ServicesProvider

log = logging.getLogger(__name__)
COMMAND = "/passback"


def register(app: AsyncApp, services: ServicesProvider) -> None:
    app.use(attach_services(services))
    app.use(skip_other_bots)
    app.use(answer_each_event_once)
    app.error(log_unhandled_error)

    app.command(COMMAND)(passback_command)
    app.event("app_mention")(answer_mention)
    app.event("message")(answer_direct_message)
    app.action(ESCALATE_ACTION_ID)(escalate)
    app.action(SHARE_ACTION_ID)(share_in_channel)
    app.action(re.compile(rf"^{GUIDE_ACTION_ID}_[0-9_]+$"))(open_guide)
    app.action(ACK_ACTION_ID)(change_case_status)
    app.action(RESOLVE_ACTION_ID)(change_case_status)


async def log_unhandled_error(error: Exception, body: dict) -> None:
    """Listeners answer their own failures; this catches the rest without logging the body."""
    log_failure(log, f"handling a Slack {body.get('type') or 'request'}", error)
