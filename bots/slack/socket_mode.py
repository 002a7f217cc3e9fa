"""Socket Mode: the bot opens a WebSocket to Slack, so no public URL is needed.

Started and stopped with the aiohttp server. Connecting happens in the background with
growing pauses between tries, so the server (health check, Teams) starts even when Slack
cannot be reached, and a bad app token is said in the log rather than crashing start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bots.slack.client import slack_logger
from bots.slack.failures import describe

log = logging.getLogger("passback.slack")

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 300.0
STOP_SECONDS = 2.0


class SocketModeConnection:
    """The Socket Mode client for one bolt app, made when the server starts.

    slack_sdk's client starts a task and opens an aiohttp session as it is built, so it is built
    in `start()`, on the server's running event loop, not when the app is assembled.
    """

    def __init__(self, bolt_app: AsyncApp, app_token: str):
        self.bolt_app = bolt_app
        self.app_token = app_token
        self.handler: AsyncSocketModeHandler | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.handler = AsyncSocketModeHandler(
            self.bolt_app, app_token=self.app_token, logger=slack_logger("socket_mode")
        )
        self._task = asyncio.create_task(self._connect(self.handler), name="slack-socket-mode")

    async def _connect(self, handler: AsyncSocketModeHandler) -> None:
        # The first WebSocket URL is asked for here, so a refused app token is said once in
        # words (slack_sdk's client would retry it silently); the client then connects to that
        # URL and reconnects by itself later on.
        client = handler.client
        pause = FIRST_PAUSE
        while True:
            try:
                client.wss_uri = await client.issue_new_wss_url()
                await handler.connect_async()
            except Exception as exc:
                log.error(
                    "slack: Socket Mode could not connect (%s); trying again in %.0f s. "
                    "Check SLACK_APP_TOKEN (xapp-..., connections:write) and that Socket Mode "
                    "is enabled for the app.",
                    describe(exc),
                    pause,
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            log.info("slack: connected in Socket Mode")
            return

    async def stop(self) -> None:
        """Close the connection, within STOP_SECONDS: slack_sdk's client otherwise waits up to
        10 s for its own tasks, which with the rest of a SIGTERM overruns a container's 30 s."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.handler is not None:
            try:
                await asyncio.wait_for(self.handler.close_async(), STOP_SECONDS)
            except TimeoutError:
                log.info("slack: Socket Mode did not close within %.0f s; leaving it", STOP_SECONDS)
