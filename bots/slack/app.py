"""The bolt app: built once per server, the same listeners for HTTP and Socket Mode."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bots.slack.client import build_web_client, library_logger
from bots.slack.listeners import Track, register
from bots.slack.services import ServicesProvider
from bots.slack.settings import SlackSettings


def build_slack_app(
    settings: SlackSettings, services: ServicesProvider, tracked: Track | None = None
) -> AsyncApp:
    """A bolt `AsyncApp` with every listener registered (see `listeners.register`).

    `process_before_response=False`: bolt answers Slack as soon as a listener calls `ack()`
    and the listener carries on in the background, so Slack's 3-second limit holds however
    long the answer takes. Every listener acks first.
    """
    app = AsyncApp(
        client=build_web_client(settings),
        signing_secret=settings.signing_secret,
        logger=library_logger("bolt"),
        name="passback",
        process_before_response=False,
        # Events the bot itself posted never come back to it as work (no loops).
        ignoring_self_events_enabled=True,
    )
    if tracked is None:
        register(app, services)
    else:
        register(app, services, tracked)
    return app
