"""What a message is about: grade passback, another system, or a report of success.

The words come from the catalog's `context` (no catalog text lives here). They decide only
what an error recognised from its description, not from its documented message, may be:
"my print job timed out and got cancelled" shares the Kimono message's words but is about a
printer, and "403 Forbidden (Rate Limit Exceeded)" from someone's own script is not Canvas's
exchange error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalog import Context

ERROR_SHAPED = re.compile(
    r"\berror\b|\bfail(?:ed|ure|s)?\b|\bexception\b|\bcannot\b|\bcould not\b|\bunable\b"
    r"|\bnot found\b|\bdenied\b|\btimed out\b|\bhttp(?:/\d)?\b"
    r"|\b[A-Z][A-Z0-9]{2,39}_[A-Z0-9_]{3,60}|\b[45]\d\d\b|\bmissing\b|\bno due date\b",
    re.IGNORECASE,
)


_SMALL_TALK_WORDS = 8


def _terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for term in terms:
        prefix = term.endswith("*")
        words = term.rstrip("*").split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(body + (r"\w*" if prefix else r"(?![\w])"))
    if not parts:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + ")", re.IGNORECASE)


def line_around(body: str, start: int, end: int, reach: int = 300) -> str:
    """The line holding body[start:end], at most `reach` characters either side."""
    left = body.rfind("\n", max(0, start - reach), start) + 1 or max(0, start - reach)
    right = body.find("\n", end, end + reach)
    return body[left : right if right >= 0 else end + reach]


class MessageContext:
    def __init__(self, context: Context):
        self._about = _terms(context.about)
        self._elsewhere = _terms(context.elsewhere)
        self._not_errors = _terms(context.not_errors)
        self._small_talk = _terms(context.small_talk)

    def about_passback(self, text: str) -> bool:
        """The text says it is about grade passback (or the catalog lists no such words)."""
        return self._about is None or bool(self._about.search(text))

    def elsewhere(self, text: str) -> bool:
        """The text names another system or feature whose errors look like ours."""
        return bool(self._elsewhere and self._elsewhere.search(text))

    def reports_success(self, text: str) -> bool:
        """The text reports success and nothing that looks like an error."""
        return bool(
            self._not_errors and self._not_errors.search(text) and not ERROR_SHAPED.search(text)
        )

    def small_talk(self, text: str) -> bool:
        """A short greeting or thanks ("thanks Maria, the resync worked!"), no error in it."""
        return bool(
            self._small_talk
            and len(text.split()) <= _SMALL_TALK_WORDS
            and self._small_talk.search(text)
            and not ERROR_SHAPED.search(text)
        )

    def described_here(self, body: str, start: int, end: int) -> bool:
        """An error described in words at body[start:end] is ours to answer."""
        line = line_around(body, start, end)
        return (
            self.about_passback(body)
            and not self.elsewhere(line)
            and not self.reports_success(line)
        )
