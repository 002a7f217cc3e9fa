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


class _NoPayloads(logging.Filter):
    """Drops DEBUG records: at DEBUG slack_bolt and slack_sdk log whole request and response
    bodies, which carry the text people paste (and student result ids). LOG_LEVEL=DEBUG is for
    our code; theirs says INFO and above only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return False
        message = record.getMessage()
        if message == _TOKEN_UNUSED:
            return False  # bolt reads SLACK_BOT_TOKEN itself beside our client: no news
        if message.startswith("Unhandled request ("):
            # bolt's multi-line "[Suggestion] @app.command("/evil")" snippet, with the
            # request's own names in it: one line that says what happened instead
            record.msg, record.args = "slack: ignored a request that no listener handles", ()
        return True


_TOKEN_UNUSED = "As you gave `client` as well, `token` will be unused."
_NO_PAYLOADS = _NoPayloads()
# slack_sdk's own module loggers that bolt uses without asking us (`respond` posts through a
# webhook client it creates itself).
_SDK_LOGGERS = ("slack_sdk.webhook.async_client", "slack_sdk.web.async_base_client")


def library_logger(name: str) -> logging.Logger:
    """A logger for slack_bolt / slack_sdk objects we create: never below INFO.

    bolt copies a base logger's filters to every logger it makes from it.
    """
    logger = logging.getLogger(f"bots.slack.lib.{name}")
    _quiet(logger)
    for sdk_name in _SDK_LOGGERS:
        _quiet(logging.getLogger(sdk_name))
    return logger


def _quiet(logger: logging.Logger) -> None:
    if _NO_PAYLOADS not in logger.filters:
        logger.addFilter(_NO_PAYLOADS)


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
