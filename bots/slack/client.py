"""The Slack Web API client the bot talks through.

Slack rate-limits by method; a 429 says how long to wait in `Retry-After`, and slack_sdk's
handler waits that long and tries again. A dropped connection is retried too.
"""

from __future__ import annotations

import logging

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bots.logs import library_logger
from bots.slack.settings import SlackSettings

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
TIMEOUT_SECONDS = 30


class _SlackNoise(logging.Filter):
    """bolt's own lines that say nothing useful or quote a request's names (bots.logs keeps
    every library logger at INFO and above already)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message == _TOKEN_UNUSED:
            return False  # bolt reads SLACK_BOT_TOKEN itself beside our client: no news
        if message.startswith("Unhandled request ("):
            # bolt's multi-line "[Suggestion] @app.command("/evil")" snippet, with the
            # request's own names in it: one line that says what happened instead
            record.msg, record.args = "slack: ignored a request that no listener handles", ()
        return True


_TOKEN_UNUSED = "As you gave `client` as well, `token` will be unused."
_SLACK_NOISE = _SlackNoise()


def slack_logger(name: str) -> logging.Logger:
    """The logger for a slack_bolt / slack_sdk object we create: a library logger (INFO and
    above), without bolt's noise. bolt copies its filters to every logger it makes from it."""
    logger = library_logger(f"slack.{name}")
    if _SLACK_NOISE not in logger.filters:
        logger.addFilter(_SLACK_NOISE)
    return logger


def build_web_client(settings: SlackSettings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=TIMEOUT_SECONDS,
        logger=slack_logger("web"),
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ],
    )
