"""The Slack Web API client the bot talks through, and the loggers the Slack libraries get.

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

from bots.slack.settings import SlackSettings

RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
TIMEOUT_SECONDS = 30


def library_logger(name: str) -> logging.Logger:
    """A logger for slack_bolt / slack_sdk that never goes below INFO.

    At DEBUG both libraries log whole request and response bodies, which carry the text people
    paste (and student result ids). LOG_LEVEL=DEBUG is for our code; theirs stays at INFO.
    """
    logger = logging.getLogger(f"bots.slack.lib.{name}")
    if logger.getEffectiveLevel() < logging.INFO:
        logger.setLevel(logging.INFO)
    return logger


def build_web_client(settings: SlackSettings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=TIMEOUT_SECONDS,
        logger=library_logger("web"),
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ],
    )
