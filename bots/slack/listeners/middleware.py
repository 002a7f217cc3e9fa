"""Global middleware: requests counted, no bot loops, each event answered once.

A middleware that stops a request returns a response itself: bolt logs the whole request body
(the pasted text) when a middleware neither calls `next()` nor returns one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse

from bots.deliveries import DeliveryLedger
from bots.metrics import Metrics

log = logging.getLogger("passback.slack")

Next = Callable[[], Awaitable[Any]]


# Label values are fixed here: whatever a body says, a metric never gains a label from it.
_EVENT_KINDS = frozenset(("message", "app_home_opened", "member_joined_channel", "app_uninstalled"))
_REQUEST_KINDS = frozenset(
    ("view_submission", "view_closed", "shortcut", "message_action", "url_verification")
)


def request_kind(body: dict) -> str:
    """The kind of Slack request, for metrics: command, mention, dm, message, action, ...;
    "other" for anything else."""
    if "command" in body:
        return "command"
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict):
            return "event"
        if event.get("type") == "app_mention":
            return "mention"
        if event.get("channel_type") == "im":
            return "dm"
        event_type = event.get("type")
        return event_type if isinstance(event_type, str) and event_type in _EVENT_KINDS else "event"
    if kind == "block_actions":
        return "action"
    return kind if kind in _REQUEST_KINDS else "other"


async def count_requests(body: dict, next: Next, *, metrics: Metrics) -> Any:
    metrics.requests.labels(platform="slack", kind=request_kind(body)).inc()
    return await next()


async def skip_other_bots(body: dict, next: Next) -> Any:
    """Messages from bots (ours included, however they arrive) are never answered."""
    event = body.get("event") if body.get("type") == "event_callback" else None
    if isinstance(event, dict) and (event.get("bot_id") or event.get("subtype") == "bot_message"):
        return BoltResponse(status=200, body="")
    return await next()


async def answer_each_event_once(body: dict, next: Next, *, ledger: DeliveryLedger) -> Any:
    """Slack redelivers an event it thinks we missed (`X-Slack-Retry-Num`, same `event_id`):
    it is answered once (see bots/deliveries.py)."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if not isinstance(event_id, str) or not event_id:
        return await next()
    if not await ledger.first_time(f"slack:event:{event_id}"):
        log.info("slack: event %s was delivered again; it has been answered already", event_id)
        return BoltResponse(status=200, body="")
    return await next()
