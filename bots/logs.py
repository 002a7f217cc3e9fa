"""Logs: one JSON object per line, with the request's id, platform, entry id and timing.

Logs never carry tokens, pasted text or student result ids. Code logs case references and entry
ids only; as a second line of defence, `Redactor` masks anything shaped like a secret or a
student result id that slips into a message anyway.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bots.masking import STUDENT_ID, STUDENT_ID_MASK

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "passback_log_context", default=None
)

# Student result ids (s12345), Slack tokens, bearer tokens, and secret=value pairs.
_SENSITIVE = (
    (STUDENT_ID, STUDENT_ID_MASK),
    (re.compile(r"\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{6,}"), "[token]"),
    # Bot Connector paths name the conversation and the activity (a library's retry warning)
    (re.compile(r"(/v3/conversations/)[^\s\"']+"), r"\1[id]"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [token]"),
    (
        re.compile(
            r"(?i)\b(password|secret|token|signature|authorization)(\"?\s*[:=]\s*\"?)[^\s\",]+"
        ),
        r"\1\2[redacted]",
    ),
)
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


def redact(text: str) -> str:
    for pattern, replacement in _SENSITIVE:
        text = pattern.sub(replacement, text)
    return text


@contextmanager
def log_context(**values: Any) -> Iterator[dict[str, Any]]:
    """Fields added to every log line inside the block (request id, platform, entry id)."""
    current = dict(_context.get() or {})
    current.setdefault("request_id", uuid.uuid4().hex[:12])
    current.update({k: v for k, v in values.items() if v is not None})
    token = _context.set(current)
    try:
        yield current
    finally:
        _context.reset(token)


def add_log_context(**values: Any) -> None:
    """Add fields to the current context, e.g. the entry id once the answer is known."""
    current = _context.get()
    if current is not None:
        current.update({k: v for k, v in values.items() if v is not None})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        entry.update(_context.get() or {})
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            # The type and message, not the traceback's locals; redacted like the rest.
            entry["error"] = redact(f"{record.exc_info[0].__name__}: {record.exc_info[1]}")
            entry["traceback"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class OneLineProtocolErrors(logging.Filter):
    """aiohttp's server logs a malformed request or an aborted upload as ERROR with a full
    traceback, whose exception message quotes the raw request bytes (someone's paste). The
    sender's mistake is one INFO line here: what kind of error, nothing of the bytes."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp import ClientPayloadError  # only the server logs here; the CLI never
        from aiohttp.http_exceptions import HttpProcessingError

        # A request that is not HTTP, a broken chunked body, a client gone mid-upload.
        faults = (HttpProcessingError, ClientPayloadError, ConnectionError, TimeoutError)
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and not isinstance(error, faults):
            return True  # our own failure: logged as it is
        record.msg = "refused a malformed or incomplete HTTP request (%s)"
        record.args = (type(error).__name__ if error is not None else "no detail",)
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    """JSON lines on standard error (or `stream`), at `level`."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    server = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, OneLineProtocolErrors) for f in server.filters):
        server.addFilter(OneLineProtocolErrors())
    quiet_libraries()


# Libraries that log request bodies, headers, tokens or SQL parameters (pasted text, student
# ids) at DEBUG. LOG_LEVEL=DEBUG is for our code; theirs says INFO and above only.
QUIET_LIBRARIES = (
    "slack_sdk",
    "slack_bolt",
    "botbuilder",
    "botframework",
    "msrest",
    "msal",
    "urllib3",
    "asyncio",
    "aiosqlite",
    "asyncpg",
    "aiohttp.client",
)


class _NoDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


_NO_DEBUG = _NoDebug()


def _quiet(logger: logging.Logger) -> logging.Logger:
    if logger.level < logging.INFO:  # unset, or DEBUG: a test or LOG_LEVEL may lower the root
        logger.setLevel(logging.INFO)
    if _NO_DEBUG not in logger.filters:
        logger.addFilter(_NO_DEBUG)
    return logger


def quiet_libraries() -> None:
    """The one place library loggers are kept at INFO and above, whatever LOG_LEVEL says
    (called by configure_logging and when the server is built)."""
    for name in QUIET_LIBRARIES:
        _quiet(logging.getLogger(name))


def library_logger(name: str) -> logging.Logger:
    """A logger to hand a library object we create (bolt, slack_sdk clients): INFO and above
    only. bolt copies a base logger's filters to every logger it makes from it."""
    return _quiet(logging.getLogger(f"passback.lib.{name}"))
