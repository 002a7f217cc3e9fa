"""What the user is told when answering fails, and what the log is told.

An exception's message can carry the pasted text (a parser quoting its input) or a token (an
HTTP library quoting its request), so the log gets the exception's type, Slack's error code
when there is one, and where it happened: file, line and function of each frame, never a
message or a local value.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from slack_sdk.errors import SlackApiError

from bots.escalation.model import EscalationError

log = logging.getLogger("passback.slack")

COULD_NOT_ANALYSE = "I couldn't analyse that, the team has been notified in the logs."
COULD_NOT_FINISH = "Sorry, I couldn't do that just now, the team has been notified in the logs."


class ResponseUrlRefused(Exception):
    """Slack answered a `response_url` post with an error (expired after 30 minutes, bad blocks)."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"HTTP {status} {reason}")
        self.status = status
        self.reason = reason if reason.replace("_", "").isalnum() else ""


def describe(exc: BaseException) -> str:
    """`SlackApiError(channel_not_found)` or `ValueError`: a name for the log, no message."""
    name = type(exc).__name__
    if isinstance(exc, SlackApiError):
        data = getattr(exc.response, "data", None)  # a dict, or text when Slack sent no JSON
        code = data.get("error") if isinstance(data, dict) else None
        if not code:
            status = getattr(exc.response, "status_code", None)
            code = f"HTTP {status}" if isinstance(status, int) else None
        if isinstance(code, str) and code.replace("_", "").replace(" ", "").isalnum():
            return f"{name}({code[:60]})"
    if isinstance(exc, ResponseUrlRefused):
        return f"{name}(HTTP {exc.status}{' ' + exc.reason[:60] if exc.reason else ''})"
    return name


def _frames(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return " <- ".join(f"{f.name} ({f.filename}:{f.lineno})" for f in reversed(frames[-8:]))


def log_failure(log: logging.Logger, doing: str, exc: BaseException, **ids: str) -> None:
    """Log a failure with ids only: `slack: answering a mention failed: KeyError at ...`."""
    where = " ".join(f"{k}={v}" for k, v in ids.items() if v)
    causes: list[str] = []
    root = exc
    inner = exc.__cause__ or exc.__context__
    while inner is not None and len(causes) < 3:
        causes.append(describe(inner))
        root = inner
        inner = inner.__cause__ or inner.__context__
    caused = f" (caused by {', '.join(causes)})" if causes else ""
    log.error(
        "slack: %s failed: %s%s%s at %s",
        doing,
        describe(exc),
        caused,
        f" [{where}]" if where else "",
        _frames(root) or "?",  # where it went wrong first
    )


Say = Callable[[str], Awaitable[object]]


@asynccontextmanager
async def telling_failures(
    doing: str, say: Say, sorry: str = COULD_NOT_FINISH, **ids: str
) -> AsyncIterator[None]:
    """A listener's work, whose failure is logged (ids only) and told to the user in words.

    An `EscalationError` is a failure the user can act on: they are told its own sentence, and
    the log is not troubled. Anything else is logged and the user gets `sorry`. If telling
    them fails as well (the `response_url` expired, the channel is gone), that is logged too:
    the listener never raises.
    """
    try:
        yield
        return
    except EscalationError as exc:
        sentence = exc.user_message
    except Exception as exc:
        log_failure(log, doing, exc, **ids)
        sentence = sorry
    try:
        await say(sentence)
    except Exception as again:
        log_failure(log, f"telling the user that {doing} went wrong", again, **ids)
