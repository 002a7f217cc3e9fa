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

# "0 errors", "no errors", "sin errores" report success: a count of none is not an error.
_NONE = r"(?<!\b0 )(?<!\bno )(?<!\bsin )(?<!\bzero )"
ERROR_SHAPED = re.compile(
    _NONE + r"\berror(?:e?s)?\b|" + _NONE + r"\bfail(?:ed|ures?|s)?\b|"
    r"\bexception\b|\bcannot\b|\bcould not\b|\bunable\b"
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


# Where a sentence or a segment of a line ends: what names another system before a message
# there says what the message is about ("Focus SIS export: Unable to process score ...").
_SEGMENT_END = re.compile(r"[.!?](?:\s|$)|\n")
# What ends a quoted message without it going on: a line, a table cell, a closing quote, "...".
_MESSAGE_END = re.compile(r"[\s\W_]*?(?:$|[\n\t|\"<]|\.\.\.|…)")


def goes_on_otherwise(body: str, end: int, rest: Iterable[str], reach: int = 300) -> bool:
    """A partial quote that stops at body[end] and goes on, on the same line, with words that
    are none of the message's `rest` (its words the quote did not reach): "... app id 5512
    cannot be launched, invalid signature" is another message that begins like ours, not ours
    cut off ("... cannot be" at the end of a line, a cell or a quote) or missing a part."""
    if _MESSAGE_END.match(body, end) is not None:
        return False
    line_end = body.find("\n", end, end + reach)
    after = body[end : line_end if line_end >= 0 else end + reach].lower()
    return not any(word in after for word in rest)


# Where a clause ends, and the end of a label that opens a line ("Focus SIS export: ").
_CLAUSE_END = re.compile(r"[.!?,;](?:\s|$)|\n")
_LABEL_END = re.compile(r"[:|>\]\u2013-]\s*[\"'`*\[(]*$")


def label_before(body: str, start: int, reach: int = 80) -> str:
    """What opens the clause of body[start] as its label or subject: a few words ending in a
    colon, a bracket or a dash ("Skyward grade post: "), or at most three words ("PowerSchool
    says "); "" when the clause says more than that ("we came from PowerSchool and now get")."""
    left = max(0, start - reach)
    ends = [m.end() for m in _CLAUSE_END.finditer(body, left, start)]
    clause = body[ends[-1] if ends else left : start]
    words = len(clause.split())
    return clause if words <= 3 or (words <= 5 and _LABEL_END.search(clause)) else ""


def segment_before(body: str, start: int, reach: int = 120) -> str:
    """The text from the start of the sentence (or line) holding body[start] up to it."""
    left = max(0, start - reach)
    ends = [m.end() for m in _SEGMENT_END.finditer(body, left, start)]
    return body[ends[-1] if ends else left : start]


def sentence_around(body: str, start: int, end: int, reach: int = 120) -> str:
    """The sentence (or line segment) holding body[start:end]: "Quarter 3 just started" after
    a quoted error says nothing about the error's job."""
    after = _SEGMENT_END.search(body, end, end + reach)
    stop = after.start() if after else end + reach
    return segment_before(body, start, reach) + body[start:stop]


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
        self._negations = _terms(context.negations)
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
            self._not_errors
            and self._not_errors.search(text)
            and not ERROR_SHAPED.search(text)
            and not (self._negations and self._negations.search(text))
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
            and not self.reports_success(sentence_around(body, start, end))
        )
