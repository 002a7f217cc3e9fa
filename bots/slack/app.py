"""The bolt app: built once per server, the same listeners for HTTP and Socket Mode."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bots.assistant import Assistant
from bots.canvas_chat import CanvasChecks
from bots.escalation.service import EscalationService
from bots.metrics import Metrics
from bots.slack.client import build_web_client, slack_logger
from bots.slack.listeners import Track, register
from bots.slack.settings import SlackSettings


def build_slack_app(
    settings: SlackSettings,
    assistant: Assistant,
    escalation: EscalationService,
    metrics: Metrics,
    tracked: Track,
    canvas: CanvasChecks | None = None,
) -> AsyncApp:
    """A bolt `AsyncApp` with every listener registered (see `listeners.register`).

    Slack's 3-second limit is kept two ways. In Socket Mode (`process_before_response=False`)
    bolt acknowledges as soon as a listener calls `ack()` and the listener carries on in the
    background; every listener acks first. Over HTTP the endpoint itself answers 200 once the
    signature checks out and dispatches to bolt afterwards (see web.py), so bolt may run each
    listener to the end (`process_before_response=True`) and a burst of requests is acked
    without waiting behind the answers being computed.
    """
    app = AsyncApp(
        client=build_web_client(settings),
        signing_secret=settings.signing_secret,
        logger=slack_logger("bolt"),
        # bolt configures a logger of this name from ours (level included): not "passback",
        # the parent of every passback logger, or LOG_LEVEL=DEBUG would stop at INFO.
        name="passback-slack",
        process_before_response=not settings.socket_mode,
        # Events the bot itself posted never come back to it as work (no loops).
        ignoring_self_events_enabled=True,
    )
    register(app, assistant, escalation, metrics, tracked, canvas)
    return app
