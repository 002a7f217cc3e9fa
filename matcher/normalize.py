"""Clean a pasted message once, before matching.

Chat platforms and copy-paste mangle error text in predictable ways: Slack escapes `&<>` and
wraps mentions and links in angle brackets, Teams sends HTML with `<at>` mentions, editors curl
the quotes, narrow windows hard-wrap long lines, and people paste inside code fences, quote
blocks or straight out of a log. `normalize_paste` undoes all of that and leaves plain text with
single spaces between words and single newlines between lines, which the templates rely on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MAX_CHARS = 40_000

# <@U123>, <@U123|name>, <!here>, <!subteam^S1|@team>, <!date^1392734382^{date}|Feb 18>
_SLACK_MENTION = re.compile(r"<([@!])([^<>|]{1,200})(?:\|([^<>]{0,200}))?>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]{1,30}(?:\|([^<>]{0,200}))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]{1,2000})(?:\|([^<>]{0,500}))?>")
_TEAMS_MENTION = re.compile(r"<at\b[^<>]{0,200}>.{0,200}?</at>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|tr|table|blockquote|pre|h[1-6])\b[^<>]{0,500}>", re.IGNORECASE
)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,20}(?:\s[^<>]{0,500})?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_QUOTE_MARKER = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_LOG_PREFIX = re.compile(
    r"^[ \t]*\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?|\d{1,2}/\d{1,2}/\d{2,4},?\s\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?"
    r"|\d{1,2}:\d{2}:\d{2}(?:\s?[AaPp][Mm])?)\]?[ \t]*"
    r"(?:\[?(?:ERROR|ERR|WARN|WARNING|INFO|DEBUG|FATAL|CRITICAL|NOTICE)\]?:?[ \t]*)?"
    r"(?:-[ \t]+)?",
    re.MULTILINE | re.IGNORECASE,
)
_LEVEL_PREFIX = re.compile(
    r"^[ \t]*\[?(?:ERROR|FATAL|CRITICAL)\]?:[ \t]*", re.MULTILINE | re.IGNORECASE
)
_H_SPACE = re.compile(r"[ \t\f\v]+")
# A narrow window breaks a long id at a hyphen: "d20c41dd-35fd-\n4fe1" is one id.
_HYPHEN_WRAP = re.compile(r"(?<=[0-9A-Za-z])-\n(?=[0-9A-Za-z])")
# Text copied out of a JSON log keeps its escapes: \"s123\" and \n.
_JSON_ESCAPE = re.compile(r'\\(["\'/\\]|n(?![a-z])|r(?![a-z])|t(?![a-z]))')
_JSON_UNESCAPED = {"n": "\n", "r": "\n", "t": " "}
_NEWLINES = re.compile(r" ?\n[\n ]*")

_TRANSLATE = str.maketrans(
    {
        # quotes
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\uff02": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u0060": " ",  # backticks (inline code and fences) are markup, not text
        # dashes and hyphens
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
        "\u2026": "...",
        # spaces that are not spaces
        "\u00a0": " ", "\u1680": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ",
        "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ",
        "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
        "\u3000": " ", "\u2028": "\n", "\u2029": "\n", "\r": "\n", "\t": " ",
        # characters that are not there at all
        "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
        "\u00ad": None, "\u180e": None,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    truncated: bool


def _unescape(text: str) -> str:
    # Twice at most: Slack escapes `&` in text that may already hold HTML entities.
    for _ in range(2):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


def _slack_mention(m: re.Match[str]) -> str:
    # People and groups are dropped; only a date keeps its fallback text.
    return m.group(3) if m.group(2).startswith("date^") and m.group(3) else " "


def normalize_paste(raw: str) -> Cleaned:
    """The pasted text, cut to MAX_CHARS and cleaned of chat markup and copy-paste damage."""
    truncated = len(raw) > MAX_CHARS
    text = raw[:MAX_CHARS] if truncated else raw
    text = text.replace("\r\n", "\n")
    if "<" in text:
        text = _SLACK_MENTION.sub(_slack_mention, text)
        text = _SLACK_CHANNEL.sub(lambda m: f"#{m.group(1) or 'channel'}", text)
        text = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), text)
        text = _TEAMS_MENTION.sub(" ", text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _ANY_TAG.sub(" ", text)
    text = _unescape(text)
    if "<" in text and "</at>" in text.lower():  # Teams mentions that arrived escaped
        text = _TEAMS_MENTION.sub(" ", text)
    text = text.translate(_TRANSLATE)
    text = _CONTROL.sub(" ", text)
    if ">" in text:
        text = _QUOTE_MARKER.sub("", text)
    if ":" in text:
        text = _LOG_PREFIX.sub("", text)
        text = _LEVEL_PREFIX.sub("", text)
    for _ in range(2):  # a JSON string that itself holds JSON is escaped twice
        if '\\"' not in text:
            break
        text = _JSON_ESCAPE.sub(lambda m: _JSON_UNESCAPED.get(m.group(1), m.group(1)), text)
    text = _H_SPACE.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    if "-\n" in text:
        text = _HYPHEN_WRAP.sub("-", text)
    # Entities and ellipses can change the length: the limit holds for the cleaned text too.
    return Cleaned(text.strip()[:MAX_CHARS], truncated)
